"""TableService: seated games opened, joined, forked and played through repositories."""

from __future__ import annotations

import json
from collections.abc import Sequence

import pytest

from connect_four.application import ConnectFourApp
from connect_four.application.tables import TableService
from connect_four.domain.board import Column
from connect_four.domain.exceptions import InviteUsedError, MoveNumberError
from connect_four.domain.table import digest
from connect_four.eventsourcing.errors import StoreUnavailableError
from connect_four.eventsourcing.events import NewEvent
from connect_four.eventsourcing.store import AppendResult, ExpectedVersion, StreamState
from connect_four.eventsourcing.stores.memory.event_store import InMemoryEventStore
from connect_four.persistence.game_repository import EventSourcedGameRepository
from connect_four.persistence.tables import table_service


class StoreThatStopsBeforeGames(InMemoryEventStore):
    """A store whose process dies before its next append to a game stream."""

    def __init__(self) -> None:
        super().__init__()
        self.crashing = False

    def append(
        self,
        stream: str,
        events: Sequence[NewEvent],
        expected_version: ExpectedVersion,
    ) -> AppendResult:
        if self.crashing and stream.startswith("game-"):
            self.crashing = False
            raise StoreUnavailableError("memory", "the process stopped here")
        return super().append(stream, events, expected_version)


@pytest.fixture
def store() -> StoreThatStopsBeforeGames:
    return StoreThatStopsBeforeGames()


@pytest.fixture
def tables(store: InMemoryEventStore) -> TableService:
    return table_service(ConnectFourApp.over(EventSourcedGameRepository(store)), store)


def types_in(store: InMemoryEventStore, stream: str) -> list[str]:
    return [record.type for record in store.read_stream(stream)]


def test_opening_a_game_stores_its_table_then_its_start(
    tables: TableService, store: InMemoryEventStore
) -> None:
    opening = tables.open_game("ann", "bob")
    assert types_in(store, f"seats-{opening.game_id}") == ["SeatTaken", "SeatTaken"]
    assert types_in(store, f"game-{opening.game_id}") == ["GameStarted"]


def test_a_join_takes_seat_two_and_starts_the_game(
    tables: TableService, store: InMemoryEventStore
) -> None:
    opening = tables.open_with_invite("ann")
    assert opening.invite_secret is not None
    assert types_in(store, f"game-{opening.game_id}") == []

    tables.join(opening.game_id, "bob", opening.invite_secret)

    assert types_in(store, f"game-{opening.game_id}") == ["GameStarted"]
    with pytest.raises(InviteUsedError):
        tables.join(opening.game_id, "cy", opening.invite_secret)


def test_a_crash_between_the_seat_and_the_start_leaves_nothing_half_done(
    tables: TableService, store: StoreThatStopsBeforeGames
) -> None:
    opening = tables.open_with_invite("ann")
    assert opening.invite_secret is not None
    store.crashing = True
    with pytest.raises(StoreUnavailableError):
        tables.join(opening.game_id, "bob", opening.invite_secret)

    # A read shows the game the full table decides, and stores nothing.
    before = store.last_global_position()
    seated = tables.look(opening.game_id)
    assert seated.game is not None
    assert (seated.game.player_one, seated.game.next_player) == ("ann", "ann")
    assert store.last_global_position() == before

    # The next command finishes the start, then does its own work.
    tables.move(opening.game_id, opening.seats[0].token, Column.D)
    assert types_in(store, f"game-{opening.game_id}") == ["GameStarted", "MoveMade"]


def test_starting_a_seated_game_again_stores_nothing_more(
    tables: TableService, store: InMemoryEventStore
) -> None:
    opening = tables.open_game("ann", "bob")
    tables.start_seated_game(opening.game_id)
    tables.start_seated_game(opening.game_id)
    assert types_in(store, f"game-{opening.game_id}") == ["GameStarted"]


