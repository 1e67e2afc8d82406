"""Snapshots in the PostgreSQL schema that holds the events.

One row per stream, replaced only by a snapshot at a later position (the
upsert's `WHERE`), so two processes taking snapshots of the same stream at
once keep the newer one.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Final

import psycopg
from psycopg import sql
from psycopg_pool import ConnectionPool

from connect_four.eventsourcing.errors import StoreUnavailableError
from connect_four.eventsourcing.snapshots import Snapshot
from connect_four.eventsourcing.stores.postgres import (
    CONNECT_TIMEOUT_SECONDS,
    DEFAULT_SCHEMA,
)

POOL_SIZE: Final = 2

_SCHEMA: Final = """
CREATE TABLE IF NOT EXISTS {schema}.snapshots (
    stream text PRIMARY KEY,
    position bigint NOT NULL,
    version integer NOT NULL,
    state bytea NOT NULL,
    taken_at timestamptz NOT NULL
)
"""
_GET: Final = (
    "SELECT position, version, state, taken_at FROM {schema}.snapshots"
    " WHERE stream = %s"
)
_PUT: Final = (
    "INSERT INTO {schema}.snapshots AS kept"
    " (stream, position, version, state, taken_at) VALUES (%s, %s, %s, %s, %s)"
    " ON CONFLICT (stream) DO UPDATE SET position = excluded.position,"
    " version = excluded.version, state = excluded.state, taken_at = excluded.taken_at"
    " WHERE excluded.position >= kept.position"
)


class PostgresSnapshotStore:
    """Keep snapshots in the PostgreSQL schema of the event store."""

    def __init__(
        self, conninfo: str, schema: str = DEFAULT_SCHEMA, pool_size: int = POOL_SIZE
    ) -> None:
        self.schema = schema
        identifier = sql.Identifier(schema)
        self._get = sql.SQL(_GET).format(schema=identifier)
        self._put = sql.SQL(_PUT).format(schema=identifier)
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
                open=False,
                name=f"connect-four snapshots {schema}",
                timeout=CONNECT_TIMEOUT_SECONDS,
            )
            self._pool.open(wait=True, timeout=CONNECT_TIMEOUT_SECONDS)
            with self._pool.connection() as connection, connection.transaction():
                connection.execute(
                    "SELECT pg_advisory_xact_lock(hashtext(%s))",
                    (f"connect-four snapshots {schema}",),
                )
                connection.execute(
                    sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(identifier)
                )
                connection.execute(sql.SQL(_SCHEMA).format(schema=identifier))

    def __repr__(self) -> str:
        return f"PostgresSnapshotStore(schema={self.schema!r})"

    @contextmanager
    def _translate_errors(self) -> Iterator[None]:
        """Turn psycopg's connection errors into the store's own, in one place."""
        try:
            yield
        except (psycopg.OperationalError, psycopg.InterfaceError) as exc:
            reason = str(exc).strip() or type(exc).__name__
            raise StoreUnavailableError(repr(self), reason) from exc

    def get(self, stream: str) -> Snapshot | None:
        """Return the newest snapshot of a stream, or None."""
        with self._translate_errors(), self._pool.connection() as connection:
            row = connection.execute(self._get, (stream,)).fetchone()
        if row is None:
            return None
        position, version, state, taken_at = row
        return Snapshot(stream, position, version, bytes(state), taken_at)

    def put(self, snapshot: Snapshot) -> None:
        """Keep a snapshot unless one at a later position is kept already."""
        row = (
            snapshot.stream,
            snapshot.position,
            snapshot.version,
            snapshot.state,
            snapshot.taken_at,
        )
        with self._translate_errors(), self._pool.connection() as connection:
            connection.execute(self._put, row)

    def close(self) -> None:
        """Close every pooled connection."""
        self._pool.close()
