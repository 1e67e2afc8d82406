"""The server store: PostgreSQL through psycopg 3 and a connection pool.

The global order, and why it is safe for a reader that follows the log:

A `bigserial` global position would not be. Sequence values are handed out
when a row is inserted, not when its transaction commits, so a writer that
took position 7 may commit after a writer that took position 8. A follower
that read 8 and moved its checkpoint past it would never see 7.

Here every append runs `append_events_v2`, a function created with the schema,
in one implicit transaction (one round trip). The function first takes a
transaction-scoped advisory lock, one per schema; only then does it check the
stream's expected version and give the new events the positions after the
current maximum. PostgreSQL releases transaction locks only after the commit
is durable and visible to new snapshots, so the next writer can only number
its events once every lower position is visible: positions are assigned in
commit order, without gaps. Any snapshot that shows position N therefore shows
every position below N, and a follower reading `global_position > after` in
order misses nothing.

The lock is held from the version check to the end of the commit: a few index
look-ups, the inserts and the WAL flush. Everything else a command does
(loading the stream, deciding, encoding) runs in parallel across writers, so
several processes on several machines share one database safely and still
scale. Checking the expected version under the lock also means the check sees
the latest commit, so two writers racing on one stream get a clean refusal
rather than a unique-key violation (the unique (stream, stream_position)
constraint stays as the last line of defence, against rows written around the
function).
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Final
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

import psycopg
import psycopg.errors
from psycopg import sql

from connect_four.eventsourcing.errors import (
    ConcurrencyError,
    InvalidStoreURLError,
    StoreUnavailableError,
)
from connect_four.eventsourcing.events import NewEvent, RecordedEvent
from connect_four.eventsourcing.store import AppendResult, ExpectedVersion, StreamState
from connect_four.eventsourcing.stores.postgres_connection import (
    CONNECT_TIMEOUT_SECONDS,
    open_pool,
    translate_errors,
)

DEFAULT_SCHEMA: Final = "connect_four"
DEFAULT_POOL_SIZE: Final = 10

_SCHEMA_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,62}")
# The function's name carries the schema version: a store created by an older
# release is upgraded by creating the new function beside the old one.
_APPEND_FUNCTION: Final = "append_events_v2"
# The wire values KurrentDB uses for the expected-version states.
_EXPECTED_CODES: Final = {
    StreamState.NO_STREAM: -1,
    StreamState.ANY: -2,
    StreamState.EXISTS: -4,
}
# In the order of RecordedEvent's fields, so that a row becomes one directly.
_COLUMNS: Final = (
    "event_id::text, stream, stream_position, global_position, type, data,"
    " metadata, recorded_at"
)

_DDL: Final = """
CREATE SCHEMA IF NOT EXISTS {schema};
CREATE TABLE IF NOT EXISTS {schema}.events (
    global_position bigint PRIMARY KEY,
    stream text NOT NULL,
    stream_position bigint NOT NULL,
    event_id uuid NOT NULL,
    type text NOT NULL,
    data bytea NOT NULL,
    metadata bytea NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT events_stream_position_key UNIQUE (stream, stream_position)
);
CREATE OR REPLACE FUNCTION {schema}.{function}(
    p_stream text,
    p_expected bigint,
    p_ids uuid[],
    p_types text[],
    p_data bytea[],
    p_metadata bytea[],
    OUT accepted boolean,
    OUT actual bigint,
    OUT last_global bigint
) LANGUAGE plpgsql AS $body$
DECLARE
    v_last bigint;
BEGIN
    -- Held until the commit is visible: see the module docstring of
    -- connect_four.eventsourcing.stores.postgres.
    PERFORM pg_advisory_xact_lock({lock_key});
    SELECT max(e.stream_position) INTO actual
        FROM {schema}.events AS e WHERE e.stream = p_stream;
    -- The same rule as connect_four.eventsourcing.store.check_expected_version.
    accepted := p_expected = -2
        OR (p_expected = -1 AND actual IS NULL)
        OR (p_expected = -4 AND actual IS NOT NULL)
        OR (p_expected >= 0 AND actual IS NOT DISTINCT FROM p_expected);
    IF NOT accepted THEN
        RETURN;
    END IF;
    SELECT coalesce(max(e.global_position), 0) INTO v_last FROM {schema}.events AS e;
    INSERT INTO {schema}.events
        (global_position, stream, stream_position, event_id, type, data, metadata)
    SELECT v_last + n, p_stream, coalesce(actual, -1) + n, i, t, d, m
        FROM unnest(p_ids, p_types, p_data, p_metadata)
            WITH ORDINALITY AS new_event (i, t, d, m, n);
    last_global := v_last + coalesce(cardinality(p_types), 0);
