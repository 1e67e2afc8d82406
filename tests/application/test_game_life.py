"""GameLife: resign, claim a win, call a game off, rematch; all by seat token."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import pytest

from connect_four.application import ConnectFourApp
from connect_four.application.game_life import GameLife
from connect_four.application.tables import (
    ComputerChoice,
    Opening,
    TableService,
)
from connect_four.domain.board import Column
from connect_four.domain.exceptions import (
    ClaimOnOwnTurnError,
    ClaimTooEarlyError,
    GameOverError,
    GameUnderwayError,
    InviteWithdrawnError,
    RematchNotReadyError,
    SeatTokenRejectedError,
    WaitingForOpponentError,
)
from connect_four.domain.result import GameResult
from connect_four.eventsourcing.stores.memory.event_store import InMemoryEventStore
from connect_four.persistence.game_repository import EventSourcedGameRepository
from connect_four.persistence.tables import table_service

LIMIT = timedelta(minutes=5)


class Clock:
    """A clock the test moves by hand; it starts at the real time, as the store's."""

    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, by: timedelta) -> None:
        self.now += by


@pytest.fixture
def store() -> InMemoryEventStore:
    return InMemoryEventStore()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def app(store: InMemoryEventStore) -> ConnectFourApp:
    return ConnectFourApp.over(EventSourcedGameRepository(store))


@pytest.fixture
def tables(app: ConnectFourApp, store: InMemoryEventStore) -> TableService:
    return table_service(app, store)


@pytest.fixture
def life(app: ConnectFourApp, tables: TableService, clock: Clock) -> GameLife:
    return GameLife(app, tables, claim_after=LIMIT, clock=clock)


def types_in(store: InMemoryEventStore, stream: str) -> list[str]:
    return [record.type for record in store.read_stream(stream)]


def ann_and_bob(tables: TableService) -> tuple[str, str, str]:
    """Return a game id and ann's and bob's tokens, bob joined by invite."""
    opening = tables.open_with_invite("ann")
    assert opening.invite_secret is not None
    bob = tables.join(opening.game_id, "bob", opening.invite_secret)
    return opening.game_id, opening.seats[0].token, bob.token


def finished(tables: TableService, life: GameLife) -> tuple[str, str, str]:
    game_id, ann, bob = ann_and_bob(tables)
    life.resign(game_id, bob)
    return game_id, ann, bob


def test_resigning_stores_player_resigned_then_the_other_players_win(
    tables: TableService, life: GameLife, app: ConnectFourApp, store: InMemoryEventStore
) -> None:
    game_id, ann, bob = ann_and_bob(tables)
    tables.move(game_id, ann, Column.A)
    life.resign(game_id, bob)
    assert types_in(store, f"game-{game_id}")[-2:] == ["PlayerResigned", "GameFinished"]
    assert app.get_game(game_id).result is GameResult.PLAYER_ONE_WON


def test_resigning_a_finished_game_is_refused_and_stores_nothing(
    tables: TableService, life: GameLife, store: InMemoryEventStore
) -> None:
    game_id, ann, _ = finished(tables, life)
    before = store.read_stream(f"game-{game_id}")
    with pytest.raises(GameOverError):
        life.resign(game_id, ann)
    assert store.read_stream(f"game-{game_id}") == before


def test_a_spectator_cannot_resign(tables: TableService, life: GameLife) -> None:
    game_id, _, _ = ann_and_bob(tables)
    with pytest.raises(SeatTokenRejectedError):
        life.resign(game_id, "a guess")


def test_a_game_nobody_joined_is_called_off_not_resigned(
    tables: TableService, life: GameLife
) -> None:
    opening = tables.open_with_invite("ann")
    with pytest.raises(WaitingForOpponentError):
        life.resign(opening.game_id, opening.seats[0].token)


def test_the_waiting_player_claims_the_win_once_the_time_is_up(
    tables: TableService, life: GameLife, app: ConnectFourApp, clock: Clock
) -> None:
    game_id, ann, _ = ann_and_bob(tables)
    tables.move(game_id, ann, Column.D)  # bob to move, and gone
    clock.advance(LIMIT + timedelta(seconds=1))
    life.claim_win(game_id, ann)
    assert app.get_game(game_id).result is GameResult.PLAYER_ONE_WON


def test_a_claim_before_the_time_is_up_is_refused_and_stores_nothing(
    tables: TableService, life: GameLife, store: InMemoryEventStore, clock: Clock
) -> None:
    game_id, ann, _ = ann_and_bob(tables)
    tables.move(game_id, ann, Column.D)
    clock.advance(LIMIT - timedelta(minutes=1))
    before = store.read_stream(f"game-{game_id}")
    with pytest.raises(ClaimTooEarlyError):
        life.claim_win(game_id, ann)
    assert store.read_stream(f"game-{game_id}") == before


