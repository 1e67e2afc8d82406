"""The generic repository: load by replay, store only new events, refuse bad history."""

from __future__ import annotations

import pytest

from connect_four.domain.board import Column
from connect_four.domain.events import GameEvent
from connect_four.domain.game import Game, Move
from connect_four.eventsourcing.errors import (
    AggregateNotFoundError,
    ConcurrencyError,
    UnreadableEventError,
)
from connect_four.eventsourcing.events import NewEvent
from connect_four.eventsourcing.repository import Repository
from connect_four.eventsourcing.store import StreamState
from connect_four.eventsourcing.stores.memory.event_store import InMemoryEventStore
from connect_four.persistence.codec import game_codec

STARTED = NewEvent("GameStarted", b'{"player_one": "ann", "player_two": "bob"}')


def move(player: str, column: str) -> NewEvent:
    return NewEvent(
        "MoveMade", f'{{"player": "{player}", "column": "{column}"}}'.encode()
    )


@pytest.fixture
def store() -> InMemoryEventStore:
    return InMemoryEventStore()


@pytest.fixture
def games(store: InMemoryEventStore) -> Repository[Game, GameEvent]:
    return Repository(store, game_codec(), Game, "game-")


def test_a_new_aggregate_is_appended_as_a_new_stream(
    games: Repository[Game, GameEvent], store: InMemoryEventStore
) -> None:
    game = Game(id="g1")
    game.start_game("ann", "bob")

    games.add(game)

    assert [e.type for e in store.read_stream("game-g1")] == ["GameStarted"]
    assert game.uncommitted_events == []
    assert game.version == 0


def test_only_uncommitted_events_are_appended(
    games: Repository[Game, GameEvent], store: InMemoryEventStore
) -> None:
    store.append("game-g1", [STARTED, move("ann", "A")], StreamState.NO_STREAM)
    game = games.get("g1")
    game.make_move(Move("bob", Column.B))

    games.add(game)

    assert [e.stream_position for e in store.read_stream("game-g1")] == [0, 1, 2]


def test_adding_with_nothing_new_appends_nothing(
    games: Repository[Game, GameEvent], store: InMemoryEventStore
) -> None:
    store.append("game-g1", [STARTED], StreamState.NO_STREAM)
    assert games.add(games.get("g1")) is None
    assert store.last_global_position() == 1


def test_a_stale_aggregate_cannot_overwrite_newer_events(
    games: Repository[Game, GameEvent], store: InMemoryEventStore
) -> None:
    store.append("game-g1", [STARTED], StreamState.NO_STREAM)
    mine, theirs = games.get("g1"), games.get("g1")
    theirs.make_move(Move("ann", Column.A))
    games.add(theirs)
    mine.make_move(Move("ann", Column.G))

    with pytest.raises(ConcurrencyError):
        games.add(mine)

    assert len(store.read_stream("game-g1")) == 2


def test_a_missing_stream_is_not_found(games: Repository[Game, GameEvent]) -> None:
    with pytest.raises(AggregateNotFoundError) as raised:
        games.get("nope")
    assert raised.value.stream == "game-nope"


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        (NewEvent("MoveMade", b"not json"), "JSON"),
        (NewEvent("MoveMade", b'{"player": "ann"}'), "keys"),
        (NewEvent("MoveMade", b'{"player": "ann", "column": "Z"}'), "Z"),
        (NewEvent("MoveMade", b'{"player": 7, "column": "A"}'), "player"),
        (NewEvent("Teleported", b"{}"), "unknown event type"),
        (move("bob", "A"), "cannot move"),
    ],
)
def test_a_bad_stored_event_is_refused_naming_stream_position_and_type(
    games: Repository[Game, GameEvent],
    store: InMemoryEventStore,
    bad: NewEvent,
    reason: str,
) -> None:
    store.append("game-g1", [STARTED, bad], StreamState.NO_STREAM)

    with pytest.raises(UnreadableEventError) as raised:
        games.get("g1")

    assert (raised.value.stream, raised.value.position, raised.value.type) == (
        "game-g1",
        1,
        bad.type,
    )
    assert reason in str(raised.value)


def test_a_seventh_token_in_a_stored_column_is_refused(
    games: Repository[Game, GameEvent], store: InMemoryEventStore
) -> None:
    moves = [move(("ann", "bob")[i % 2], "A") for i in range(7)]
    store.append("game-g1", [STARTED, *moves], StreamState.NO_STREAM)

    with pytest.raises(UnreadableEventError) as raised:
        games.get("g1")

    assert raised.value.position == 7
    assert "full" in str(raised.value)


def test_records_read_by_the_caller_replay_to_the_same_aggregate_as_a_load(
    games: Repository[Game, GameEvent], store: InMemoryEventStore
) -> None:
    store.append("game-g1", [STARTED, move("ann", "A")], StreamState.NO_STREAM)

    replayed = games.replay("g1", store.read_stream("game-g1"))

    loaded = games.get("g1")
    assert (replayed.version, replayed.events) == (loaded.version, loaded.events)


def test_replaying_records_refuses_an_impossible_event_naming_where_it_is(
    games: Repository[Game, GameEvent], store: InMemoryEventStore
) -> None:
    store.append("game-g1", [STARTED, move("bob", "A")], StreamState.NO_STREAM)

    with pytest.raises(UnreadableEventError) as raised:
        games.replay("g1", store.read_stream("game-g1"))

    assert (raised.value.stream, raised.value.position) == ("game-g1", 1)


def test_replaying_no_records_is_not_found(
    games: Repository[Game, GameEvent],
) -> None:
    with pytest.raises(AggregateNotFoundError) as raised:
        games.replay("g1", [])
    assert raised.value.stream == "game-g1"
