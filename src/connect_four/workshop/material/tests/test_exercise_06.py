"""Exercise 6: snapshots. Load from a snapshot plus the tail of the stream."""

from __future__ import annotations

import json

from mygame.game import Game, Move
from mygame.repository import GameRepository
from mygame.snapshots import (
    SnapshottingGameRepository,
    restore_snapshot,
    take_snapshot,
)

from connect_four.domain.board import Column
from connect_four.eventsourcing.events import RecordedEvent
from connect_four.eventsourcing.store import EventStore
from connect_four.eventsourcing.stores.memory.event_store import InMemoryEventStore

COLUMNS = "ABABABBABABACD"  # 14 moves, nobody wins


class CountingStore(InMemoryEventStore):
    """An in-memory store that counts the events each stream read returns."""

    def __init__(self) -> None:
        super().__init__()
        self.read: list[int] = []

    def read_stream(self, stream: str, from_position: int = 0) -> list[RecordedEvent]:
        records = super().read_stream(stream, from_position)
        self.read.append(len(records))
        return records


def played(columns: str) -> Game:
    game = Game()
    game.start_game("ann", "bob")
    for turn, column in enumerate(columns):
        game.make_move(Move(("ann", "bob")[turn % 2], Column(column)))
    return game


def state(game: Game) -> tuple[object, ...]:
    return (
        game.player_one,
        game.player_two,
        game.next_player,
        game.result,
        game.board,
        game.is_finished,
    )


def test_a_snapshot_is_plain_json() -> None:
    snapshot = take_snapshot(played("DDC"))
    assert json.loads(json.dumps(snapshot)) == snapshot


def test_a_restored_snapshot_equals_the_game_it_was_taken_of() -> None:
    for columns in ("", "D", "DDCCE", "AGBGCGD"):
        game = played(columns)
        restored = restore_snapshot(game.id, 7, take_snapshot(game))
        assert state(restored) == state(game)
        assert restored.version == 7


def test_a_restored_game_plays_on_like_the_original() -> None:
    game = played("AGBGCG")
    restored = restore_snapshot(game.id, 6, take_snapshot(game))
    restored.make_move(Move("ann", Column.D))
    assert restored.is_finished


def test_snapshot_plus_tail_loads_the_same_game_as_a_full_replay(
    store: EventStore,
) -> None:
    game = played(COLUMNS)
    SnapshottingGameRepository(store, every=5).add(game)
    from_snapshot = SnapshottingGameRepository(store, every=5)
    full = GameRepository(store).get(game.id)
    assert state(full) == state(game)
    # A repository that has taken no snapshot itself replays everything:
    assert state(from_snapshot.get(game.id)) == state(game)


def test_loading_after_a_snapshot_reads_only_the_tail() -> None:
    store = CountingStore()
    repository = SnapshottingGameRepository(store, every=5)
    game = played("")
    repository.add(game)
    for turn, column in enumerate(COLUMNS):
        game.make_move(Move(("ann", "bob")[turn % 2], Column(column)))
        repository.add(game)
    store.read.clear()

    loaded = repository.get(game.id)

    assert state(loaded) == state(game)
    assert loaded.version == len(COLUMNS)
    assert sum(store.read) < 5


def test_a_game_loaded_from_a_snapshot_stores_its_next_move(
    store: EventStore,
) -> None:
    repository = SnapshottingGameRepository(store, every=2)
    game = played("")
    repository.add(game)
    for turn, column in enumerate("DDCC"):
        game.make_move(Move(("ann", "bob")[turn % 2], Column(column)))
        repository.add(game)

    loaded = repository.get(game.id)
    loaded.make_move(Move("ann", Column.E))
    repository.add(loaded)

    assert GameRepository(store).get(game.id).board[Column.E] != []
