"""Snapshots in the PostgreSQL schema that holds the events.

One row per stream, replaced only by a snapshot at a later position (the
upsert's `WHERE`), so two processes taking snapshots of the same stream at
once keep the newer one.
"""

from __future__ import annotations

from typing import Final

from psycopg import sql

from connect_four.eventsourcing.snapshots import Snapshot
from connect_four.eventsourcing.stores.postgresql.connection import (
    open_connections,
    set_up_once,
    translate_every_error,
)
from connect_four.eventsourcing.stores.postgresql.event_store import DEFAULT_SCHEMA

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
        self._name = repr(self)
        identifier = sql.Identifier(schema)
        self._get = sql.SQL(_GET).format(schema=identifier)
        self._put = sql.SQL(_PUT).format(schema=identifier)
        self._connections = open_connections(conninfo, name=self._name, size=pool_size)
        with (
            translate_every_error(self._name),
            self._connections.connection() as connection,
        ):
            set_up_once(
                connection,
                f"connect-four snapshots {schema}",
                [
                    sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(identifier),
                    sql.SQL(_SCHEMA).format(schema=identifier),
                ],
            )

    def __repr__(self) -> str:
        return f"PostgresSnapshotStore(schema={self.schema!r})"

    def get(self, stream: str) -> Snapshot | None:
        """Return the newest snapshot of a stream, or None.

        Raises:
            StoreUnavailableError: the database refused or could not be reached.
        """
        with (
            translate_every_error(self._name),
            self._connections.connection() as connection,
        ):
            row = connection.execute(self._get, (stream,)).fetchone()
        if row is None:
            return None
        position, version, state, taken_at = row
        return Snapshot(stream, position, version, bytes(state), taken_at)

    def put(self, snapshot: Snapshot) -> None:
        """Keep a snapshot unless one at a later position is kept already.

        Raises:
            StoreUnavailableError: the database refused or could not be reached.
        """
        row = (
            snapshot.stream,
            snapshot.position,
            snapshot.version,
            snapshot.state,
            snapshot.taken_at,
        )
        with (
            translate_every_error(self._name),
            self._connections.connection() as connection,
        ):
            connection.execute(self._put, row)

    def close(self) -> None:
        """Close every pooled connection."""
        self._connections.pool.close()
