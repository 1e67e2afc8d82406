"""The server store: PostgreSQL through psycopg 3 and a connection pool.

The global order, and why it is safe for a reader that follows the log:

A `bigserial` global position would not be. Sequence values are handed out
when a row is inserted, not when its transaction commits, so a writer that
took position 7 may commit after a writer that took position 8. A follower
that read 8 and moved its checkpoint past it would never see 7.

Here the position comes from the writing transaction's id (`xid8`, which
PostgreSQL hands out in increasing order and never reuses): every append runs
`append_events_v3`, a function created with the schema, in one transaction
(one round trip), and the events of transaction `x` get the positions
`((x - x0) << 16) + base + k` (`x0` and `base` fixed when the schema was made,
`k` counting the transaction's events). Every append first takes the schema's
advisory lock *shared*: appends never wait for each other; the lock only marks
them as running. A reader first computes `readable_below()`, the position of
the oldest append still running (the lowest id among the lock's holders in
`pg_locks`, or the next id PostgreSQL will hand out), then reads, in a newer
snapshot, only the events below it: every append with a lower id has ended,
so everything below that position is visible now or never will be, and every
append still running or yet to start writes above it. A follower reading
`global_position > after` in order therefore misses nothing, and appends run
and commit in parallel, so their WAL flushes are shared (PostgreSQL's own group
commit). The price: positions are sparse (increasing, not dense, as the
protocol allows), and a slow append holds back what followers see (never what
writers do) until it ends. See docs/stores.md.

Within a stream, the global order is the stream's: the function checks the
expected versions before the transaction takes its id, so any commit a check
saw has a lower id; a commit it did not see makes the insert fail on the
unique (stream, stream_position) constraint, a clean `ConcurrencyError`.

One append path: `_commit` takes a list of appends and makes one call of the
append function, which takes lists too. An append alone is a list of one (the
function then needs no subtransaction); appends of several threads that
arrive while a call is in flight wait for it, then go in one call, one
transaction, one WAL flush (see `group_commit`), each checked by the rule of
`check_expected_version` (restated in PL/pgSQL in `schema.py`) and inserted
in a subtransaction of its own, so a refused one fails alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Final, NamedTuple
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

import psycopg
import psycopg.errors
from psycopg import sql

from connect_four.eventsourcing.errors import (
    AppendTooLargeError,
    ConcurrencyError,
    DuplicateEventIdError,
    InvalidStoreURLError,
    StoreUnavailableError,
    UnreadableEventError,
)
from connect_four.eventsourcing.events import NewEvent, RecordedEvent
from connect_four.eventsourcing.store import (
    AppendResult,
    ExpectedVersion,
    StreamState,
    check_event_ids,
)
from connect_four.eventsourcing.stores.postgresql.connection import (
    CONNECT_TIMEOUT_SECONDS,
    Connections,
    open_pool,
    translate_errors,
)
from connect_four.eventsourcing.stores.postgresql.schema import (
    APPEND_FUNCTION,
    EVENTS_PER_TRANSACTION,
    create_schema,
)
from connect_four.eventsourcing.stores.sql.group_commit import GroupCommit

DEFAULT_SCHEMA: Final = "connect_four"
DEFAULT_POOL_SIZE: Final = 10

_SCHEMA_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,62}")
# The wire values KurrentDB uses for the expected-version states.
_EXPECTED_CODES: Final = {
    StreamState.NO_STREAM: -1,
    StreamState.ANY: -2,
    StreamState.EXISTS: -4,
}
# In the order of RecordedEvent's fields, so that a row becomes one directly.
# A time PostgreSQL holds but Python cannot show (infinity, a year BC or after
# 9999, written by hand) reads as NULL, which the store reports as damage
# instead of letting the driver fail the whole read.
_COLUMNS: Final = (
    "event_id::text, stream, stream_position, global_position, type, data,"
    " metadata, CASE WHEN recorded_at > '0001-01-02' AND recorded_at < '9999-12-30'"
    " THEN recorded_at END"
)
_ARRAY_FORM_FROM: Final = 1000
"""Appends of more events pass each field as one array parameter: a statement
takes at most 65,535 parameters, and one parameter per field of each event
would stop at 16,383 events."""
_GROUPED_BELOW: Final = 100
"""Appends of fewer events may share a transaction; larger ones commit alone."""
MAX_APPEND_BYTES: Final = 256 * 1024 * 1024
"""The most data and metadata one append may carry; PostgreSQL refuses a
message over 1 GiB, and an append of this size is already far beyond a game's."""