END
$body$;
"""


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
            _create_schema(conninfo, schema)
        self._pool = open_pool(conninfo, name=self.name, size=pool_size)

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
            if exc.diag.constraint_name != "events_stream_position_key":
                raise
            actual = self._stream_end(stream)
            raise ConcurrencyError(stream, expected, actual) from exc

    def append(
        self,
        stream: str,
        events: Sequence[NewEvent],
        expected_version: ExpectedVersion,
    ) -> AppendResult:
        """Append all the events, or none, if the stream is at the expected version.

        Raises:
            ConcurrencyError: the stream is not at `expected_version`.
            StoreUnavailableError: the server cannot be reached or written to.
        """
        params: list[object] = [stream, _expected_code(expected_version)]
        params += [str(event.id) for event in events]
        params += [event.type for event in events]
        params += [event.data for event in events]
        params += [event.metadata for event in events]
        with (
            self._translate_errors(stream, expected_version),
            self._pool.connection() as connection,
        ):
            query = self._queries.append(len(events))
            row = connection.execute(query, params).fetchone()
            if row is not None and row[0]:
                _keep_recorded_times(connection, self._queries, stream, row[1], events)
        if row is None:
            raise StoreUnavailableError(
                self.name, "the append function returned no row"
            )
        accepted, actual, last_global = row
        if not accepted:
            raise ConcurrencyError(stream, expected_version, actual)
        end = -1 if actual is None else actual
        return AppendResult(end + len(events), last_global)

    def read_stream(self, stream: str, from_position: int = 0) -> list[RecordedEvent]:
        """Return the stream's events from a position on, oldest first."""
        with self._translate_errors(), self._pool.connection() as connection:
            rows = connection.execute(
                self._queries.read_stream, (stream, from_position), binary=True
            ).fetchall()
        return list(map(RecordedEvent._make, rows))

    def read_all(self, after: int = 0, limit: int = 1000) -> list[RecordedEvent]:
        """Return up to `limit` events after a global position, in order."""
        with self._translate_errors(), self._pool.connection() as connection:
            rows = connection.execute(
                self._queries.read_all, (after, limit), binary=True
            ).fetchall()
        return list(map(RecordedEvent._make, rows))

    def last_global_position(self) -> int:
        """Return the global position of the newest event, or 0."""
        with self._translate_errors(), self._pool.connection() as connection:
            row = connection.execute(self._queries.last_global).fetchone()
        return 0 if row is None else int(row[0])

    def close(self) -> None:
        """Close every pooled connection."""
        self._pool.close()

    def _stream_end(self, stream: str) -> int | None:
        with self._pool.connection() as connection:
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
            sql.Identifier(schema), sql.Identifier(_APPEND_FUNCTION)
        )
        columns = sql.SQL(_COLUMNS)
        self._append = sql.SQL(
            "SELECT accepted, actual, last_global FROM {}(%s, %s, {}, {}, {}, {})"
        )
        self._function = function
        self._append_by_count: dict[int, bytes] = {}
        self.read_stream = (
            sql.SQL(
                "SELECT {} FROM {} WHERE stream = %s AND stream_position >= %s"
                " ORDER BY stream_position"
            )
            .format(columns, events)
            .as_bytes(None)
        )
        self.keep_recorded_times = (
            sql.SQL(
                "UPDATE {} AS e SET recorded_at = kept.at"
                " FROM unnest(%s::bigint[], %s::timestamptz[]) AS kept (position, at)"
                " WHERE e.stream = %s AND e.stream_position = kept.position"
            )
            .format(events)
            .as_bytes(None)
        )
        self.read_all = (
            sql.SQL(
                "SELECT {} FROM {} WHERE global_position > %s"
                " ORDER BY global_position LIMIT %s"
            )
            .format(columns, events)
            .as_bytes(None)
        )
        self.last_global = (
            sql.SQL("SELECT coalesce(max(global_position), 0) FROM {}")
            .format(events)
            .as_bytes(None)
        )
        self.stream_end = (
            sql.SQL("SELECT max(stream_position) FROM {} WHERE stream = %s")
            .format(events)
            .as_bytes(None)
        )

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


def _keep_recorded_times(
    connection: psycopg.Connection[tuple[object, ...]],
    queries: _Queries,
    stream: str,
    actual: int | None,
    events: Sequence[NewEvent],
) -> None:
    """Give copied events (`migrate`) their first recorded times, in the append's
    transaction; new events keep the server's `now()`."""
    first = 0 if actual is None else actual + 1
    kept = [
        (first + offset, event.recorded_at)
        for offset, event in enumerate(events)
        if event.recorded_at is not None
    ]
    if kept:
        positions, times = zip(*kept, strict=True)
        connection.execute(
            queries.keep_recorded_times, (list(positions), list(times), stream)
        )


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


def _create_schema(conninfo: str, schema: str) -> None:
    """Create the schema, table and append function unless they exist.

    Several processes may start at once against a new database: an advisory
    lock makes them create the schema one after the other, and the later ones
    find it done.
    """
    lock_key = _lock_key(schema)
    function = f"{schema}.{_APPEND_FUNCTION}(text,bigint,uuid[],text[],bytea[],bytea[])"
    exists = sql.SQL("SELECT to_regprocedure({}) IS NOT NULL").format(
        sql.Literal(function)
    )
    with psycopg.connect(conninfo, autocommit=True) as connection:
        row = connection.execute(exists).fetchone()
        if row is not None and row[0]:
            return
        with connection.transaction():
            connection.execute(
                sql.SQL("SELECT pg_advisory_xact_lock({})").format(
                    sql.Literal(lock_key)
                )
            )
            row = connection.execute(exists).fetchone()
            if row is not None and row[0]:
                return
            connection.execute(
                sql.SQL(_DDL).format(
                    schema=sql.Identifier(schema),
                    function=sql.Identifier(_APPEND_FUNCTION),
                    lock_key=sql.Literal(lock_key),
                )
            )


def _lock_key(schema: str) -> int:
    """Return the advisory lock key that serialises one schema's appends."""
    return zlib.crc32(f"connect-four event log {schema}".encode()) + (1 << 32)


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
