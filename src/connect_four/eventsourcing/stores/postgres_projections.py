"""Read models in the PostgreSQL schema that holds the events.

The projection tables (see `sql_projections`) are created in the event
store's schema, so a page of documents and its checkpoint are committed in one
transaction of the same database as the events. Connections come from a small
pool whose `search_path` is that schema.

Concurrency: a page commits only if its `UPDATE ... WHERE checkpoint = %s`
changes the slot's row. Under READ COMMITTED a second runner's update of the
same row waits for the first one's commit and then finds the checkpoint moved,
so it changes nothing and the runner rereads; no page is applied twice.
Creating, promoting and dropping slots take a `SHARE ROW EXCLUSIVE` lock on
`projection_slots`, which orders them against each other and against commits
but never blocks a reader.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Final

import psycopg
from psycopg import sql
from psycopg_pool import ConnectionPool

from connect_four.eventsourcing.errors import StoreUnavailableError
from connect_four.eventsourcing.stores.postgres import (
    CONNECT_TIMEOUT_SECONDS,
    DEFAULT_SCHEMA,
)
from connect_four.eventsourcing.stores.sql_projections import (
    SCHEMA,
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


class PostgresProjectionStorage(SQLProjectionStorage):
    """Keep projections in the PostgreSQL schema of the event store."""

    def __init__(
        self, conninfo: str, schema: str = DEFAULT_SCHEMA, pool_size: int = POOL_SIZE
    ) -> None:
        self.schema = schema
        self._search_path = sql.SQL("SET search_path TO {}").format(
            sql.Identifier(schema)
        )
        with self._translate_errors():
            self._pool: ConnectionPool = ConnectionPool(
                conninfo,
                min_size=1,
                max_size=pool_size,
                kwargs={"autocommit": True},
                # A connection the server has closed (a restart, an idle
                # timeout) is found on checkout and replaced, at the cost of
                # one empty round trip, rather than failing the command.
                check=ConnectionPool.check_connection,
                configure=self._configure,
                open=False,
                name=f"connect-four projections {schema}",
                timeout=CONNECT_TIMEOUT_SECONDS,
            )
            self._pool.open(wait=True, timeout=CONNECT_TIMEOUT_SECONDS)
            self._create_tables()

    def __repr__(self) -> str:
        return f"PostgresProjectionStorage(schema={self.schema!r})"

    def _configure(self, connection: psycopg.Connection[Any]) -> None:
        connection.execute(self._search_path)

    def _create_tables(self) -> None:
        # Several processes may start at once on a new database; CREATE ... IF
        # NOT EXISTS can still collide in the catalog, so they take turns.
        with self._pool.connection() as connection, connection.transaction():
            connection.execute(
                "SELECT pg_advisory_xact_lock(hashtext(%s))",
                (f"connect-four projections {self.schema}",),
            )
            connection.execute(
                sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(
                    sql.Identifier(self.schema)
                )
            )
            for statement in SCHEMA:
                connection.execute(statement)

    @contextmanager
    def _translate_errors(self) -> Iterator[None]:
        """Turn psycopg's connection errors into the store's own, in one place."""
        try:
            yield
        except (psycopg.OperationalError, psycopg.InterfaceError) as exc:
            reason = str(exc).strip() or type(exc).__name__
            raise StoreUnavailableError(repr(self), reason) from exc

    @contextmanager
    def _reading(self) -> Iterator[SQLConnection]:
        with self._translate_errors(), self._pool.connection() as connection:
            yield _Connection(connection)

    @contextmanager
    def _writing(self, *, exclusive: bool) -> Iterator[SQLConnection]:
        with (
            self._translate_errors(),
            self._pool.connection() as connection,
            connection.transaction(),
        ):
            if exclusive:
                connection.execute(_LOCK_SLOTS)
            yield _Connection(connection)

    def close(self) -> None:
        """Close every pooled connection."""
        self._pool.close()


def _pg(statement: str) -> str:
    """Turn the shared statements' `?` placeholders into psycopg's `%s`."""
    return statement.replace("?", "%s")