class _Append(NamedTuple):
    """An append waiting for its transaction."""

    stream: str
    events: Sequence[NewEvent]
    expected: ExpectedVersion


class PostgresEventStore:
    """Store events in one table of a PostgreSQL schema, created on first use."""

    def __init__(
        self,
        conninfo: str,
        schema: str = DEFAULT_SCHEMA,
        pool_size: int = DEFAULT_POOL_SIZE,
    ) -> None:
        self.schema = schema
        self.name = _display_name(conninfo, schema)
        if not _SCHEMA_NAME.fullmatch(schema):
            raise InvalidStoreURLError(self.name, f"{schema!r} is not a schema name")
        self._queries = _Queries(schema)
        with translate_errors(self.name):
            create_schema(conninfo, schema, self.name)
        self._pool = open_pool(conninfo, name=self.name, size=pool_size)
        self._connections = Connections(self._pool, conninfo, pool_size)
        self.group_commit = GroupCommit(self._commit)
        """Appends of several threads at once share a transaction (`group_commit`)."""

    @classmethod
    def from_url(cls, url: str) -> PostgresEventStore:
        """Open the store a `postgresql://...?schema=NAME&pool_size=N` URL names.

        Raises:
            InvalidStoreURLError: the schema name or pool size is unusable.
            StoreUnavailableError: the server cannot be reached or set up.
        """
        conninfo, schema, pool_size = parse_url(url)
        return cls(conninfo, schema, pool_size)

    def __repr__(self) -> str:
        return f"PostgresEventStore({self.name!r})"

    @contextmanager
    def _translate_errors(
        self, stream: str = "", expected: ExpectedVersion = StreamState.ANY
    ) -> Iterator[None]:
        """Turn psycopg's errors into the store's own, in this one place."""
        try:
            with translate_errors(self.name):
                yield
        except psycopg.errors.UniqueViolation as exc:
            if exc.diag.constraint_name == "events_event_id_key":
                raise DuplicateEventIdError(stream, _duplicate_id(exc)) from exc
            if exc.diag.constraint_name != "events_stream_position_key":
                raise _refused(self.name, exc) from exc
            actual = self._stream_end(stream)
            raise ConcurrencyError(stream, expected, actual) from exc
        except psycopg.Error as exc:
            # Whatever else the server or the driver refuses (a statement too
            # large, a serialization failure, a constraint added by hand)
            # reaches the user as the store's error, with the server's words.
            raise _refused(self.name, exc) from exc

    def append(
        self,
        stream: str,
        events: Sequence[NewEvent],
        expected_version: ExpectedVersion,
    ) -> AppendResult:
        """Append all the events, or none, if the stream is at the expected version.

        Raises:
            ConcurrencyError: the stream is not at `expected_version`.
            AppendTooLargeError: the events carry more than `MAX_APPEND_BYTES`.
            StoreUnavailableError: the server cannot be reached or written to.
        """
        check_event_ids(stream, events)
        if len(events) > EVENTS_PER_TRANSACTION:
            raise AppendTooLargeError(
                stream, len(events), EVENTS_PER_TRANSACTION, "events"
            )
        size = sum(len(event.data) + len(event.metadata) for event in events)
        if size > MAX_APPEND_BYTES:
            raise AppendTooLargeError(stream, size, MAX_APPEND_BYTES, "bytes")
        append = _Append(stream, events, expected_version)
        if len(events) < _GROUPED_BELOW:
            return self.group_commit.submit(append)
        (outcome,) = self._commit([append])
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    def _commit(self, appends: Sequence[_Append]) -> list[AppendResult | Exception]:
        """Commit appends in one call of the append function; answer each.

        The store's one append path: an append alone is a list of one, and
        appends of several threads at once share the transaction (and its
        WAL flush) through `group_commit`. The function checks and inserts
        each append on its own, in a subtransaction when there are several,
        so a refused one fails alone.
        """
        query, params = self._queries.append_call(appends)
        # A lone append's errors name its stream; a shared call's name none
        # (it refuses each append in the function, not by an error).
        lone = appends[0] if len(appends) == 1 else _Append("", (), StreamState.ANY)
        with (
            self._translate_errors(lone.stream, lone.expected),
            self._connections.connection() as connection,
        ):
            rows = connection.execute(query, params).fetchall()
        if len(rows) != len(appends):
            raise StoreUnavailableError(
                self.name, f"the append function answered {len(rows)} of {len(appends)}"
            )
        outcomes: list[AppendResult | Exception] = []
        for append, row in zip(appends, rows, strict=True):
            try:
                outcomes.append(self._result(*append, row))
            except (ConcurrencyError, DuplicateEventIdError) as refused:
                outcomes.append(refused)
        return outcomes

    def _result(
        self,
        stream: str,
        events: Sequence[NewEvent],
        expected_version: ExpectedVersion,
        row: tuple[object, ...],
    ) -> AppendResult:
        """Return an append's result from its row of the append function, or raise.

        Raises:
            ConcurrencyError: the stream was not at `expected_version`.
            DuplicateEventIdError: the store holds one of the events' ids.
        """
        outcome, actual, last_global, duplicate = row
        if not isinstance(actual, int | None) or not isinstance(
            last_global, int | None
        ):
            raise StoreUnavailableError(self.name, f"the append function said {row}")
        if outcome == "duplicate":
            raise DuplicateEventIdError(stream, str(duplicate))
        if outcome != "stored" or last_global is None:
            # A retried append meets its own events: say so, rather than
            # report a conflict with a writer that was the caller itself.
            stored = self._stored_id([event.id for event in events])
            if stored is not None:
                raise DuplicateEventIdError(stream, stored)
            raise ConcurrencyError(stream, expected_version, actual)
        end = -1 if actual is None else actual
        return AppendResult(end + len(events), last_global)

    def read_stream(self, stream: str, from_position: int = 0) -> list[RecordedEvent]:
        """Return the stream's events from a position on, oldest first.

        A name holding a NUL is no stream's: PostgreSQL text cannot hold one,
        and the server would refuse the query as if the store were broken.
        """
        if "\x00" in stream:
            return []
        with self._translate_errors(), self._connections.connection() as connection:
            rows = connection.execute(
                self._queries.read_stream, (stream, from_position), binary=True
            ).fetchall()
        return self._records(rows)

    def read_all(self, after: int = 0, limit: int = 1000) -> list[RecordedEvent]:
        """Return up to `limit` events after a global position, in order."""
        with self._translate_errors(), self._connections.connection() as connection:
            rows = connection.execute(
                self._queries.read_all, (after, limit), binary=True
            ).fetchall()
        return self._records(rows)

    def last_global_position(self) -> int:
        """Return the global position of the newest event, or 0."""
        with self._translate_errors(), self._connections.connection() as connection:
            row = connection.execute(self._queries.last_global).fetchone()
        return 0 if row is None else int(row[0])

    def close(self) -> None:
        """Close every pooled connection."""
        self._pool.close()

    def _records(self, rows: list[tuple[object, ...]]) -> list[RecordedEvent]:
        """Build envelopes from rows, refusing one whose time cannot be shown.

        The columns' types are the table's own, so the time is the one thing
        a hand edit can make unreadable.

        Raises:
            UnreadableEventError: a row's `recorded_at` is not a possible time.
        """
        records = list(map(RecordedEvent._make, rows))
        for record in records:
            if record.recorded_at is None:
                error = UnreadableEventError(
                    record.stream,
                    record.stream_position,
                    record.type,
                    "recorded_at is not a time between the years 1 and 9999",
                    self.name,
                )
                error.global_position = record.global_position
                raise error
        return records

    def _stored_id(self, ids: list[str]) -> str | None:
        """Return one of the ids that the store already holds, if any does."""
        with self._translate_errors(), self._connections.connection() as connection:
            row = connection.execute(
                self._queries.stored_id, (ids,), binary=True
            ).fetchone()
        return None if row is None else str(row[0])

    def _stream_end(self, stream: str) -> int | None:
        with self._connections.connection() as connection:
            row = connection.execute(self._queries.stream_end, (stream,)).fetchone()
        return None if row is None else row[0]


