"""The embedded default store: one SQLite file, no set-up, safe across processes.

Durability: the database runs in WAL mode with `synchronous=FULL`, so a commit
returns only after its WAL frames are fsynced. An append the caller saw succeed
survives a crash of the process and of the machine (power loss included, as far
as the disk honours fsync). `synchronous=NORMAL` would be faster but may lose
the last commits on power loss, which would break the promise that a move the
CLI reported as made is kept.

Concurrency: every append is one write transaction, which takes SQLite's
single write lock before it reads anything. Writers, threads or processes, are
therefore serialised, the expected-version check sees the latest committed
state, and global positions (the rowid) are assigned in commit order: a reader
following the log can never miss an event that commits late. Readers are never
blocked by the writer in WAL mode.

Speed: a durable commit costs one fsync, which is most of what an append
costs, so the rest is kept close to the cost of a bare INSERT. An append at an
exact position or to a new stream (every append the game makes) is a single
INSERT statement in autocommit mode: the statement is its own transaction,
takes the write lock when it starts, and checks the expected version itself:
the UNIQUE (stream, stream_position) constraint refuses a stream that has moved
past the expected position, and a guard refuses one that has not reached it,
which is `check_expected_version` for an exact position and for "no stream".
"Any" and "exists" take the general path: a transaction that reads the
stream's position and calls `check_expected_version`.
New files get 1 KiB pages, so a commit writes less to the WAL before its fsync:
an append changes a page of the table and a page of the stream index, and each
changed page is written whole.

Group commit: appends of several threads that arrive while a commit is in
flight wait for it, then commit together in one transaction, one fsync, each
in a savepoint of its own (see `group_commit`). An append alone commits at
once, as the single statement above.
"""

from __future__ import annotations

import functools
import os
import sqlite3
import threading
from collections.abc import Sequence
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path
from typing import NamedTuple

from connect_four.eventsourcing.errors import (
    ConcurrencyError,
    DuplicateEventIdError,
    ForeignDatabaseError,
)
from connect_four.eventsourcing.events import NewEvent, RecordedEvent
from connect_four.eventsourcing.store import (
    AppendResult,
    ExpectedVersion,
    StreamState,
    check_event_ids,
    check_expected_version,
)
from connect_four.eventsourcing.stores.sql.foreign import is_foreign
from connect_four.eventsourcing.stores.sql.group_commit import GroupCommit
from connect_four.eventsourcing.stores.sqlite.connection import (
    connect,
    connect_read_only,
    translate_errors,
)
from connect_four.eventsourcing.stores.sqlite.rows import records
from connect_four.eventsourcing.stores.sqlite.url import sqlite_url

_SCHEMA = """
CREATE TABLE IF NOT EXISTS events (
    global_position INTEGER PRIMARY KEY,
    stream TEXT NOT NULL,
    stream_position INTEGER NOT NULL,
    event_id TEXT NOT NULL,
    type TEXT NOT NULL,
    data BLOB NOT NULL,
    metadata BLOB NOT NULL,
    recorded_at REAL NOT NULL,
    UNIQUE (stream, stream_position)
)
"""
_ID_INDEX = "CREATE UNIQUE INDEX IF NOT EXISTS events_event_id ON events (event_id)"
"""Event ids are unique in a store. A file made by an older release gets the
index when it is first opened again."""
_COLUMNS = (
    "global_position, stream, stream_position, event_id, type, data, metadata,"
    " recorded_at"
)
_INSERT_HEAD = (
    "INSERT INTO events (stream, stream_position, event_id, type, data, metadata,"
    " recorded_at)"
)
_ROW = "(?, ?, ?, ?, ?, ?, ?)"
_INSERT = f"{_INSERT_HEAD} VALUES {_ROW}"
_MAX_ROWS_PER_INSERT = 100
"""Larger appends take the transaction path: a statement's parameters are
limited (999 in older SQLite builds), and each row takes seven."""
_GUARD = " WHERE EXISTS (SELECT 1 FROM events WHERE stream = ? AND stream_position = ?)"


@functools.cache
def _insert(count: int, guarded: bool) -> str:
    """Return an INSERT of `count` rows, guarded by the previous position's row."""
    rows = ", ".join([_ROW] * count)
    if not guarded:
        return f"{_INSERT_HEAD} VALUES {rows}"
    # The VALUES rows' second column is the stream position: in that order.
    return f"{_INSERT_HEAD} SELECT * FROM (VALUES {rows}){_GUARD} ORDER BY 2"


