"""Snapshots in the SQLite file that holds the events.

One row per stream, replaced only by a snapshot at a later position, so two
processes taking snapshots of the same stream at once keep the newer one.
The connection runs with `synchronous = NORMAL`: a snapshot lost to a power
cut is only a cache miss.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from pathlib import Path

from connect_four.eventsourcing.snapshots import Snapshot
from connect_four.eventsourcing.stores.sqlite.connection import (
    connect,
    translate_errors,
)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS snapshots (
    stream TEXT PRIMARY KEY,
    position INTEGER NOT NULL,
    version INTEGER NOT NULL,
    state BLOB NOT NULL,
    taken_at REAL NOT NULL
)
"""
_GET = "SELECT position, version, state, taken_at FROM snapshots WHERE stream = ?"
_PUT = (
    "INSERT INTO snapshots (stream, position, version, state, taken_at)"
    " VALUES (?, ?, ?, ?, ?)"
    " ON CONFLICT (stream) DO UPDATE SET position = excluded.position,"
    " version = excluded.version, state = excluded.state, taken_at = excluded.taken_at"
    " WHERE excluded.position >= snapshots.position"
)


class SQLiteSnapshotStore:
    """Keep snapshots in a SQLite file, normally the event store's own."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self._lock = threading.Lock()
        connection = connect(self.path, synchronous="NORMAL")
        with translate_errors(self.path):
            connection.execute(_SCHEMA)
        self._connection = connection

    def get(self, stream: str) -> Snapshot | None:
        """Return the newest snapshot of a stream, or None."""
        with self._lock, translate_errors(self.path):
            row = self._connection.execute(_GET, (stream,)).fetchone()
        if row is None:
            return None
        position, version, state, taken_at = row
        return Snapshot(
            stream, position, version, state, datetime.fromtimestamp(taken_at, UTC)
        )

    def put(self, snapshot: Snapshot) -> None:
        """Keep a snapshot unless one at a later position is kept already."""
        row = (
            snapshot.stream,
            snapshot.position,
            snapshot.version,
            snapshot.state,
            snapshot.taken_at.timestamp(),
        )
        with self._lock, translate_errors(self.path):
            self._connection.execute(_PUT, row)

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            self._connection.close()