class _Queries:
    """The store's statements, rendered to bytes once for its schema.

    Rendering once matters: psycopg then recognises each statement as the same
    one on every call, and spends no time composing it again.
    """

    def __init__(self, schema: str) -> None:
        events = sql.SQL("{}.events").format(sql.Identifier(schema))
        function = sql.SQL("{}.{}").format(
            sql.Identifier(schema), sql.Identifier(APPEND_FUNCTION)
        )
        columns = sql.SQL(_COLUMNS)
        self._append = sql.SQL(
            "SELECT outcome, actual, last_global, duplicate::text FROM {}("
            "ARRAY[%s]::text[], ARRAY[%s]::bigint[], ARRAY[%s]::integer[],"
            " {}, {}, {}, {}, %s::timestamptz[])"
        )
        self._function = function
        self._append_by_count: dict[int, bytes] = {}
        self.append_arrays = (
            sql.SQL(
                "SELECT outcome, actual, last_global, duplicate::text FROM {}("
                "%s::text[], %s::bigint[], %s::integer[], %s::uuid[], %s::text[],"
                " %s::bytea[], %s::bytea[], %s::timestamptz[])"
            )
            .format(function)
            .as_bytes(None)
        )
        read_log = sql.SQL("{}.read_log(%s, %s)").format(sql.Identifier(schema))
        log_head = sql.SQL("{}.log_head()").format(sql.Identifier(schema))
        self.read_stream = (
            sql.SQL(
                "SELECT {} FROM {} WHERE stream = %s AND stream_position >= %s"
                " ORDER BY stream_position"
            )
            .format(columns, events)
            .as_bytes(None)
        )
        self.read_all = (
            sql.SQL("SELECT {} FROM {}").format(columns, read_log).as_bytes(None)
        )
        self.last_global = sql.SQL("SELECT {}").format(log_head).as_bytes(None)
        self.stored_id = (
            sql.SQL(
                "SELECT event_id::text FROM {} WHERE event_id = ANY(%s::uuid[]) LIMIT 1"
            )
            .format(events)
            .as_bytes(None)
        )
        self.stream_end = (
            sql.SQL("SELECT max(stream_position) FROM {} WHERE stream = %s")
            .format(events)
            .as_bytes(None)
        )

    def append_call(self, appends: Sequence[_Append]) -> tuple[bytes, list[object]]:
        """Return the append function's call and parameters for a list of appends.

        One append of fewer than `_ARRAY_FORM_FROM` events (every move a game
        makes, when it commits alone) passes each event's fields as separate
        parameters; otherwise each field is one array of all the events.
        """
        events = [event for append in appends for event in append.events]
        recorded = _recorded_times(events)
        if len(appends) == 1 and len(events) < _ARRAY_FORM_FROM:
            stream, _, expected = appends[0]
            params: list[object] = [stream, _expected_code(expected), len(events)]
            params += [event.id for event in events]
            params += [event.type for event in events]
            params += [event.data for event in events]
            params += [event.metadata for event in events]
            params.append(recorded)
            return self.append(len(events)), params
        return self.append_arrays, [
            [append.stream for append in appends],
            [_expected_code(append.expected) for append in appends],
            [len(append.events) for append in appends],
            [event.id for event in events],
            [event.type for event in events],
            [event.data for event in events],
            [event.metadata for event in events],
            recorded,
        ]

    def append(self, count: int) -> bytes:
        """Return the append statement for a number of events.

        Each event's fields are separate parameters, gathered into arrays by
        the server: psycopg adapts scalars far faster than Python lists, and
        one statement per count is prepared once per connection.
        """
        query = self._append_by_count.get(count)
        if query is None:
            query = self._append_by_count[count] = self._append.format(
                self._function,
                *(_array(count, kind) for kind in ("uuid", "text", "bytea", "bytea")),
            ).as_bytes(None)
        return query


