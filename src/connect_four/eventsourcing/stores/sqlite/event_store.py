"""The embedded default store: one SQLite file, no set-up, safe across processes.

Durability: the database runs in WAL mode with `synchronous=FULL`, so a commit
returns only after its WAL frames are fsynced. An append the caller saw succeed
survives a crash of the process and of the machine (power loss included, as far
as the disk honours fsync). `synchronous=NORMAL` would be faster but may lose
the last commits on power loss, which would break the promise that a move the
CLI reported as made is kept.

Concurrency: every append is part of one write transaction, begun with
`BEGIN IMMEDIATE`, which takes SQLite's single write lock before it reads
anything. Writers, threads or processes, are therefore serialised; the
transaction reads the stream's last position and checks the expected version
by the rule every store applies (`check_expected_version` in `store.py`), and
what it read stays true until it commits. Global positions (the rowid) are
the next ones after the log's head, taken under the same lock, so they are
assigned in commit order: a reader following the log can never miss an event
that commits late. Readers are never blocked by the writer in WAL mode.

One append path: `_commit` takes a list of appends. An append alone is a list
of one; appends of several threads that arrive while a commit is in flight
wait for it, then commit together as one list (see `group_commit`): one read
of every stream's end, one INSERT of every accepted event, one fsync. Each
append is checked and answered on its own, so a conflicting one fails alone.

Speed: a durable commit costs one fsync, which is most of what an append
costs. An append alone is four statements (BEGIN, the read, the INSERT,
COMMIT): about 8 µs more CPU than the single guarded INSERT in autocommit
mode that an earlier version used, which no command benchmark could tell
apart (docs/benchmarks.md); a shared transaction costs each append 40% less
CPU than savepoints did. New files get 1 KiB pages,
so a commit writes less to the WAL before its fsync: an append changes a page
of the table and a page of each index, and each changed page is written whole.
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
    StoreUnavailableError,
)
from connect_four.eventsourcing.events import NewEvent, RecordedEvent
from connect_four.eventsourcing.store import (
    AppendResult,
    ExpectedVersion,
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
    "INSERT INTO events (global_position, stream, stream_position, event_id, type,"
    " data, metadata, recorded_at)"
)
_ROW = "(?, ?, ?, ?, ?, ?, ?, ?)"
_COLUMN_COUNT = 8
_MAX_ROWS_PER_INSERT = 100
"""Larger appends are inserted in several statements: a statement's parameters
are limited (999 in older SQLite builds), and each row takes eight."""


@functools.cache
def _insert(count: int) -> str:
    """Return an INSERT of `count` rows."""
    return f"{_INSERT_HEAD} VALUES {', '.join([_ROW] * count)}"


@functools.cache
def _ends(count: int) -> str:
    """Return a query of the log's head and the last positions of `count` streams.

    One row, one statement, however many streams: a transaction of many
    appends reads what it needs at once.
    """
    head = "(SELECT max(global_position) FROM events)"
    stream_end = "(SELECT max(stream_position) FROM events WHERE stream = ?)"
    return f"SELECT {head}, {', '.join([stream_end] * count)}"


_READ_STREAM = (
    f"SELECT {_COLUMNS} FROM events WHERE stream = ? AND stream_position >= ?"
    " ORDER BY stream_position"
)
_READ_ALL = (
    f"SELECT {_COLUMNS} FROM events WHERE global_position > ?"
    " ORDER BY global_position LIMIT ?"
)


class _Append(NamedTuple):
    """One caller's append, waiting for its transaction."""

    stream: str
    events: Sequence[NewEvent]
    expected: ExpectedVersion
    now: float


