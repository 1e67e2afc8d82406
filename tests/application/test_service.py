"""ConnectFourApp over the generic repository and an in-memory store."""

from __future__ import annotations

import json

import pytest

from connect_four.application import ConnectFourApp, UnknownGameError
from connect_four.domain.board import Column, Token
from connect_four.domain.exceptions import NotYourTurnError, SamePlayerError
from connect_four.domain.game import Game, Move
from connect_four.domain.result import GameResult
from connect_four.eventsourcing.errors import ConcurrencyError
from connect_four.eventsourcing.stores.memory.event_store import InMemoryEventStore
from connect_four.persistence.game_repository import EventSourcedGameRepository


@pytest.fixture
def store() -> InMemoryEventStore:
    return InMemoryEventStore()


@pytest.fixture
def app(store: InMemoryEventStore) -> ConnectFourApp:
    return ConnectFourApp.over(EventSourcedGameRepository(store))


def stored(store: InMemoryEventStore, game_id: str) -> list[tuple[str, dict[str, str]]]:
    return [(e.type, json.loads(e.data)) for e in store.read_stream(f"game-{game_id}")]


def test_creating_a_game_stores_the_seeds_started_event(
    app: ConnectFourApp, store: InMemoryEventStore
) -> None:
    game_id = app.create_game("ann", "bob")
    assert stored(store, game_id) == [
        ("GameStarted", {"player_one": "ann", "player_two": "bob"})
    ]


def test_a_move_is_stored_as_the_seeds_json(
    app: ConnectFourApp, store: InMemoryEventStore
) -> None:
    game_id = app.create_game("ann", "bob")
    app.make_move(game_id, Move("ann", Column.C))
    assert stored(store, game_id)[-1] == ("MoveMade", {"player": "ann", "column": "C"})


def test_the_winning_move_and_the_finish_are_stored_together(
    app: ConnectFourApp, store: InMemoryEventStore
) -> None:
    game_id = app.create_game("ann", "bob")
    for player, column in zip("abababa", "AGBGCGD", strict=True):
        app.make_move(game_id, Move("ann" if player == "a" else "bob", Column(column)))

    state = app.get_game(game_id)
    events = store.read_stream(f"game-{game_id}")

    assert state.is_finished
    assert state.result is GameResult.PLAYER_ONE_WON
    assert events[-1].type == "GameFinished"
    assert json.loads(events[-1].data) == {"result": "PLAYER_ONE_WON"}
    # One append carried both: consecutive global positions, same time.
    assert events[-1].recorded_at == events[-2].recorded_at


def test_get_game_returns_the_state_a_client_may_see(app: ConnectFourApp) -> None:
    game_id = app.create_game("ann", "bob")
    app.make_move(game_id, Move("ann", Column.D))

    state = app.get_game(game_id)

    assert (state.player_one, state.player_two, state.next_player) == (
        "ann",
        "bob",
        "bob",
    )
    assert state.board[Column.D] == [Token.RED]
    assert not state.is_finished
    assert state.result is None


def test_an_unknown_game_is_reported_by_id(app: ConnectFourApp) -> None:
    with pytest.raises(UnknownGameError) as raised:
        app.get_game("no-such-game")
    assert raised.value.game_id == "no-such-game"


def test_a_rejected_game_stores_nothing(
    app: ConnectFourApp, store: InMemoryEventStore
) -> None:
    with pytest.raises(SamePlayerError):
        app.create_game("ann", "ann")
    assert store.read_all() == []


def test_a_rejected_move_stores_nothing(
    app: ConnectFourApp, store: InMemoryEventStore
) -> None:
    game_id = app.create_game("ann", "bob")
    with pytest.raises(NotYourTurnError):
        app.make_move(game_id, Move("bob", Column.A))
    assert len(store.read_all()) == 1


class RacingRepository(EventSourcedGameRepository):
    """A repository where other clients move just before each of our appends."""

    def __init__(self, store: InMemoryEventStore, rounds: list[list[Move]]) -> None:
        super().__init__(store)
        self._rival = EventSourcedGameRepository(store)
        self._rounds = rounds

    def add(self, game: Game, metadata: object = None) -> None:
        if self._rounds and game.version >= 0:
            for move in self._rounds.pop(0):
                rival_game = self._rival.get(game.id)
                rival_game.make_move(move)
                self._rival.add(rival_game)
        super().add(game)