def test_a_fork_interrupted_before_its_start_resumes_at_the_forked_position(
    tables: TableService, store: StoreThatStopsBeforeGames
) -> None:
    original = tables.open_game("ann", "bob")
    for seat, column in zip([0, 1, 0], "DCD", strict=True):
        tables.move(original.game_id, original.seats[seat].token, Column(column))
    store.crashing = True
    with pytest.raises(StoreUnavailableError):
        tables.fork(original.game_id, 2)
    (table_stream,) = {
        r.stream
        for r in store.read_all()
        if r.stream.startswith("seats-") and original.game_id not in r.stream
    }
    fork_id = table_stream.removeprefix("seats-")

    tables.start_seated_game(fork_id)

    records = store.read_stream(f"game-{fork_id}")
    assert [r.type for r in records] == ["GameStarted", "MoveMade", "MoveMade"]
    origin = json.loads(records[0].metadata)["forked_from"]
    assert (origin["game_id"], origin["moves"]) == (original.game_id, 2)


def test_a_move_sent_twice_under_its_number_is_stored_once(
    tables: TableService, store: InMemoryEventStore
) -> None:
    opening = tables.open_game("ann", "bob")
    ann, bob = (seat.token for seat in opening.seats)
    tables.move(opening.game_id, ann, Column.D, number=1)
    tables.move(opening.game_id, bob, Column.C, number=2)

    tables.move(opening.game_id, ann, Column.D, number=1)

    assert types_in(store, f"game-{opening.game_id}") == [
        "GameStarted",
        "MoveMade",
        "MoveMade",
    ]


def test_a_number_the_game_has_passed_with_another_move_is_refused(
    tables: TableService, store: InMemoryEventStore
) -> None:
    opening = tables.open_game("ann", "bob")
    ann, bob = (seat.token for seat in opening.seats)
    tables.move(opening.game_id, ann, Column.D, number=1)
    tables.move(opening.game_id, bob, Column.C, number=2)
    before = store.last_global_position()

    with pytest.raises(MoveNumberError):
        tables.move(opening.game_id, ann, Column.E, number=1)
    with pytest.raises(MoveNumberError):
        tables.move(opening.game_id, ann, Column.E, number=5)
    assert store.last_global_position() == before


def test_seat_streams_stored_by_the_earlier_web_still_load(
    tables: TableService, store: InMemoryEventStore
) -> None:
    # Exactly what the web wrote before seats were an aggregate: no schema
    # version, and `computer` only on a computer's seat.
    game_id = "0b9c3f0e-0000-4000-8000-000000000001"
    metadata = json.dumps({"via": "web", "command": "open_game"}).encode()
    seats = [
        {"seat": 1, "player": "ann", "token_sha256": digest("ann-token")},
        {
            "seat": 2,
            "player": "computer (easy)",
            "token_sha256": digest("unused"),
            "computer": "easy",
        },
    ]
    store.append(
        f"seats-{game_id}",
        [NewEvent("SeatTaken", json.dumps(s).encode(), metadata) for s in seats],
        StreamState.NO_STREAM,
    )
    started = {"player_one": "ann", "player_two": "computer (easy)"}
    store.append(
        f"game-{game_id}",
        [NewEvent("GameStarted", json.dumps(started).encode(), metadata)],
        StreamState.NO_STREAM,
    )

    seat = tables.computer_seat(game_id)
    tables.move(game_id, "ann-token", Column.A, number=1)

    assert seat is not None
    assert (seat.player, seat.computer) == ("computer (easy)", "easy")
    assert types_in(store, f"game-{game_id}")[-1] == "MoveMade"


def test_an_invite_stored_by_the_earlier_web_can_still_be_joined(
    tables: TableService, store: InMemoryEventStore
) -> None:
    game_id = "0b9c3f0e-0000-4000-8000-000000000002"
    events = [
        ("SeatTaken", {"seat": 1, "player": "ann", "token_sha256": digest("t")}),
        ("InviteIssued", {"seat": 2, "secret_sha256": digest("join-me")}),
    ]
    store.append(
        f"seats-{game_id}",
        [NewEvent(kind, json.dumps(data).encode(), b"{}") for kind, data in events],
        StreamState.NO_STREAM,
    )

    tables.join(game_id, "bob", "join-me")

    assert types_in(store, f"game-{game_id}") == ["GameStarted"]
