"""Snapshots: an aggregate's state at a stream position, to load long streams fast.

Loading an aggregate replays its whole stream. For an aggregate type whose
streams grow long, the repository can instead start from a snapshot (the
state as of some position) and replay only the events after it: the *tail*.
Because `apply` is a pure fold, snapshot plus tail gives exactly the state a
full replay gives; a property test checks it.

Snapshots are opt-in per aggregate type: use a `SnapshottingRepository`
(the plain `Repository`, extended) with a `Snapshotting`. It names where
snapshots are kept (a `SnapshotStore`), how an aggregate turns into JSON and
back (a `Snapshotter`) and how often to take one (`every` events). A
snapshot is only a cache of the events: one whose snapshotter version
differs from the current one is ignored, and the aggregate is replayed from
its first event.

An aggregate loaded from a snapshot has only the tail in `historical_events`;
its state and `version` are complete.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Generic, Protocol, TypeVar

from connect_four.eventsourcing.aggregate import Aggregate
from connect_four.eventsourcing.codec import EventCodec, JSONObject
from connect_four.eventsourcing.repository import Repository, StreamStore
from connect_four.eventsourcing.store import AppendResult

A = TypeVar("A", bound=Aggregate)  # type: ignore[type-arg]  # any event type
E = TypeVar("E")

_encode_json = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


@dataclass(frozen=True, slots=True)
class Snapshot:
    """An aggregate's state as of one position of its stream."""

    stream: str
    position: int
    """The stream position of the last event folded into the state."""
    version: int
    """The version of the snapshotter that wrote `state`."""
    state: bytes
    """The state, as UTF-8 JSON."""
    taken_at: datetime


class SnapshotStore(Protocol):
    """Where snapshots are kept: the newest one per stream."""

    def get(self, stream: str) -> Snapshot | None:
        """Return the newest snapshot of a stream, or None."""
        ...

    def put(self, snapshot: Snapshot) -> None:
        """Keep a snapshot unless one at a later position is kept already."""
        ...

    def close(self) -> None:
        """Release connections."""
        ...


class Snapshotter(Protocol[A]):
    """How one aggregate type turns into a JSON object and back."""

    @property
    def version(self) -> int:
        """Return the version of the state's shape; change it when the shape changes."""
        ...

    def take(self, aggregate: A) -> JSONObject:
        """Return the aggregate's state as a JSON object."""
        ...

    def restore(self, aggregate_id: str, state: JSONObject) -> A:
        """Return an aggregate with the state `take` returned, and no events."""
        ...


@dataclass(frozen=True, slots=True)
class Snapshotting(Generic[A]):
    """Opt an aggregate type into snapshots: where, how, and every how many events."""

    store: SnapshotStore
    snapshotter: Snapshotter[A]
    every: int = 100

    def __post_init__(self) -> None:
        if self.every < 1:
            raise ValueError(
                f"snapshots need an interval of 1 or more, not {self.every}"
            )

    def is_due(self, before: int, after: int) -> bool:
        """Return whether moving a stream from version `before` to `after` crossed
        a multiple of `every` events.
        """
        return (before + 1) // self.every < (after + 1) // self.every


class SnapshottingRepository(Repository[A, E]):
    """A `Repository` that loads from the newest snapshot and takes new ones.

    What it buys: loading a stream of N events replays only those after the
    snapshot, at most `every` of them (`python -m benchmarks.snapshots`
    measures it; see docs/benchmarks.md). Games are too short to need it.
    """

    def __init__(
        self,
        store: StreamStore,
        codec: EventCodec[E],
        factory: Callable[[str], A],
        stream_prefix: str,
        snapshotting: Snapshotting[A],
    ) -> None:
        super().__init__(store, codec, factory, stream_prefix)
        self.snapshotting = snapshotting

    def get(self, aggregate_id: str) -> A:
        """Load from the newest usable snapshot plus the events after it.

        Without one (none taken, or taken by another snapshotter version),
        this is a full replay.

        Raises:
            AggregateNotFoundError: the stream holds no events.
            UnreadableEventError: a stored event cannot be decoded, or cannot
                follow the events before it.
        """
        aggregate = self._from_snapshot(aggregate_id)
        if aggregate is None:
            return super().get(aggregate_id)
        return self.catch_up(aggregate)

    def add(
        self, aggregate: A, metadata: Mapping[str, object] | None = None
    ) -> AppendResult | None:
        """Append the new events; take a snapshot if they crossed a multiple of `every`.

        Raises:
            ConcurrencyError: someone else appended to the stream since it loaded.
        """
        loaded_at = aggregate.version
        result = super().add(aggregate, metadata)
        if result is not None and self.snapshotting.is_due(
            loaded_at, aggregate.version
        ):
            self.take_snapshot(aggregate)
        return result

    def take_snapshot(self, aggregate: A) -> None:
        """Store a snapshot of a stored aggregate's state."""
        if aggregate.uncommitted_events:
            return
        snapshotter = self.snapshotting.snapshotter
        self.snapshotting.store.put(
            Snapshot(
                self.stream_name(aggregate.id),
                aggregate.version,
                snapshotter.version,
                _encode_json(snapshotter.take(aggregate)).encode(),
                datetime.now(UTC),
            )
        )

    def _from_snapshot(self, aggregate_id: str) -> A | None:
        snapshot = self.snapshotting.store.get(self.stream_name(aggregate_id))
        snapshotter = self.snapshotting.snapshotter
        if snapshot is None or snapshot.version != snapshotter.version:
            return None
        try:
            state = json.loads(snapshot.state)
        except (UnicodeDecodeError, json.JSONDecodeError):
            # A snapshot is only a cache of the events: replay them instead.
            return None
        aggregate = snapshotter.restore(aggregate_id, state)
        aggregate.version = snapshot.position
        return aggregate