def new_game(store: InMemoryEventStore) -> str:
    return ConnectFourApp.over(EventSourcedGameRepository(store)).create_game(
        "ann", "bob"
    )


def stored_moves(store: InMemoryEventStore, game_id: str) -> list[tuple[str, str]]:
    return [
        (data["player"], data["column"])
        for type_, data in stored(store, game_id)
        if type_ == "MoveMade"
    ]


def test_a_conflict_reports_the_true_reason_from_the_fresh_state(
    store: InMemoryEventStore,
) -> None:
    # Given ann's move lands from another tab just before this tab's append,
    game_id = new_game(store)
    app = ConnectFourApp.over(RacingRepository(store, [[Move("ann", Column.A)]]))

    # when ann moves again here, she learns it is no longer her turn,
    with pytest.raises(NotYourTurnError):
        app.make_move(game_id, Move("ann", Column.B))

    # and only the first move was stored.
    assert stored_moves(store, game_id) == [("ann", "A")]


def test_a_move_still_legal_after_a_conflict_is_stored_on_the_retry(
    store: InMemoryEventStore,
) -> None:
    # Given two moves land elsewhere between this tab's load and its append,
    game_id = new_game(store)
    rivals = [[Move("ann", Column.A), Move("bob", Column.A)]]
    app = ConnectFourApp.over(RacingRepository(store, rivals))

    # when ann's move here is still legal on the fresh state,
    app.make_move(game_id, Move("ann", Column.B))

    # then it is stored after them.
    assert stored_moves(store, game_id) == [("ann", "A"), ("bob", "A"), ("ann", "B")]


def test_a_second_conflict_during_the_retry_is_reported(
    store: InMemoryEventStore,
) -> None:
    game_id = new_game(store)
    rivals = [
        [Move("ann", Column.A), Move("bob", Column.A)],
        [Move("ann", Column.C), Move("bob", Column.C)],
    ]
    app = ConnectFourApp.over(RacingRepository(store, rivals))

    with pytest.raises(ConcurrencyError):
        app.make_move(game_id, Move("ann", Column.B))

    assert ("ann", "B") not in stored_moves(store, game_id)


def test_a_move_refused_by_a_stale_cached_game_is_checked_on_the_stored_one(
    store: InMemoryEventStore,
) -> None:
    # Given this app cached the game when it created it, and ann then moved
    # through another app (another terminal, another machine),
    app = ConnectFourApp.over(EventSourcedGameRepository(store))
    game_id = app.create_game("ann", "bob")
    ConnectFourApp.over(EventSourcedGameRepository(store)).make_move(
        game_id, Move("ann", Column.A)
    )

    # when bob moves here, where the cached game still waits for ann,
    app.make_move(game_id, Move("bob", Column.B))

    # then the move is checked on the stored game, and stored.
    assert stored_moves(store, game_id) == [("ann", "A"), ("bob", "B")]


def test_a_move_on_a_stale_cached_game_that_is_still_legal_is_stored(
    store: InMemoryEventStore,
) -> None:
    # Given this app cached the game after ann's first move, and the game
    # then went on elsewhere,
    app = ConnectFourApp.over(EventSourcedGameRepository(store))
    game_id = app.create_game("ann", "bob")
    app.make_move(game_id, Move("ann", Column.A))
    elsewhere = ConnectFourApp.over(EventSourcedGameRepository(store))
    elsewhere.make_move(game_id, Move("bob", Column.A))
    elsewhere.make_move(game_id, Move("ann", Column.A))

    # when bob moves here (the cached game also says it is bob's turn),
    app.make_move(game_id, Move("bob", Column.C))

    # then the stale append is refused and the move is stored after theirs.
    assert stored_moves(store, game_id) == [
        ("ann", "A"),
        ("bob", "A"),
        ("ann", "A"),
        ("bob", "C"),
    ]


def test_a_move_against_the_rules_is_refused_after_the_stored_game_agrees(
    store: InMemoryEventStore,
) -> None:
    app = ConnectFourApp.over(EventSourcedGameRepository(store))
    game_id = app.create_game("ann", "bob")

    with pytest.raises(NotYourTurnError):
        app.make_move(game_id, Move("bob", Column.B))

    assert stored_moves(store, game_id) == []
