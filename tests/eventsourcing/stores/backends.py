"""Open each kind of event store for the contract suite.

Server stores are configured by environment variables; where one is not set
the tests that need it are skipped with the reason shown in pytest's summary.
Under CI (`CI=true`) a missing or unreachable PostgreSQL fails instead: CI must
run that suite for real. KurrentDB cannot run on the CI machine, so its suite
is skipped there unless a server's URL is given.

- postgres: `CONNECT_FOUR_TEST_POSTGRES_URL`, a database in which each test gets
  a fresh schema, dropped afterwards.
- kurrentdb: `CONNECT_FOUR_TEST_KURRENTDB_URL`, a server on which each test gets
  a fresh stream namespace (KurrentDB cannot drop streams for good).
- kurrentdb-fake: the KurrentDB store over an in-process fake of the client,
  which checks the store's own mapping everywhere, server or not.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import pytest

from connect_four.eventsourcing.errors import StoreUnavailableError
from connect_four.eventsourcing.store import EventStore
from connect_four.eventsourcing.stores.memory.event_store import InMemoryEventStore
from connect_four.eventsourcing.stores.sqlite.event_store import SQLiteEventStore

if TYPE_CHECKING:
    from connect_four.eventsourcing.stores.postgresql.event_store import (
        PostgresEventStore,
    )

STORE_KINDS = ("memory", "sqlite", "postgres", "kurrentdb-fake", "kurrentdb")
POSTGRES_URL_ENV = "CONNECT_FOUR_TEST_POSTGRES_URL"
KURRENTDB_URL_ENV = "CONNECT_FOUR_TEST_KURRENTDB_URL"


def postgres_url() -> str:
    """Return the test database's URL; skip (fail under CI) if there is none."""
    url = os.environ.get(POSTGRES_URL_ENV)
    if not url:
        _unavailable(f"{POSTGRES_URL_ENV} is not set", required_in_ci=True)
    return url


def kurrentdb_url() -> str:
    """Return the test server's URL; skip if there is none."""
    url = os.environ.get(KURRENTDB_URL_ENV)
    if not url:
        _unavailable(f"{KURRENTDB_URL_ENV} is not set", required_in_ci=False)
    return url


def _unavailable(reason: str, *, required_in_ci: bool) -> NoReturn:
    if required_in_ci and os.environ.get("CI") == "true":
        pytest.fail(f"{reason}, but CI must run this suite")
    pytest.skip(reason)


def open_postgres(schema: str) -> PostgresEventStore:
    """Open the PostgreSQL store on a schema of the test database."""
    from connect_four.eventsourcing.stores.postgresql.event_store import (
        PostgresEventStore,
        parse_url,
    )

    conninfo, _, _ = parse_url(postgres_url())
    try:
        return PostgresEventStore(conninfo, schema, pool_size=4)
    except StoreUnavailableError as exc:
        _unavailable(str(exc), required_in_ci=True)


def drop_postgres_schema(schema: str) -> None:
    """Remove a test schema and everything in it."""
    import psycopg
    from psycopg import sql

    from connect_four.eventsourcing.stores.postgresql.event_store import parse_url

    conninfo, _, _ = parse_url(postgres_url())
    with psycopg.connect(conninfo, autocommit=True) as connection:
        connection.execute(
            sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema))
        )


def cut_connections(application_name: str) -> int:
    """Terminate, from the server's side, the connections opened under a name.

    Return how many there were. A pool's connections carry the name when its
    connection URL has `application_name=...`. Each is waited for (up to five
    seconds) until its server process has gone, so its client's socket has
    already been told.
    """
    import psycopg

    from connect_four.eventsourcing.stores.postgresql.event_store import parse_url

    conninfo, _, _ = parse_url(postgres_url())
    with psycopg.connect(conninfo, autocommit=True) as admin:
        return len(
            admin.execute(
                "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity"
                " WHERE application_name = %s",
                (application_name,),
            ).fetchall()
        )


def new_schema_name() -> str:
    """Return a schema name no other test uses."""
    return f"test_{uuid.uuid4().hex[:20]}"


@contextmanager
def open_test_store(kind: str, tmp_path: Path) -> Iterator[EventStore]:
    """Yield a fresh, empty store of the given kind and close it afterwards."""
    store: EventStore
    schema = ""
    if kind == "memory":
        store = InMemoryEventStore()
    elif kind == "sqlite":
        store = SQLiteEventStore(tmp_path / "events.db")
    elif kind == "postgres":
        schema = new_schema_name()
        store = open_postgres(schema)
    elif kind == "kurrentdb-fake":
        from connect_four.eventsourcing.stores.kurrentdb.event_store import (
            KurrentDBEventStore,
        )
        from tests.eventsourcing.stores.fake_kurrentdb import FakeKurrentDBClient

        store = KurrentDBEventStore(FakeKurrentDBClient())
    elif kind == "kurrentdb":
        from connect_four.eventsourcing.stores import open_store

        store = open_store(_with_namespace(kurrentdb_url(), f"test-{uuid.uuid4()}-"))
    else:
        pytest.fail(f"unknown store kind {kind}")
    try:
        yield store
    finally:
        store.close()
        if schema:
            drop_postgres_schema(schema)


def reopen_test_store(kind: str, store: EventStore, tmp_path: Path) -> EventStore:
    """Return a second handle on the same store, as another process would have."""
    if kind == "memory":
        return store
    if kind == "sqlite":
        return SQLiteEventStore(tmp_path / "events.db")
    if kind == "postgres":
        from connect_four.eventsourcing.stores.postgresql.event_store import (
            PostgresEventStore,
        )

        if not isinstance(store, PostgresEventStore):
            pytest.fail(f"{store!r} is not a PostgreSQL store")
        return open_postgres(store.schema)
    if kind in ("kurrentdb", "kurrentdb-fake"):
        from connect_four.eventsourcing.stores import open_store
        from connect_four.eventsourcing.stores.kurrentdb.event_store import (
            KurrentDBEventStore,
        )

        if not isinstance(store, KurrentDBEventStore):
            pytest.fail(f"{store!r} is not a KurrentDB store")
        if kind == "kurrentdb-fake":
            # The fake's state lives in the client object: share it, as two
            # clients share one server.
            return KurrentDBEventStore(store.client, store.namespace)
        return open_store(_with_namespace(kurrentdb_url(), store.namespace))
    pytest.fail(f"unknown store kind {kind}")


def _with_namespace(url: str, namespace: str) -> str:
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}namespace={namespace}"
