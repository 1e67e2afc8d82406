"""Snapshots in process memory: for tests, demos and benchmarks."""

from __future__ import annotations

import threading

from connect_four.eventsourcing.snapshots import Snapshot


class InMemorySnapshotStore:
    """Keep the newest snapshot of each stream in a dict."""

    def __init__(self) -> None:
        self._snapshots: dict[str, Snapshot] = {}
        self._lock = threading.Lock()

    def get(self, stream: str) -> Snapshot | None:
        """Return the newest snapshot of a stream, or None."""
        return self._snapshots.get(stream)

    def put(self, snapshot: Snapshot) -> None:
        """Keep a snapshot unless one at a later position is kept already."""
        with self._lock:
            kept = self._snapshots.get(snapshot.stream)
            if kept is None or kept.position <= snapshot.position:
                self._snapshots[snapshot.stream] = snapshot

    def close(self) -> None:
        """Do nothing: memory needs no releasing."""