_LAST_POSITION = "SELECT max(stream_position) FROM events WHERE stream = ?"
_READ_STREAM = (
    f"SELECT {_COLUMNS} FROM events WHERE stream = ? AND stream_position >= ?"
    " ORDER BY stream_position"
)
_READ_ALL = (
    f"SELECT {_COLUMNS} FROM events WHERE global_position > ?"
    " ORDER BY global_position LIMIT ?"
)


class _Insert(NamedTuple):
    """An append at an exact position or to a new stream, waiting to commit."""

    stream: str
    events: Sequence[NewEvent]
    expected: ExpectedVersion
    first: int
    now: float


class SQLiteEventStore:
    """Store events in one SQLite file (or `:memory:`), created on first use."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self.name = sqlite_url(self.path)
        self._lock = threading.Lock()
        self._connection = self._connect()
        self.group_commit = GroupCommit(self._insert_alone, self._insert_together)
        """Appends of several threads at once share a transaction (`group_commit`)."""
        # Reads have a connection of their own, so that in WAL mode they go on
        # while an append waits for its fsync or for another process's write
        # lock. A `:memory:` database lives only in the connection that made it.
        self._read_lock = self._lock
        self._reader = self._connection
        if self.path != ":memory:":
            self._read_lock = threading.Lock()
            self._reader = connect(self.path, synchronous="FULL")

    def __repr__(self) -> str:
        return f"SQLiteEventStore({self.path!r})"

    def _connect(self) -> sqlite3.Connection:
        with translate_errors(self.path):
            _refuse_foreign_file(self.path, self.name)
        connection = connect(self.path, synchronous="FULL")
        try:
            with translate_errors(self.path):
                connection.execute(_SCHEMA)
                connection.execute(_ID_INDEX)
        except BaseException:
            connection.close()
            raise
        return connection

    def append(
        self,
        stream: str,
        events: Sequence[NewEvent],
        expected_version: ExpectedVersion,
    ) -> AppendResult:
        """Append all the events, or none, if the stream is at the expected version.

        Raises:
            ConcurrencyError: the stream is not at `expected_version`.
            StoreUnavailableError: the file cannot be written (read-only, full,
                locked longer than the busy timeout).
        """
        check_event_ids(stream, events)
        now = datetime.now(UTC).timestamp()
        if 0 < len(events) <= _MAX_ROWS_PER_INSERT:
            if expected_version is StreamState.NO_STREAM:
                return self.group_commit.submit(
                    _Insert(stream, events, expected_version, 0, now)
                )
            if isinstance(expected_version, int) and expected_version >= 0:
                first = expected_version + 1
                return self.group_commit.submit(
                    _Insert(stream, events, expected_version, first, now)
                )
        with self._lock, translate_errors(self.path):
            return self._append_in_transaction(stream, events, expected_version, now)

    def _insert_alone(self, insert: _Insert) -> AppendResult:
        """Append in one autocommit statement: its own transaction."""
        with self._lock, translate_errors(self.path):
            return self._insert_at(*insert)

    def _insert_together(
        self, inserts: Sequence[_Insert]
    ) -> list[AppendResult | Exception]:
        """Append each in a savepoint of one transaction (group commit).

        A refused append rolls back to its savepoint and fails alone; the
        others commit together, with one fsync.
        """
        outcomes: list[AppendResult | Exception] = []
        with self._lock, translate_errors(self.path):
            connection = self._connection
            connection.execute("BEGIN IMMEDIATE")
            try:
                for insert in inserts:
                    connection.execute("SAVEPOINT append")
                    try:
                        outcomes.append(self._insert_at(*insert))
                    except (ConcurrencyError, DuplicateEventIdError) as refused:
                        connection.execute("ROLLBACK TO append")
                        outcomes.append(refused)
                    connection.execute("RELEASE append")
                connection.execute("COMMIT")
            except BaseException:
                if connection.in_transaction:
                    connection.execute("ROLLBACK")
                raise
        return outcomes

    def _insert_at(
        self,
        stream: str,
        events: Sequence[NewEvent],
        expected: ExpectedVersion,
        first: int,
        now: float,
    ) -> AppendResult:
        """Append from position `first` on, in one statement; hold the lock.

        The statement is guarded by the row before `first`, if there is one.
        """
        values: list[object] = []
        for offset, event in enumerate(events):
            values += (
                stream,
                first + offset,
                event.id,
                event.type,
                event.data,
                event.metadata,
                now if event.recorded_at is None else event.recorded_at.timestamp(),
            )
        if first:
            values += (stream, first - 1)
        connection = self._connection
        try:
            cursor = connection.execute(_insert(len(events), first > 0), values)
        except sqlite3.IntegrityError as error:
            if error.sqlite_errorname != "SQLITE_CONSTRAINT_UNIQUE":
                raise
            self._refuse_stored_ids(stream, events)
            cursor = None
        if cursor is None or cursor.rowcount == 0:
            # Past the expected position (the UNIQUE constraint) or short
            # of it (the guard). Read the actual position for the message.
            actual = connection.execute(_LAST_POSITION, (stream,)).fetchone()[0]
            raise ConcurrencyError(stream, expected, actual)
        return AppendResult(first + len(events) - 1, cursor.lastrowid or 0)

    def _append_in_transaction(
        self,
        stream: str,
        events: Sequence[NewEvent],
        expected_version: ExpectedVersion,
        now: float,
    ) -> AppendResult:
        """Append after reading the stream's position, for "any" and "exists"."""
        connection = self._connection
        connection.execute("BEGIN IMMEDIATE")
        try:
            self._refuse_stored_ids(stream, events)
            actual = connection.execute(_LAST_POSITION, (stream,)).fetchone()[0]
            check_expected_version(stream, expected_version, actual)
            position = -1 if actual is None else actual
            global_position = 0
            for event in events:
                position += 1
                cursor = connection.execute(
                    _INSERT,
                    (
                        stream,
                        position,
                        event.id,
                        event.type,
                        event.data,
                        event.metadata,
                        now
                        if event.recorded_at is None
                        else event.recorded_at.timestamp(),
                    ),
                )
                global_position = cursor.lastrowid or 0
            connection.execute("COMMIT")
        except BaseException:
            # SQLite has already rolled back after some errors (a full
            # disk at COMMIT): a second ROLLBACK would then fail and hide
            # the error that says what went wrong.
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            raise
        return AppendResult(position, global_position)

    def _refuse_stored_ids(self, stream: str, events: Sequence[NewEvent]) -> None:
        """Raise if the store already holds one of the events' ids."""
        ids = [event.id for event in events]
        for start in range(0, len(ids), _MAX_ROWS_PER_INSERT):
            chunk = ids[start : start + _MAX_ROWS_PER_INSERT]
            marks = ", ".join("?" * len(chunk))
            row = self._connection.execute(
                f"SELECT event_id FROM events WHERE event_id IN ({marks}) LIMIT 1",
                chunk,
            ).fetchone()
            if row is not None:
                raise DuplicateEventIdError(stream, row[0])

    def read_stream(self, stream: str, from_position: int = 0) -> list[RecordedEvent]:
        """Return the stream's events from a position on, oldest first.

        Raises:
            UnreadableEventError: a row is damaged (see `rows.py`).
        """
        with self._read_lock, translate_errors(self.path):
            rows = self._reader.execute(
                _READ_STREAM, (stream, from_position)
            ).fetchall()
        return records(rows, self.name)

    def read_all(self, after: int = 0, limit: int = 1000) -> list[RecordedEvent]:
        """Return up to `limit` events after a global position, in order.

        Raises:
            UnreadableEventError: a row is damaged (see `rows.py`).
        """
        with self._read_lock, translate_errors(self.path):
            rows = self._reader.execute(_READ_ALL, (after, limit)).fetchall()
        return records(rows, self.name)

    def last_global_position(self) -> int:
        """Return the global position of the newest event, or 0."""
        with self._read_lock, translate_errors(self.path):
            row = self._reader.execute(
                "SELECT max(global_position) FROM events"
            ).fetchone()
        return int(row[0] or 0)

    def close(self) -> None:
        """Close the connections."""
        with self._lock:
            self._connection.close()
        with self._read_lock:
            self._reader.close()


def _refuse_foreign_file(path: str, name: str) -> None:
    """Refuse a file that holds tables of another program and no events table.

    Checked through a read-only connection before the store's own opens it:
    that one switches the file to WAL mode, which is itself a change, so
    opening the wrong file by mistake must leave it exactly as it was.

    Raises:
        ForeignDatabaseError: the file holds tables, none of them ours.
    """
    if path == ":memory:" or not os.path.exists(path):
        return
    with closing(connect_read_only(path)) as connection:
        _refuse_foreign(connection, name)


def _refuse_foreign(connection: sqlite3.Connection, name: str) -> None:
    """Raise if a database holds tables, but not the store's events table."""
    tables = [
        row[0]
        for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'"
            " AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    ]
    if is_foreign(tables):
        raise ForeignDatabaseError(name, tables)
    if "events" in tables:
        columns = {row[1] for row in connection.execute("PRAGMA table_info(events)")}
        if not set(_COLUMNS.replace(" ", "").split(",")) <= columns:
            raise ForeignDatabaseError(name, tables)