def _recorded_times(events: Sequence[NewEvent]) -> list[datetime | None] | None:
    """Return the times copied events (`migrate`) were first recorded, if any.

    New events (`recorded_at` None) get the server's `now()`.
    """
    if all(event.recorded_at is None for event in events):
        return None
    return [event.recorded_at for event in events]


def parse_url(url: str) -> tuple[str, str, int]:
    """Split a store URL into libpq's connection URL, the schema and the pool size.

    Raises:
        InvalidStoreURLError: the schema name or pool size is unusable.
    """
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    schema = query.pop("schema", DEFAULT_SCHEMA)
    if not _SCHEMA_NAME.fullmatch(schema):
        raise InvalidStoreURLError(
            url, f"schema {schema!r} is not a plain name (letters, digits, _)"
        )
    pool_text = query.pop("pool_size", str(DEFAULT_POOL_SIZE))
    if not pool_text.isdigit() or int(pool_text) < 1:
        raise InvalidStoreURLError(url, f"pool_size {pool_text!r} is not a count")
    query.setdefault("connect_timeout", str(CONNECT_TIMEOUT_SECONDS))
    # libpq decodes %20 but not "+" as a space: `options=-c lock_timeout=1s`
    # must keep its space.
    conninfo = urlunsplit(parts._replace(query=urlencode(query, quote_via=quote)))
    return conninfo, schema, int(pool_text)


