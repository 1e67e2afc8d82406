"""SeenStreams and SeenGames: a look reads only what its stream gained since."""

from __future__ import annotations

import pytest

from connect_four.application.errors import UnknownGameError
from connect_four.application.seen_streams import SeenGames, SeenStreams
from connect_four.domain.board import Column
from connect_four.domain.game import Game, Move
from connect_four.eventsourcing.errors import DamagedStreamError
from connect_four.eventsourcing.events import RecordedEvent
from connect_four.eventsourcing.stores.memory.event_store import InMemoryEventStore
from connect_four.persistence.game_repository import EventSourcedGameRepository

STREAM = "game-g-1"


class CountingStore(InMemoryEventStore):
    """A memory store that notes where each read of a stream began."""

    def __init__(self) -> None:
        super().__init__()
        self.reads_from: list[int] = []

    def read_stream(self, stream: str, from_position: int = 0) -> list[RecordedEvent]:
        self.reads_from.append(from_position)
        return super().read_stream(stream, from_position)


def play(repository: EventSourcedGameRepository, *columns: Column) -> None:
    """Store a game g-1 (new if need be) with these moves added."""
    try:
        game = repository.get("g-1")
    except UnknownGameError:
        game = Game("g-1")
        game.start_game("ann", "bob")
    for column in columns:
        game.make_move(Move(game.next_player or "", column))
    repository.add(game)


def test_a_second_read_asks_the_store_only_for_the_records_after_the_first() -> None:
    store = CountingStore()
    repository = EventSourcedGameRepository(store, cache_size=0)
    play(repository, Column.A)
    seen = SeenStreams(store)
    first = seen.read(STREAM)
    play(repository, Column.B)
    store.reads_from.clear()

    second = seen.read(STREAM)

    assert store.reads_from == [len(first)]
    assert list(second) == store.read_stream(STREAM)


def test_a_stream_with_no_events_is_read_whole_every_time() -> None:
    store = CountingStore()
    seen = SeenStreams(store)

    assert list(seen.read(STREAM)) == []
    assert list(seen.read(STREAM)) == []
    assert store.reads_from == [0, 0]


def test_a_game_followed_from_the_last_look_equals_one_rebuilt_from_all() -> None:
    store = InMemoryEventStore()
    repository = EventSourcedGameRepository(store, cache_size=0)
    play(repository, Column.A)
    games = SeenGames(repository)
    games.game("g-1", store.read_stream(STREAM))
    play(repository, Column.B, Column.C)
    records = store.read_stream(STREAM)

    followed = games.game("g-1", records)

    rebuilt = repository.replay("g-1", records)
    assert (followed.version, followed.events, followed.board) == (
        rebuilt.version,
        rebuilt.events,
        rebuilt.board,
    )


def test_a_caller_changing_its_game_leaves_the_next_look_untouched() -> None:
    store = InMemoryEventStore()
    repository = EventSourcedGameRepository(store, cache_size=0)
    play(repository, Column.A)
    games = SeenGames(repository)
    records = store.read_stream(STREAM)
    handed_out = games.game("g-1", records)

    handed_out.make_move(Move("bob", Column.G))

    assert games.game("g-1", records).board == repository.replay("g-1", records).board


def test_new_records_that_skip_a_position_after_the_kept_game_are_refused() -> None:
    store = InMemoryEventStore()
    repository = EventSourcedGameRepository(store, cache_size=0)
    play(repository, Column.A, Column.B, Column.C)
    games = SeenGames(repository)
    records = store.read_stream(STREAM)
    games.game("g-1", records[:2])

    with pytest.raises(DamagedStreamError):
        games.game("g-1", [*records[:2], records[3]])
