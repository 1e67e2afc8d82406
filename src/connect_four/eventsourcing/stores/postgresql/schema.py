"""Creating the PostgreSQL store's schema: its table, id index and log functions.

Run once per schema, by whichever process opens the store first (an advisory
lock makes the others wait and find it done), and never inside a schema that
belongs to another program. How the append function numbers the global log,
and why a follower bounded by `readable_below()` never skips an event, is
described in `event_store`.

Schema steps. A store made by an older release (`append_events_v2`, which
numbered the log 1, 2, 3... under a lock held through each commit) is upgraded
in place: the new functions number on from after its last event, and the old
function is replaced by one that refuses to append, so that a process of the
older release still running cannot write out of order; it says to upgrade.
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
APPEND_FUNCTION: Final = "append_events_v3"
READABLE_FUNCTION: Final = "readable_below"
POSITION_BITS: Final = 16
"""A transaction's events are numbered within 2**16 positions of its own."""
EVENTS_PER_TRANSACTION: Final = 1 << POSITION_BITS
_RETIRED_FUNCTION: Final = "append_events_v2"
_TABLE: Final = """
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
"""
_RETIRE: Final = """
CREATE OR REPLACE FUNCTION {schema}.{retired}(
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
BEGIN
    RAISE EXCEPTION 'this event store was upgraded by a newer connect-four:'
        ' upgrade this program too' USING ERRCODE = 'feature_not_supported';
END
$body$;
"""
# One row's worth of the INSERT, for the events of append i of the call.
_INSERT: Final = """
INSERT INTO {schema}.events (global_position, stream, stream_position, event_id,
        type, data, metadata, recorded_at)
    SELECT v_next + k, p_streams[i], coalesce(v_actual[i], -1) + 1 + k,
            p_ids[v_first + k], p_types[v_first + k], p_data[v_first + k],
            p_metadata[v_first + k], coalesce(p_recorded[v_first + k], now())
        FROM generate_series(0, p_counts[i] - 1) AS k;
"""
_FUNCTIONS: Final = """
CREATE OR REPLACE FUNCTION {schema}.{readable}() RETURNS bigint
LANGUAGE sql VOLATILE AS $body$
    -- The lowest transaction id an append of this schema may still commit
    -- with: that of the oldest one running now (each holds the schema's
    -- advisory lock, shared, from before it takes an id), else the next id
    -- to be handed out. Ids in pg_locks are 32-bit: widened against the
    -- 64-bit next id. See connect_four.eventsourcing.stores.postgresql.event_store.
    WITH next AS (
        SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint AS id
    ), running AS (
        SELECT min(next.id - ((next.id - t.transactionid::text::bigint)
                % 4294967296 + 4294967296) % 4294967296) AS id
        FROM pg_locks AS a
        JOIN pg_locks AS t ON t.pid = a.pid AND t.locktype = 'transactionid'
        CROSS JOIN next
        WHERE a.locktype = 'advisory' AND a.granted
            AND a.database = (SELECT oid FROM pg_database
                WHERE datname = current_database())
            AND a.classid = {lock_high} AND a.objid = {lock_low} AND a.objsubid = 1
    )
    SELECT ((least(running.id, next.id) - {xid0}) << {bits}) + {base}
    FROM next, running
$body$;
CREATE OR REPLACE FUNCTION {schema}.read_log(p_after bigint, p_limit integer)
RETURNS SETOF {schema}.events LANGUAGE plpgsql AS $body$
DECLARE
    -- Computed first, by a statement of its own; the read below takes a
    -- newer snapshot, which shows every append that ended before it.
    v_below bigint := (SELECT {schema}.{readable}());
BEGIN
    RETURN QUERY SELECT * FROM {schema}.events AS e
        WHERE e.global_position > p_after AND e.global_position < v_below
        ORDER BY e.global_position LIMIT p_limit;
END
$body$;
CREATE OR REPLACE FUNCTION {schema}.log_head() RETURNS bigint
LANGUAGE plpgsql AS $body$
DECLARE
    v_below bigint := (SELECT {schema}.{readable}());
BEGIN
    RETURN (SELECT coalesce(max(e.global_position), 0) FROM {schema}.events AS e
        WHERE e.global_position < v_below);
END
$body$;
CREATE OR REPLACE FUNCTION {schema}.{function}(
    p_streams text[],
    p_expected bigint[],
    p_counts integer[],
    p_ids uuid[],
    p_types text[],
    p_data bytea[],
    p_metadata bytea[],
    p_recorded timestamptz[]
) RETURNS TABLE (outcome text, actual bigint, last_global bigint, duplicate uuid)
LANGUAGE plpgsql AS $body$
DECLARE
    v_actual bigint[] := '{{}}';
    v_accepted boolean[] := '{{}}';
    v_next bigint;
    v_first integer := 1;
    v_constraint text;
    v_detail text;
    v_appends integer := coalesce(cardinality(p_streams), 0);
BEGIN
    IF coalesce(cardinality(p_types), 0) > {per_transaction} THEN
        RAISE EXCEPTION 'more than {per_transaction} events in one transaction'
            USING ERRCODE = 'program_limit_exceeded';
    END IF;
    -- Before the transaction has an id: readers look for the holders of this
    -- lock to know which appends are still running.
    PERFORM pg_advisory_xact_lock_shared({lock_key});
    -- Every check comes before the transaction takes its id, so that each
    -- commit a check saw has a lower id, and so lower positions.
    FOR i IN 1 .. v_appends LOOP
        v_actual[i] := (SELECT max(e.stream_position) FROM {schema}.events AS e
            WHERE e.stream = p_streams[i]);
        -- The same rule as connect_four.eventsourcing.store.check_expected_version.
        v_accepted[i] := p_expected[i] = -2
            OR (p_expected[i] = -1 AND v_actual[i] IS NULL)
            OR (p_expected[i] = -4 AND v_actual[i] IS NOT NULL)
            OR (p_expected[i] >= 0 AND v_actual[i] IS NOT DISTINCT FROM p_expected[i]);
    END LOOP;
    FOR i IN 1 .. v_appends LOOP
        outcome := 'stored';
        actual := v_actual[i];
        last_global := NULL;
        duplicate := NULL;
        IF NOT v_accepted[i] THEN
            outcome := 'conflict';
        ELSIF p_counts[i] > 0 THEN
            IF v_next IS NULL THEN
                v_next := ((pg_current_xact_id()::text::bigint - {xid0}) << {bits})
                    + {base};
            END IF;
            IF v_appends = 1 THEN
                {insert}
            ELSE
                -- Several appends share the transaction (group commit): each
                -- one that breaks a unique rule fails alone.
                BEGIN
                    {insert}
                EXCEPTION WHEN unique_violation THEN
                    GET STACKED DIAGNOSTICS v_constraint = CONSTRAINT_NAME,
                        v_detail = PG_EXCEPTION_DETAIL;
                    IF v_constraint = 'events_event_id_key' THEN
                        outcome := 'duplicate';
                        duplicate := substring(
                            v_detail FROM '\\(event_id\\)=\\(([0-9a-f-]+)\\)')::uuid;
                    ELSE
                        outcome := 'conflict';
                        actual := (SELECT max(e.stream_position)
                            FROM {schema}.events AS e WHERE e.stream = p_streams[i]);
                    END IF;
                END;
            END IF;
        END IF;
        IF outcome = 'stored' THEN
            IF p_counts[i] > 0 THEN
                last_global := v_next + p_counts[i] - 1;
                v_next := v_next + p_counts[i];
            ELSE
                last_global := coalesce((SELECT max(e.global_position)
                    FROM {schema}.events AS e), 0);
            END IF;
        END IF;
        v_first := v_first + p_counts[i];
        RETURN NEXT;
    END LOOP;
END
$body$;
"""