def _display_name(conninfo: str, schema: str) -> str:
    """Name the store for messages, without its password."""
    parts = urlsplit(conninfo)
    host = parts.hostname or "localhost"
    port = f":{parts.port}" if parts.port else ""
    user = f"{parts.username}@" if parts.username else ""
    return f"postgresql://{user}{host}{port}{parts.path} (schema {schema})"


def _duplicate_id(error: psycopg.errors.UniqueViolation) -> str:
    """Return the event id a unique violation on the id index names."""
    detail = error.diag.message_detail or ""
    found = re.search(r"\(event_id\)=\(([0-9a-f-]+)\)", detail)
    return found.group(1) if found else "(one of the appended ids)"


def _refused(name: str, error: psycopg.Error) -> StoreUnavailableError:
    """Return the store's error for a driver error it has no better name for."""
    reason = (error.diag.message_primary or str(error)).strip()
    return StoreUnavailableError(name, reason or type(error).__name__)


def _array(count: int, kind: str) -> sql.Composable:
    """Return `ARRAY[%s, ...]::kind[]` with a placeholder per event."""
    placeholders = sql.SQL(", ").join([sql.Placeholder()] * count)
    return sql.SQL("ARRAY[{}]::{}[]").format(placeholders, sql.SQL(kind))


def _expected_code(expected: ExpectedVersion) -> int:
    if isinstance(expected, StreamState):
        return _EXPECTED_CODES[expected]
    if expected < 0:
        raise ValueError(f"expected version {expected} is not a stream position")
    return expected