def test_the_player_to_move_cannot_claim(
    tables: TableService, life: GameLife, clock: Clock
) -> None:
    game_id, ann, _ = ann_and_bob(tables)
    clock.advance(timedelta(hours=1))
    with pytest.raises(ClaimOnOwnTurnError):
        life.claim_win(game_id, ann)


def test_a_game_waits_for_its_next_move_from_the_last_stored_event(
    tables: TableService, life: GameLife, store: InMemoryEventStore
) -> None:
    game_id, ann, _ = ann_and_bob(tables)
    tables.move(game_id, ann, Column.D)
    last = store.read_stream(f"game-{game_id}")[-1]
    assert life.waiting_since(tables.look(game_id)) == last.recorded_at


def test_the_creator_calls_off_a_game_nobody_joined(
    tables: TableService, life: GameLife, store: InMemoryEventStore
) -> None:
    opening = tables.open_with_invite("ann")
    life.withdraw(opening.game_id, opening.seats[0].token)
    assert types_in(store, f"seats-{opening.game_id}")[-1] == "InviteWithdrawn"
    assert opening.invite_secret is not None
    with pytest.raises(InviteWithdrawnError):
        tables.join(opening.game_id, "bob", opening.invite_secret)
    assert not store.read_stream(f"game-{opening.game_id}")


def test_a_started_game_cannot_be_called_off(
    tables: TableService, life: GameLife
) -> None:
    game_id, ann, _ = ann_and_bob(tables)
    with pytest.raises(GameUnderwayError):
        life.withdraw(game_id, ann)


def test_a_rematch_waits_for_the_other_player_with_colours_swapped(
    tables: TableService, life: GameLife, store: InMemoryEventStore
) -> None:
    game_id, ann, _ = finished(tables, life)
    rematch = life.rematch(game_id, ann)
    assert not rematch.started
    assert rematch.seat.player == "ann"
    assert int(rematch.seat.seat) == 2
    assert rematch.seat.token == ann
    assert types_in(store, f"seats-{game_id}")[-1] == "RematchOffered"
    assert types_in(store, f"seats-{rematch.game_id}") == ["SeatOffered", "SeatTaken"]
    assert not store.read_stream(f"game-{rematch.game_id}")


def test_the_other_player_accepts_the_rematch_with_their_own_token(
    tables: TableService, life: GameLife, app: ConnectFourApp
) -> None:
    game_id, ann, bob = finished(tables, life)
    offered = life.rematch(game_id, ann)
    accepted = life.rematch(game_id, bob)
    assert accepted.game_id == offered.game_id
    assert accepted.started
    state = app.get_game(accepted.game_id)
    assert (state.player_one, state.player_two) == ("bob", "ann")
    tables.move(accepted.game_id, bob, Column.C)  # bob's old token plays red now


def test_asking_for_the_same_rematch_again_gives_the_same_game(
    tables: TableService, life: GameLife
) -> None:
    game_id, ann, _ = finished(tables, life)
    assert life.rematch(game_id, ann) == life.rematch(game_id, ann)


def test_no_rematch_before_the_end(tables: TableService, life: GameLife) -> None:
    game_id, ann, _ = ann_and_bob(tables)
    with pytest.raises(RematchNotReadyError):
        life.rematch(game_id, ann)


def test_a_spectator_cannot_ask_for_a_rematch(
    tables: TableService, life: GameLife
) -> None:
    game_id, _, _ = finished(tables, life)
    with pytest.raises(SeatTokenRejectedError):
        life.rematch(game_id, "a guess")


def test_a_rematch_called_off_cannot_be_accepted(
    tables: TableService, life: GameLife
) -> None:
    game_id, ann, bob = finished(tables, life)
    offered = life.rematch(game_id, ann)
    life.withdraw(offered.game_id, ann)
    with pytest.raises(InviteWithdrawnError):
        life.rematch(game_id, bob)


def test_a_rematch_against_the_computer_starts_at_once(
    app: ConnectFourApp, store: InMemoryEventStore, clock: Clock
) -> None:
    tables = table_service(app, store, ComputerThatPlaysA())
    life = GameLife(app, tables, clock=clock)
    opening: Opening = tables.open_against_computer("ann", "easy")
    ann = opening.seats[0].token
    life.resign(opening.game_id, ann)
    rematch = life.rematch(opening.game_id, ann)
    assert rematch.started
    state = app.get_game(rematch.game_id)
    assert (state.player_one, state.player_two) == ("computer (easy)", "ann")


class ComputerThatPlaysA:
    """A computer player that always names column A."""

    def name(self, level: str) -> str:
        return f"computer ({level})"

    def choose(self, level: str, moves: Sequence[Column]) -> ComputerChoice:
        return ComputerChoice(Column.A, {})
