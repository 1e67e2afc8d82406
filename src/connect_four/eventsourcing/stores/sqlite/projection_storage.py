"""Read models in the SQLite file that holds the events.

The projection tables (see `sql/projection_storage.py`) are created in the same file as
the `events` table, so one backup holds both, and a page of documents is
committed together with its checkpoint in one `BEGIN IMMEDIATE` transaction.
A session first reads its documents from one snapshot, in a deferred
transaction that takes no lock; only its commit takes SQLite's one write lock,
and writes only if the slot is still at the session's checkpoint.

This storage opens two connections of its own to the file: one for the
sessions and slot changes, one for reads, so that a page being folded in
this process never keeps this process's queries waiting (in WAL mode they
read the last commit). It runs with
`synchronous = NORMAL`: in WAL mode a power cut may then lose the last few
projection commits, but never tear one, and a lost commit only means that its
events are folded again from the checkpoint before it. The events themselves
stay at `synchronous = FULL` on the store's connection.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

from connect_four.eventsourcing.stores.sql.projection_storage import (
    SessionConnection,
    SQLConnection,
    SQLProjectionStorage,
)
from connect_four.eventsourcing.stores.sqlite.connection import (
    connect,
    translate_errors,
)
from connect_four.eventsourcing.stores.sqlite.url import sqlite_url


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


class _SessionConnection(_Connection):
    """A session's connection: a snapshot to read, then the write lock to write."""

    def start_writing(self) -> None:
        """End the snapshot and take the write lock.

        Between the two another runner may commit the slot: the session's
        `UPDATE ... WHERE checkpoint = ?` then finds it moved and writes nothing.
        Any other commit (an append, another slot) leaves the session's
        documents as its snapshot showed them, since every change to a slot's
        documents moves its checkpoint.
        """
        self._connection.execute("COMMIT")
        self._connection.execute("BEGIN IMMEDIATE")


class SQLiteProjectionStorage(SQLProjectionStorage):
    """Keep projections in a SQLite file, normally the event store's own."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self._read_lock = threading.Lock()
        self._write_lock = threading.Lock()
        self._writer = connect(self.path, synchronous="NORMAL")
        self._reader = connect(self.path, synchronous="NORMAL")
        try:
            self._set_up(sqlite_url(self.path))
        except BaseException:
            self.close()
            raise

    def __repr__(self) -> str:
        return f"SQLiteProjectionStorage({self.path!r})"

    @contextmanager
    def _reading(self) -> Iterator[SQLConnection]:
        with self._read_lock, translate_errors(self.path):
            yield _Connection(self._reader)

    @contextmanager
    def _writing(self, *, exclusive: bool) -> Iterator[SQLConnection]:
        # BEGIN IMMEDIATE takes SQLite's one write lock, which already makes
        # every write transaction exclusive, whatever `exclusive` asks.
        with self._write_lock, translate_errors(self.path):
            connection = self._writer
            connection.execute("BEGIN IMMEDIATE")
            try:
                yield _Connection(connection)
            except BaseException:
                if connection.in_transaction:
                    connection.execute("ROLLBACK")
                raise
            connection.execute("COMMIT")

    @contextmanager
    def _session(self) -> Iterator[SessionConnection]:
        # A deferred transaction reads from one snapshot (WAL mode) without
        # taking the write lock: a page being folded never keeps a player's
        # append waiting, even if this process is suspended half-way.
        with self._write_lock, translate_errors(self.path):
            connection = self._writer
            connection.execute("BEGIN DEFERRED")
            try:
                yield _SessionConnection(connection)
            except BaseException:
                if connection.in_transaction:
                    connection.execute("ROLLBACK")
                raise
            connection.execute("COMMIT")

    def _migrating(self) -> AbstractContextManager[SQLConnection]:
        # The write lock is the migration lock: one migrating process at a time.
        return self._writing(exclusive=True)

    def _has_table(self, db: SQLConnection, table: str) -> bool:
        return bool(
            db.query(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                (table,),
            )
        )

    def close(self) -> None:
        """Close both connections."""
        with self._write_lock:
            self._writer.close()
        with self._read_lock:
            self._reader.close()
