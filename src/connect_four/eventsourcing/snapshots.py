"""Snapshots: an aggregate's state at a stream position, to load long streams fast.

Loading an aggregate replays its whole stream. For an aggregate type whose
streams grow long, the repository can instead start from a snapshot (the
state as of some position) and replay only the events after it: the *tail*.
Because `apply` is a pure fold, snapshot plus tail gives exactly the state a
full replay gives; a property test checks it.

Snapshots are opt-in per aggregate type: pass a `Snapshotting` to the
`Repository`. It names where snapshots are kept (a `SnapshotStore`), how an
aggregate turns into JSON and back (a `Snapshotter`) and how often to take one
(`every` events). A snapshot is only a cache of the events: one whose
snapshotter version differs from the current one is ignored, and the
aggregate is replayed from its first event.

An aggregate loaded from a snapshot has only the tail in `historical_events`;
its state and `version` are complete.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Generic, Protocol, TypeVar

from connect_four.eventsourcing.aggregate import Aggregate
from connect_four.eventsourcing.codec import JSONObject

A = TypeVar("A", bound=Aggregate)  # type: ignore[type-arg]  # any event type


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
