"""Read models in the SQLite file that holds the events.

The projection tables (see `sql_projections`) are created in the same file as
the `events` table, so one backup holds both, and a page of documents is
committed together with its checkpoint in one `BEGIN IMMEDIATE` transaction.

This storage opens its own connection to the file. It runs with
`synchronous = NORMAL`: in WAL mode a power cut may then lose the last few
projection commits, but never tear one, and a lost commit only means that its
events are folded again from the checkpoint before it. The events themselves
stay at `synchronous = FULL` on the store's connection.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from connect_four.eventsourcing.stores.sql_projections import (
    SCHEMA,
    SQLConnection,
    SQLProjectionStorage,
)
from connect_four.eventsourcing.stores.sqlite_connection import (
    connect,
    translate_errors,
)


class _Connection:
    """The `SQLConnection` the shared statements run on."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._connection = connection

    def query(self, sql: str, params: Sequence[object] = ()) -> list[tuple[Any, ...]]:
        """Run a statement and return its rows."""
        return self._connection.execute(sql, params).fetchall()

    def execute(self, sql: str, params: Sequence[object] = ()) -> int:
        """Run a statement and return how many rows it changed."""
        return self._connection.execute(sql, params).rowcount

    def execute_many(self, sql: str, rows: Sequence[Sequence[object]]) -> None:
        """Run a statement once per row of parameters."""
        self._connection.executemany(sql, rows)


class SQLiteProjectionStorage(SQLProjectionStorage):
    """Keep projections in a SQLite file, normally the event store's own."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self._lock = threading.Lock()
        connection = connect(self.path, synchronous="NORMAL")
        with translate_errors(self.path):
            connection.execute("BEGIN IMMEDIATE")
            for statement in SCHEMA:
                connection.execute(statement)
            connection.execute("COMMIT")
        self._connection = connection
        self._wrapped = _Connection(connection)

    def __repr__(self) -> str:
        return f"SQLiteProjectionStorage({self.path!r})"

    @contextmanager
    def _reading(self) -> Iterator[SQLConnection]:
        with self._lock, translate_errors(self.path):
            yield self._wrapped

    @contextmanager
    def _writing(self, *, exclusive: bool) -> Iterator[SQLConnection]:
        # BEGIN IMMEDIATE takes SQLite's one write lock, which already makes
        # every write transaction exclusive, whatever `exclusive` asks.
        with self._lock, translate_errors(self.path):
            connection = self._connection
            connection.execute("BEGIN IMMEDIATE")
            try:
                yield self._wrapped
            except BaseException:
                connection.execute("ROLLBACK")
                raise
            connection.execute("COMMIT")

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            self._connection.close()