class SQLiteEventStore:
    """Store events in one SQLite file (or `:memory:`), created on first use."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self.name = sqlite_url(self.path)
        self._lock = threading.Lock()
        self._connection = self._connect()
        self.group_commit = GroupCommit(self._commit)
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
            DuplicateEventIdError: the store already holds one of the ids.
            StoreUnavailableError: the file cannot be written (read-only, full,
                locked longer than the busy timeout).
        """
        check_event_ids(stream, events)
        now = datetime.now(UTC).timestamp()
        return self.group_commit.submit(_Append(stream, events, expected_version, now))

    def _commit(self, appends: Sequence[_Append]) -> list[AppendResult | Exception]:
        """Commit appends in one transaction; return each one's result or refusal.

        The store's one append path: an append alone is a list of one, and
        appends of several threads at once share the transaction (and its
        fsync) through `group_commit`. In the rare case that the table
        refuses a row (an event id it already holds), the transaction starts
        over with each append in a savepoint of its own, so that only the
        refused append fails.
        """
        connection = self._connection
        with self._lock, translate_errors(self.path):
            connection.execute("BEGIN IMMEDIATE")
            try:
                try:
                    outcomes = self._write(appends)
                except sqlite3.IntegrityError:
                    connection.execute("ROLLBACK")
                    connection.execute("BEGIN IMMEDIATE")
                    outcomes = [self._write_alone(append) for append in appends]
                connection.execute("COMMIT")
            except BaseException:
                # SQLite has already rolled back after some errors (a full
                # disk at COMMIT): a second ROLLBACK would then fail and hide
                # the error that says what went wrong.
                if connection.in_transaction:
                    connection.execute("ROLLBACK")
                raise
        return outcomes

    def _write(self, appends: Sequence[_Append]) -> list[AppendResult | Exception]:
        """Check every append, then insert the events of those accepted; hold the lock.

        The transaction holds SQLite's write lock (`BEGIN IMMEDIATE`), so what
        one read says of the streams' ends and the log's head stays true
        until the commit: each append is checked against it by the rule every
        store applies (`check_expected_version`), in the order the appends
        came, and the accepted ones take the next positions of their streams
        and of the log, in that order.

        Raises:
            sqlite3.IntegrityError: the table refused a row (an event id it
                already holds, or one that an earlier append here carries).
        """
        streams = list(dict.fromkeys(append.stream for append in appends))
        head, *ends = self._connection.execute(_ends(len(streams)), streams).fetchone()
        last_position = dict(zip(streams, ends, strict=True))
        global_position: int = head or 0
        outcomes: list[AppendResult | Exception] = []
        rows: list[object] = []
        for stream, events, expected, now in appends:
            actual = last_position[stream]
            try:
                check_expected_version(stream, expected, actual)
            except ConcurrencyError as conflict:
                outcomes.append(self._stored_id_error(stream, events) or conflict)
                continue
            position = -1 if actual is None else actual
            for event in events:
                position += 1
                global_position += 1
                at = event.recorded_at
                rows += (
                    global_position,
                    stream,
                    position,
                    event.id,
                    event.type,
                    event.data,
                    event.metadata,
                    now if at is None else at.timestamp(),
                )
            if events:
                last_position[stream] = position
            outcomes.append(AppendResult(position, global_position))
        self._insert(rows)
        return outcomes

    def _write_alone(self, append: _Append) -> AppendResult | Exception:
        """Write one append in a savepoint of its own: refused, it leaves nothing."""
        connection = self._connection
        connection.execute("SAVEPOINT append")
        try:
            (outcome,) = self._write([append])
        except sqlite3.IntegrityError as refused:
            connection.execute("ROLLBACK TO append")
            outcome = self._stored_id_error(append.stream, append.events) or (
                StoreUnavailableError(self.name, f"the database refused: {refused}")
            )
            outcome.__cause__ = refused
        connection.execute("RELEASE append")
        return outcome

    def _insert(self, rows: list[object]) -> None:
        """Insert rows (their columns one after another), in a few statements."""
        step = _MAX_ROWS_PER_INSERT * _COLUMN_COUNT
        for start in range(0, len(rows), step):
            values = rows[start : start + step]
            self._connection.execute(_insert(len(values) // _COLUMN_COUNT), values)

    def _stored_id_error(
        self, stream: str, events: Sequence[NewEvent]
    ) -> DuplicateEventIdError | None:
        """Return the error for an event id the store already holds, if one does.

        A refused append that meets its own events is a retry: saying so is
        more use to the caller than a conflict with what was its own write.
        """
        ids = [event.id for event in events]
        for start in range(0, len(ids), _MAX_ROWS_PER_INSERT):
            chunk = ids[start : start + _MAX_ROWS_PER_INSERT]
            marks = ", ".join("?" * len(chunk))
            row = self._connection.execute(
                f"SELECT event_id FROM events WHERE event_id IN ({marks}) LIMIT 1",
                chunk,
            ).fetchone()
            if row is not None:
                return DuplicateEventIdError(stream, row[0])
        return None

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
