"""The repository's aggregate cache: fewer reads, never a wrong answer."""

from __future__ import annotations

import pytest

from connect_four.domain.board import Column
from connect_four.domain.events import GameEvent, MoveMade
from connect_four.domain.game import Game, Move
from connect_four.eventsourcing.cache import AggregateCache, CachingRepository
from connect_four.eventsourcing.errors import ConcurrencyError
from connect_four.eventsourcing.events import RecordedEvent
from connect_four.eventsourcing.repository import Repository
from connect_four.eventsourcing.stores.memory.event_store import InMemoryEventStore
from connect_four.persistence.codec import game_codec


class CountingStore(InMemoryEventStore):
    """The in-memory store, noting every stream read and where it started."""

    def __init__(self) -> None:
        super().__init__()
        self.reads: list[tuple[str, int]] = []

    def read_stream(self, stream: str, from_position: int = 0) -> list[RecordedEvent]:
        self.reads.append((stream, from_position))
        return super().read_stream(stream, from_position)


@pytest.fixture
def store() -> CountingStore:
    return CountingStore()


def repository(
    store: CountingStore, cache_size: int = 8
) -> CachingRepository[Game, GameEvent]:
    return CachingRepository(store, game_codec(), Game, "game-", cache_size)


def stored_game(games: Repository[Game, GameEvent], game_id: str = "g1") -> Game:
    game = Game(game_id)
    game.start_game("ann", "bob")
    games.add(game)
    return game


def test_a_load_after_an_append_reads_only_the_events_after_it(
    store: CountingStore,
) -> None:
    games = repository(store)
    game = stored_game(games)
    game.make_move(Move("ann", Column.A))
    games.add(game)

    loaded = games.get("g1")

    assert store.reads == [("game-g1", 2)]
    assert loaded.version == 1
    assert loaded.next_player == "bob"


def test_a_load_sees_what_another_writer_appended_since() -> None:
    # Given two repositories (two processes, say) over one store,
    store = CountingStore()
    ours, theirs = repository(store), repository(store)
    stored_game(ours)
    # when the other one stores a move,
    game = theirs.get("g1")
    game.make_move(Move("ann", Column.D))
    theirs.add(game)

    # then ours loads it, on top of its cached copy.
    loaded = ours.get("g1")
    assert loaded.version == 1
    assert loaded.events[-1] == MoveMade("ann", Column.D)


def test_a_command_gets_the_cached_copy_without_reading(store: CountingStore) -> None:
    games = repository(store)
    stored_game(games)

    game = games.get_for_command("g1")

    assert store.reads == []
    assert game.version == 0


def test_a_stale_copy_for_a_command_cannot_overwrite_newer_events() -> None:
    store = CountingStore()
    ours, theirs = repository(store), repository(store)
    stored_game(ours)
    rival = theirs.get("g1")
    rival.make_move(Move("ann", Column.D))
    theirs.add(rival)

    stale = ours.get_for_command("g1")
    stale.make_move(Move("ann", Column.A))

    with pytest.raises(ConcurrencyError):
        ours.add(stale)
    assert [e.stream_position for e in store.read_stream("game-g1")] == [0, 1]


def test_changing_a_loaded_aggregate_does_not_change_the_cache(
    store: CountingStore,
) -> None:
    # Given a command that changes the game it loaded, then fails to store it,
    games = repository(store)
    stored_game(games)
    abandoned = games.get("g1")
    abandoned.make_move(Move("ann", Column.A))

    # when the game is loaded again,
    loaded = games.get("g1")

    # then it is as stored: the abandoned move is not in it.
    assert loaded.version == 0
    assert loaded.uncommitted_events == []
    assert loaded.board[Column.A] == []


def test_the_least_recently_used_aggregate_is_evicted(store: CountingStore) -> None:
    games = repository(store, cache_size=2)
    for game_id in ("g1", "g2", "g3"):
        stored_game(games, game_id)

    for game_id in ("g3", "g2", "g1"):
        games.get(game_id)

    # g1, stored first, was evicted when g3 was stored: it is read whole.
    assert store.reads == [("game-g3", 1), ("game-g2", 1), ("game-g1", 0)]


def test_without_a_cache_every_load_replays_the_whole_stream(
    store: CountingStore,
) -> None:
    games: Repository[Game, GameEvent] = Repository(store, game_codec(), Game, "game-")
    stored_game(games)

    games.get("g1")
    games.get("g1")

    assert store.reads == [("game-g1", 0), ("game-g1", 0)]


def test_a_cache_holds_at_least_one_aggregate() -> None:
    with pytest.raises(ValueError, match="at least one"):
        AggregateCache[Game](0)


def test_an_aggregate_with_unstored_events_is_not_cached() -> None:
    cache = AggregateCache[Game](4)
    game = Game("g1")
    game.start_game("ann", "bob")

    cache.keep("game-g1", game)

    assert cache.take("game-g1") is None
