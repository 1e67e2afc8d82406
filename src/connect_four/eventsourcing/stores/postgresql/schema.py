"""Creating the PostgreSQL store's schema: its table, id index and append function.

Run once per schema, by whichever process opens the store first (an advisory
lock makes the others wait and find it done), and never inside a schema that
belongs to another program. The append function, and why the global order it
gives is safe for followers, is described in `postgres`.
"""

from __future__ import annotations

import zlib
from typing import Final

import psycopg
from psycopg import sql

from connect_four.eventsourcing.errors import ForeignDatabaseError
from connect_four.eventsourcing.stores.postgresql.connection import (
    Connection,
    read_committed,
)
from connect_four.eventsourcing.stores.sql.foreign import is_foreign

# The function's name carries the schema version: a store created by an older
# release is upgraded by creating the new function beside the old one.
APPEND_FUNCTION: Final = "append_events_v2"
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
CREATE UNIQUE INDEX IF NOT EXISTS events_event_id_key ON {schema}.events (event_id);
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
    -- connect_four.eventsourcing.stores.postgresql.event_store.
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


def create_schema(conninfo: str, schema: str, name: str) -> None:
    """Create the schema, table, index and append function unless they exist.

    Several processes may start at once against a new database: an advisory
    lock makes them create the schema one after the other, and the later ones
    find it done.

    Raises:
        ForeignDatabaseError: the schema holds tables, none of them our events.
    """
    key = lock_key(schema)
    function = f"{schema}.{APPEND_FUNCTION}(text,bigint,uuid[],text[],bytea[],bytea[])"
    exists = sql.SQL(
        "SELECT to_regprocedure({}) IS NOT NULL AND to_regclass({}) IS NOT NULL"
    ).format(sql.Literal(function), sql.Literal(f"{schema}.events_event_id_key"))
    with psycopg.connect(conninfo, autocommit=True) as connection:
        read_committed(connection)
        row = connection.execute(exists).fetchone()
        if row is not None and row[0]:
            return
        _refuse_foreign(connection, schema, name)
        with connection.transaction():
            connection.execute(
                sql.SQL("SELECT pg_advisory_xact_lock({})").format(sql.Literal(key))
            )
            row = connection.execute(exists).fetchone()
            if row is not None and row[0]:
                return
            connection.execute(
                sql.SQL(_DDL).format(
                    schema=sql.Identifier(schema),
                    function=sql.Identifier(APPEND_FUNCTION),
                    lock_key=sql.Literal(key),
                )
            )


def _refuse_foreign(connection: Connection, schema: str, name: str) -> None:
    """Refuse a schema that holds tables of another program, none of ours.

    Raises:
        ForeignDatabaseError: the schema holds tables, none of them ours.
    """
    rows = connection.execute(
        "SELECT table_name::text FROM information_schema.tables"
        " WHERE table_schema = %s ORDER BY table_name",
        (schema,),
    ).fetchall()
    tables = [str(row[0]) for row in rows]
    if is_foreign(tables):
        raise ForeignDatabaseError(name, tables)


def lock_key(schema: str) -> int:
    """Return the advisory lock key that serialises one schema's appends."""
    return zlib.crc32(f"connect-four event log {schema}".encode()) + (1 << 32)