def create_schema(conninfo: str, schema: str, name: str) -> None:
    """Create the schema, table, index and log functions unless they exist.

    Several processes may start at once against a new database: an advisory
    lock makes them create the schema one after the other, and the later ones
    find it done. A schema of an older release is upgraded (see above).

    Raises:
        ForeignDatabaseError: the schema holds tables, none of them our events.
    """
    key = lock_key(schema)
    function = (
        f"{schema}.{APPEND_FUNCTION}"
        "(text[],bigint[],integer[],uuid[],text[],bytea[],bytea[],timestamptz[])"
    )
    exists = sql.SQL(
        "SELECT to_regprocedure({}) IS NOT NULL AND to_regclass({}) IS NOT NULL"
        " AND to_regprocedure({}) IS NOT NULL"
    ).format(
        sql.Literal(function),
        sql.Literal(f"{schema}.events_event_id_key"),
        sql.Literal(f"{schema}.read_log(bigint,integer)"),
    )
    with psycopg.connect(conninfo, autocommit=True) as connection:
        read_committed(connection)
        row = connection.execute(exists).fetchone()
        if row is not None and row[0]:
            return
        _refuse_foreign(connection, schema, name)
        with connection.transaction():
            # Also the lock every append of an older release takes: none of
            # them can commit between reading the log's end and the upgrade.
            connection.execute(
                sql.SQL("SELECT pg_advisory_xact_lock({})").format(sql.Literal(key))
            )
            row = connection.execute(exists).fetchone()
            if row is not None and row[0]:
                return
            _create(connection, schema)


def _create(connection: Connection, schema: str) -> None:
    """Create the table and functions, numbering on after any stored event."""
    identifier = sql.Identifier(schema)
    key = lock_key(schema)
    connection.execute(sql.SQL(_TABLE).format(schema=identifier))
    retired = f"{schema}.{_RETIRED_FUNCTION}(text,bigint,uuid[],text[],bytea[],bytea[])"
    row = connection.execute(
        sql.SQL(
            "SELECT coalesce(max(global_position), 0) + 1,"
            " pg_current_xact_id()::text::bigint, to_regprocedure({}) IS NOT NULL"
            " FROM {}.events"
        ).format(sql.Literal(retired), identifier)
    ).fetchone()
    if row is None:
        raise RuntimeError("an aggregate query returned no row")
    base, xid0, has_retired = row
    if has_retired:
        connection.execute(
            sql.SQL(_RETIRE).format(
                schema=identifier, retired=sql.Identifier(_RETIRED_FUNCTION)
            )
        )
    insert = sql.SQL(_INSERT).format(schema=identifier)
    connection.execute(
        sql.SQL(_FUNCTIONS).format(
            schema=identifier,
            function=sql.Identifier(APPEND_FUNCTION),
            readable=sql.Identifier(READABLE_FUNCTION),
            insert=insert,
            xid0=sql.Literal(xid0),
            base=sql.Literal(base),
            bits=sql.Literal(POSITION_BITS),
            lock_key=sql.Literal(key),
            lock_high=sql.Literal(key >> 32),
            lock_low=sql.Literal(key & 0xFFFFFFFF),
            per_transaction=sql.SQL(str(EVENTS_PER_TRANSACTION)),
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
    """Return the schema's advisory lock key: set-up takes it alone, appends shared."""
    return zlib.crc32(f"connect-four event log {schema}".encode()) + (1 << 32)
