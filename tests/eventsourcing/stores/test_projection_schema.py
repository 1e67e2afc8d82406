"""The projection tables' schema: made once by a migration step, checked on open."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest

from connect_four.eventsourcing.errors import ProjectionSchemaError
from connect_four.eventsourcing.stores.sql.projection_schema import LATEST, STEPS
from connect_four.eventsourcing.stores.sqlite.projection_storage import (
    SQLiteProjectionStorage,
)
from tests.eventsourcing.stores.backends import postgres_url
from tests.eventsourcing.stores.projection_backends import Database, open_database


@pytest.fixture(params=["sqlite", "postgres"])
def sql_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    with open_database(request.param, tmp_path) as opened:
        yield opened


def run_sql(database: Database, statement: str) -> list[tuple[object, ...]]:
    if database.url.startswith("sqlite"):
        with sqlite3.connect(database.url.removeprefix("sqlite:///")) as connection:
            return connection.execute(statement).fetchall()
    schema = database.url.rpartition("schema=")[2]
    with psycopg.connect(postgres_url(), autocommit=True) as connection:
        connection.execute(f"SET search_path TO {schema}")
        cursor = connection.execute(statement)
        return cursor.fetchall() if cursor.description else []


def test_a_database_records_the_schema_version_of_its_read_models(
    sql_database: Database,
) -> None:
    recorded = run_sql(sql_database, "SELECT part, version FROM schema_versions")

    assert recorded == [("projections", LATEST)]


def test_opening_the_read_models_waits_for_no_writer(sql_database: Database) -> None:
    # What a runner holds while it commits a page: SQLite's write lock, or
    # PostgreSQL's ROW EXCLUSIVE locks on the tables it writes. An open that
    # created tables or indexes would wait for them (and, on PostgreSQL,
    # could deadlock with the runner); one that only reads the version does not.
    opened: list[bool] = []
    opener = threading.Thread(
        target=lambda: opened.append(bool(sql_database.open_storage()))
    )
    with holding_the_writers_locks(sql_database):
        opener.start()
        opener.join(timeout=10)
        finished = not opener.is_alive()
    opener.join(timeout=60)

    assert finished
    assert opened == [True]


@contextmanager
def holding_the_writers_locks(database: Database) -> Iterator[None]:
    if database.url.startswith("sqlite"):
        path = database.url.removeprefix("sqlite:///")
        connection = sqlite3.connect(path, isolation_level=None)
        connection.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            connection.execute("ROLLBACK")
            connection.close()
        return
    schema = database.url.rpartition("schema=")[2]
    with psycopg.connect(postgres_url()) as holder, holder.transaction():
        tables = ", ".join(
            f"{schema}.{table}"
            for table in ("projection_slots", "projection_documents", "projection_tags")
        )
        holder.execute(f"LOCK TABLE {tables} IN ROW EXCLUSIVE MODE")
        yield


def test_read_models_newer_than_this_code_are_refused(sql_database: Database) -> None:
    run_sql(sql_database, f"UPDATE schema_versions SET version = {LATEST + 1}")

    with pytest.raises(ProjectionSchemaError) as raised:
        sql_database.open_storage()

    assert (raised.value.found, raised.value.known) == (LATEST + 1, LATEST)
    assert "upgrade" in str(raised.value)


def test_read_models_stored_before_schema_versions_are_brought_up_to_date(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as connection:
        for statement in STEPS[0]:
            connection.execute(statement)
        connection.execute(
            "INSERT INTO projection_slots VALUES ('games', 3, 1, 42, 1.5)"
        )

    storage = SQLiteProjectionStorage(path)
    try:
        slot = storage.serving_slot("games")
    finally:
        storage.close()

    assert (slot.generation, slot.checkpoint, slot.origin) == (3, 42, 0)
