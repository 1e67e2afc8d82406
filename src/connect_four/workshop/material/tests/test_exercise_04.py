"""Exercise 4: optimistic concurrency. Two terminals on one game."""

from __future__ import annotations

import pytest
from mygame.events import GameStarted, MoveMade
from mygame.game import Game, Move
from mygame.repository import GameRepository

from connect_four.domain.board import Column
from connect_four.domain.exceptions import NotYourTurnError
from connect_four.eventsourcing.errors import ConcurrencyError
from connect_four.eventsourcing.store import EventStore


def stored_game(store: EventStore) -> str:
    game = Game()
    game.start_game("ann", "bob")
    GameRepository(store).add(game)
    return game.id


def test_a_stale_game_cannot_overwrite_a_newer_move(store: EventStore) -> None:
    game_id = stored_game(store)
    first = GameRepository(store).get(game_id)
    second = GameRepository(store).get(game_id)
    first.make_move(Move("ann", Column.A))
    GameRepository(store).add(first)
    second.make_move(Move("ann", Column.B))

    with pytest.raises(ConcurrencyError):
        GameRepository(store).add(second)

    loaded = GameRepository(store).get(game_id)
    assert loaded.events == [GameStarted("ann", "bob"), MoveMade("ann", Column.A)]


def test_a_new_game_cannot_take_an_existing_games_stream(store: EventStore) -> None:
    game_id = stored_game(store)
    impostor = Game(id=game_id)
    impostor.start_game("cat", "dan")
    with pytest.raises(ConcurrencyError):
        GameRepository(store).add(impostor)
    assert GameRepository(store).get(game_id).player_one == "ann"


def test_the_loser_of_a_race_reloads_and_learns_the_truth(store: EventStore) -> None:
    game_id = stored_game(store)
    first = GameRepository(store).get(game_id)
    second = GameRepository(store).get(game_id)
    first.make_move(Move("ann", Column.A))
    GameRepository(store).add(first)
    second.make_move(Move("ann", Column.B))
    with pytest.raises(ConcurrencyError):
        GameRepository(store).add(second)

    fresh = GameRepository(store).get(game_id)

    with pytest.raises(NotYourTurnError):
        fresh.make_move(Move("ann", Column.B))


def test_the_version_is_the_position_of_the_last_stored_event(
    store: EventStore,
) -> None:
    game_id = stored_game(store)
    game = GameRepository(store).get(game_id)
    game.make_move(Move("ann", Column.A))
    game.make_move(Move("bob", Column.A))
    GameRepository(store).add(game)
    assert game.version == 2
    assert GameRepository(store).get(game_id).version == 2
