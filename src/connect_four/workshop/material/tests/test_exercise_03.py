"""Exercise 3: persist the events. A repository over an event store.

Runs on the in-memory store, on SQLite, and on KurrentDB when one is named.
"""

from __future__ import annotations

import json

import pytest
from mygame.events import GameFinished, GameStarted, MoveMade
from mygame.game import Game, Move
from mygame.repository import GameRepository, decode, encode

from connect_four.application import UnknownGameError
from connect_four.domain.board import Column, Token
from connect_four.domain.result import GameResult
from connect_four.eventsourcing.events import NewEvent
from connect_four.eventsourcing.store import EventStore, StreamState


def stored(store: EventStore, game_id: str) -> list[tuple[str, object]]:
    return [
        (record.type, json.loads(record.data))
        for record in store.read_stream(f"game-{game_id}")
    ]


def new_game() -> Game:
    game = Game()
    game.start_game("ann", "bob")
    return game


def test_events_are_encoded_as_the_seeds_type_and_json() -> None:
    encoded = [
        encode(GameStarted("ann", "bob")),
        encode(MoveMade("ann", Column.C)),
        encode(GameFinished(GameResult.TIED)),
    ]
    assert [(e.type, json.loads(e.data)) for e in encoded] == [
        ("GameStarted", {"player_one": "ann", "player_two": "bob"}),
        ("MoveMade", {"player": "ann", "column": "C"}),
        ("GameFinished", {"result": "TIED"}),
    ]


def test_decoding_gives_back_the_event_that_was_encoded(
    any_store: EventStore,
) -> None:
    events = [
        GameStarted("ann", "bob"),
        MoveMade("ann", Column.C),
        GameFinished(GameResult.PLAYER_ONE_WON),
    ]
    any_store.append("game-x", [encode(e) for e in events], StreamState.NO_STREAM)
    assert [decode(r) for r in any_store.read_stream("game-x")] == events


def test_adding_a_new_game_stores_game_started_in_its_stream(
    any_store: EventStore,
) -> None:
    game = new_game()
    GameRepository(any_store).add(game)
    assert stored(any_store, game.id) == [
        ("GameStarted", {"player_one": "ann", "player_two": "bob"})
    ]


def test_a_stored_game_has_no_uncommitted_events(any_store: EventStore) -> None:
    game = new_game()
    GameRepository(any_store).add(game)
    assert game.uncommitted_events == []
    assert game.events == [GameStarted("ann", "bob")]


def test_adding_again_stores_only_the_new_events(any_store: EventStore) -> None:
    repository = GameRepository(any_store)
    game = new_game()
    repository.add(game)
    game.make_move(Move("ann", Column.D))
    repository.add(game)
    assert stored(any_store, game.id)[1:] == [
        ("MoveMade", {"player": "ann", "column": "D"})
    ]


def test_a_game_loads_back_with_its_state(any_store: EventStore) -> None:
    repository = GameRepository(any_store)
    game = new_game()
    game.make_move(Move("ann", Column.D))
    repository.add(game)

    loaded = GameRepository(any_store).get(game.id)

    assert loaded.id == game.id
    assert loaded.events == [GameStarted("ann", "bob"), MoveMade("ann", Column.D)]
    assert loaded.board[Column.D] == [Token.RED]
    assert loaded.next_player == "bob"


def test_a_game_the_tutorials_code_stored_loads(any_store: EventStore) -> None:
    rows = [
        ("GameStarted", {"player_one": "ann", "player_two": "bob"}),
        ("MoveMade", {"player": "ann", "column": "A"}),
    ]
    any_store.append(
        "game-from-the-tutorial",
        [NewEvent(t, json.dumps(d).encode()) for t, d in rows],
        StreamState.NO_STREAM,
    )
    game = GameRepository(any_store).get("from-the-tutorial")
    assert (game.player_two, game.next_player) == ("bob", "bob")


def test_an_unknown_game_raises_unknown_game_error(any_store: EventStore) -> None:
    with pytest.raises(UnknownGameError):
        GameRepository(any_store).get("no-such-game")
