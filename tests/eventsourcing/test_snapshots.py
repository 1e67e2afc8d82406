"""Snapshots: a snapshot plus the events after it gives exactly a full replay."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import assert_never

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from connect_four.eventsourcing.aggregate import Aggregate
from connect_four.eventsourcing.codec import EventCodec, JSONObject
from connect_four.eventsourcing.events import RecordedEvent
from connect_four.eventsourcing.repository import Repository
from connect_four.eventsourcing.snapshots import (
    Snapshot,
    SnapshotStore,
    Snapshotting,
    SnapshottingRepository,
)
from connect_four.eventsourcing.stores.memory.event_store import InMemoryEventStore
from connect_four.eventsourcing.stores.memory.snapshots import InMemorySnapshotStore
from connect_four.eventsourcing.stores.sqlite.snapshots import SQLiteSnapshotStore
from tests.eventsourcing.stores.backends import (
    drop_postgres_schema,
    new_schema_name,
    postgres_url,
)


@dataclasses.dataclass(frozen=True, slots=True)
class Added:
    amount: int


@dataclasses.dataclass(frozen=True, slots=True)
class Reset:
    reason: str


TallyEvent = Added | Reset


class Tally(Aggregate[TallyEvent]):
    """A running total that can be reset: state that depends on event order."""

    def __init__(self, id: str) -> None:
        super().__init__(id)
        self.total = 0
        self.additions = 0
        self.resets: list[str] = []

    def add(self, amount: int) -> None:
        self.record(Added(amount))

    def reset(self, reason: str) -> None:
        self.record(Reset(reason))

    def apply(self, event: TallyEvent) -> None:
        match event:
            case Added(amount):
                self.total += amount
                self.additions += 1
            case Reset(reason):
                self.total = 0
                self.resets.append(reason)
            case _:
                assert_never(event)


class TallySnapshotter:
    version = 1

    def take(self, aggregate: Tally) -> JSONObject:
        return {
            "total": aggregate.total,
            "additions": aggregate.additions,
            "resets": aggregate.resets,
        }

    def restore(self, aggregate_id: str, state: JSONObject) -> Tally:
        tally = Tally(aggregate_id)
        tally.total = state["total"]
        tally.additions = state["additions"]
        tally.resets = list(state["resets"])
        return tally


class ReadCountingStore(InMemoryEventStore):
    def __init__(self) -> None:
        super().__init__()
        self.reads: list[int] = []

    def read_stream(self, stream: str, from_position: int = 0) -> list[RecordedEvent]:
        self.reads.append(from_position)
        return super().read_stream(stream, from_position)


def repository(
    store: InMemoryEventStore, snapshots: SnapshotStore | None = None, every: int = 3
) -> Repository[Tally, TallyEvent]:
    codec: EventCodec[TallyEvent] = EventCodec([Added, Reset])
    if snapshots is None:
        return Repository(store, codec, Tally, "tally-")
    snapshotting = Snapshotting(snapshots, TallySnapshotter(), every=every)
    return SnapshottingRepository(store, codec, Tally, "tally-", snapshotting)


def record(tally: Tally, batch: list[TallyEvent]) -> None:
    for event in batch:
        if isinstance(event, Added):
            tally.add(event.amount)
        else:
            tally.reset(event.reason)


def state(tally: Tally) -> tuple[JSONObject, int]:
    return TallySnapshotter().take(tally), tally.version


events = st.one_of(
    st.builds(Added, st.integers(-1000, 1000)),
    st.builds(Reset, st.text(max_size=5)),
)


@settings(max_examples=60, deadline=None)
@given(
    batches=st.lists(st.lists(events, min_size=1, max_size=6), min_size=1, max_size=8),
    every=st.integers(1, 7),
)
def test_a_snapshot_plus_its_tail_equals_a_full_replay(
    batches: list[list[TallyEvent]], every: int
) -> None:
    store = InMemoryEventStore()
    snapshotted = repository(store, InMemorySnapshotStore(), every)
    tally = Tally("t")
    for batch in batches:
        record(tally, batch)
        snapshotted.add(tally)
        tally = snapshotted.get("t")

    assert state(snapshotted.get("t")) == state(repository(store).get("t"))


def test_snapshots_are_taken_when_an_append_crosses_a_multiple_of_every() -> None:
    snapshots = InMemorySnapshotStore()
    tallies = repository(InMemoryEventStore(), snapshots, every=3)
    tally = Tally("t")
    taken: list[int | None] = []
    for size in (2, 2, 1, 4):
        record(tally, [Added(1)] * size)
        tallies.add(tally)
        snapshot = snapshots.get("tally-t")
        taken.append(None if snapshot is None else snapshot.position)

    assert taken == [None, 3, 3, 8]


def test_loading_from_a_snapshot_reads_only_the_tail() -> None:
    store = ReadCountingStore()
    tallies = repository(store, InMemorySnapshotStore(), every=4)
    tally = Tally("t")
    record(tally, [Added(2)] * 5)
    tallies.add(tally)
    tally = tallies.get("t")
    record(tally, [Added(1)])
    tallies.add(tally)

    loaded = tallies.get("t")

    assert store.reads[-1] == 5
    assert (loaded.total, loaded.version) == (11, 5)
    assert loaded.historical_events == [Added(1)]


def test_a_snapshot_of_another_shape_version_is_ignored() -> None:
    store = InMemoryEventStore()
    snapshots = InMemorySnapshotStore()
    tally = Tally("t")
    record(tally, [Added(2), Added(3)])
    repository(store).add(tally)
    stale = Snapshot("tally-t", 1, 0, b'{"total": 99}', datetime.now(UTC))
    snapshots.put(stale)

    loaded = repository(store, snapshots).get("t")

    assert (loaded.total, loaded.version, len(loaded.historical_events)) == (5, 1, 2)


def test_an_unreadable_snapshot_is_a_cache_miss() -> None:
    store = InMemoryEventStore()
    snapshots = InMemorySnapshotStore()
    tally = Tally("t")
    record(tally, [Added(2)])
    repository(store).add(tally)
    snapshots.put(Snapshot("tally-t", 0, 1, b"\xff not json", datetime.now(UTC)))

    assert repository(store, snapshots).get("t").total == 2


def test_an_interval_below_one_is_refused() -> None:
    with pytest.raises(ValueError, match="interval"):
        Snapshotting(InMemorySnapshotStore(), TallySnapshotter(), every=0)


# Every snapshot store


@pytest.fixture(params=["memory", "sqlite", "postgres"])
def snapshot_store(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[SnapshotStore]:
    kind = request.param
    schema = ""
    opened: SnapshotStore
    if kind == "memory":
        opened = InMemorySnapshotStore()
    elif kind == "sqlite":
        opened = SQLiteSnapshotStore(tmp_path / "events.db")
    else:
        from connect_four.eventsourcing.stores.postgresql.event_store import parse_url
        from connect_four.eventsourcing.stores.postgresql.snapshots import (
            PostgresSnapshotStore,
        )

        conninfo, _, _ = parse_url(postgres_url())
        schema = new_schema_name()
        opened = PostgresSnapshotStore(conninfo, schema)
    try:
        yield opened
    finally:
        opened.close()
        if schema:
            drop_postgres_schema(schema)


def snapshot(stream: str, position: int) -> Snapshot:
    when = datetime(2025, 1, 1, 12, position, tzinfo=UTC)
    return Snapshot(stream, position, 1, f'{{"at": {position}}}'.encode(), when)


def test_a_stored_snapshot_reads_back_whole(snapshot_store: SnapshotStore) -> None:
    stream = f"s-{uuid.uuid4()}"
    snapshot_store.put(snapshot(stream, 4))

    assert snapshot_store.get(stream) == snapshot(stream, 4)
    assert snapshot_store.get("s-unknown") is None


def test_only_a_later_snapshot_replaces_the_kept_one(
    snapshot_store: SnapshotStore,
) -> None:
    stream = f"s-{uuid.uuid4()}"
    snapshot_store.put(snapshot(stream, 4))
    snapshot_store.put(snapshot(stream, 9))
    snapshot_store.put(snapshot(stream, 6))

    kept = snapshot_store.get(stream)

    assert kept is not None
    assert kept.position == 9
