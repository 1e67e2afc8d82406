"""Read models in the PostgreSQL schema that holds the events.

The projection tables (see `sql/projection_storage.py`) are created in the event
store's schema, so a page of documents and its checkpoint are committed in one
transaction of the same database as the events. Connections come from a small
pool whose `search_path` is that schema.

Concurrency: a session is one REPEATABLE READ transaction. Its first
statement finds the slot at the session's checkpoint and fixes the snapshot
its documents are then read from; it locks nothing, so a runner that is slow
or suspended half-way through a page keeps no one waiting. Its commit moves
the checkpoint with `UPDATE ... WHERE checkpoint = %s`: if another runner has
committed the slot since the snapshot was taken (or is committing it), that
update fails with a serialization failure, which the session reports as the
slot having moved, and nothing of it is written. Creating, promoting and
dropping slots take a `SHARE ROW EXCLUSIVE` lock on `projection_slots`; it
conflicts with the `ROW EXCLUSIVE` lock a session takes with its first write
(before it writes any document), which orders slot changes against commits
and against each other, but never blocks a reader.

Schema changes run once per database, under an advisory lock (see
`sql/projection_schema.py`); an open only reads the recorded version, so it takes
no lock that a running session could be waiting for.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Final

import psycopg
import psycopg.errors
from psycopg import sql

from connect_four.eventsourcing.stores.postgresql.connection import (
    open_connections,
    translate_every_error,
)
from connect_four.eventsourcing.stores.postgresql.event_store import DEFAULT_SCHEMA
from connect_four.eventsourcing.stores.sql.projection_storage import (
    SessionConnection,
    SQLConnection,
    SQLProjectionStorage,
)

POOL_SIZE: Final = 4
_LOCK_SLOTS: Final = "LOCK TABLE projection_slots IN SHARE ROW EXCLUSIVE MODE"


class _Connection:
    """The `SQLConnection` the shared statements run on, with psycopg's `%s`."""

    def __init__(self, connection: psycopg.Connection[Any]) -> None:
        self._connection = connection

    def query(self, sql: str, params: Sequence[object] = ()) -> list[tuple[Any, ...]]:
        """Run a statement and return its rows."""
        return self._connection.execute(_pg(sql), params).fetchall()

    def execute(self, sql: str, params: Sequence[object] = ()) -> int:
        """Run a statement and return how many rows it changed."""
        return self._connection.execute(_pg(sql), params).rowcount

    def execute_many(self, sql: str, rows: Sequence[Sequence[object]]) -> None:
        """Run a statement once per row of parameters."""
        with self._connection.cursor() as cursor:
            cursor.executemany(_pg(sql), rows)


class _SessionConnection(_Connection):
    """A session's connection: its snapshot reads, then its writes."""

    def start_writing(self) -> None:
        """Do nothing: a REPEATABLE READ transaction may write as it is."""

    def execute(self, sql: str, params: Sequence[object] = ()) -> int:
        """Run a statement; a row changed since the snapshot matches nothing."""
        try:
            return super().execute(sql, params)
        except psycopg.errors.SerializationFailure:
            # The transaction is aborted; the session rolls it back when it
            # finds that its checkpoint did not move.
            return 0


class PostgresProjectionStorage(SQLProjectionStorage):
    """Keep projections in the PostgreSQL schema of the event store."""

    def __init__(
        self, conninfo: str, schema: str = DEFAULT_SCHEMA, pool_size: int = POOL_SIZE
    ) -> None:
        self.schema = schema
        self._name = repr(self)
        self._search_path = sql.SQL("SET search_path TO {}").format(
            sql.Identifier(schema)
        )
        self._connections = open_connections(
            conninfo, name=self._name, size=pool_size, configure=self._configure
        )
        try:
            self._set_up(f"the PostgreSQL schema {schema!r}")
        except BaseException:
            self._connections.pool.close()
            raise

    def __repr__(self) -> str:
        return f"PostgresProjectionStorage(schema={self.schema!r})"

    def _configure(self, connection: psycopg.Connection[Any]) -> None:
        connection.execute(self._search_path)

    @contextmanager
    def _reading(self) -> Iterator[SQLConnection]:
        with (
            translate_every_error(self._name),
            self._connections.connection() as connection,
        ):
            yield _Connection(connection)

    @contextmanager
    def _writing(self, *, exclusive: bool) -> Iterator[SQLConnection]:
        with (
            translate_every_error(self._name),
            self._connections.connection() as connection,
            connection.transaction(),
        ):
            if exclusive:
                connection.execute(_LOCK_SLOTS)
            yield _Connection(connection)

    @contextmanager
    def _session(self) -> Iterator[SessionConnection]:
        with (
            translate_every_error(self._name),
            self._connections.connection() as connection,
            connection.transaction(),
        ):
            connection.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            yield _SessionConnection(connection)

    @contextmanager
    def _migrating(self) -> Iterator[SQLConnection]:
        # Several processes may find the schema behind at once: they take
        # turns, and each reads the version again once it has the lock.
        with (
            translate_every_error(self._name),
            self._connections.connection() as connection,
            connection.transaction(),
        ):
            connection.execute(
                "SELECT pg_advisory_xact_lock(hashtext(%s))",
                (f"connect-four projections {self.schema}",),
            )
            connection.execute(
                sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(
                    sql.Identifier(self.schema)
                )
            )
            yield _Connection(connection)

    def _has_table(self, db: SQLConnection, table: str) -> bool:
        return bool(
            db.query(
                "SELECT 1 FROM pg_catalog.pg_tables"
                " WHERE schemaname = current_schema() AND tablename = ?",
                (table,),
            )
        )

    def close(self) -> None:
        """Close every pooled connection."""
        self._connections.pool.close()


def _pg(statement: str) -> str:
    """Turn the shared statements' `?` placeholders into psycopg's `%s`."""
    return statement.replace("?", "%s")
