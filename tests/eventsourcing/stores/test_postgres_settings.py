"""The PostgreSQL store whatever the database's settings: isolation, constraints."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import psycopg
import pytest
from psycopg import sql

from connect_four.eventsourcing.errors import (
    ConcurrencyError,
    ForeignDatabaseError,
    StoreUnavailableError,
)
from connect_four.eventsourcing.events import NewEvent
from connect_four.eventsourcing.store import EventStore, StreamState
from connect_four.eventsourcing.stores import open_store
from connect_four.eventsourcing.stores.postgresql.event_store import parse_url
from tests.eventsourcing.stores.backends import (
    drop_postgres_schema,
    new_schema_name,
    open_postgres,
    postgres_url,
)

WRITERS = 6
APPENDS = 25


@pytest.fixture
def schema() -> Iterator[str]:
    """Yield a schema name of the test database, and drop the schema afterwards."""
    name = new_schema_name()
    postgres_url()
    yield name
    drop_postgres_schema(name)


def url_with(schema: str, isolation: str) -> str:
    """Return the test URL for a schema, its sessions defaulting to an isolation.

    libpq's `options` sets the session's default as `ALTER DATABASE ... SET`
    or `ALTER ROLE ... SET` would, without changing the shared test database.
    """
    separator = "&" if "?" in postgres_url() else "?"
    option = f"-c default_transaction_isolation={isolation.replace(' ', '%5C%20')}"
    return f"{postgres_url()}{separator}schema={schema}&options={option}"


def play_on_shared_streams(stores: list[EventStore]) -> list[BaseException]:
    """Let each store append to three shared streams, retrying conflicts."""
    failures: list[BaseException] = []
    barrier = threading.Barrier(len(stores))

    def write(store: EventStore, number: int) -> None:
        barrier.wait()
        for append in range(APPENDS):
            stream = f"shared-{(number + append) % 3}"
            while True:
                end = store.read_stream(stream)
                expected = end[-1].stream_position if end else StreamState.NO_STREAM
                try:
                    store.append(stream, [NewEvent("E", b"{}")], expected)
                    break
                except ConcurrencyError:
                    continue
                except BaseException as error:  # noqa: BLE001  # collected for the test's assertion
                    failures.append(error)
                    return

    threads = [
        threading.Thread(target=write, args=(store, number))
        for number, store in enumerate(stores)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return failures


@pytest.mark.parametrize("isolation", ["repeatable read", "serializable"])
def test_appends_race_cleanly_whatever_the_default_isolation(
    schema: str, isolation: str
) -> None:
    stores = [open_store(url_with(schema, isolation)) for _ in range(WRITERS)]

    failures = play_on_shared_streams(stores)

    log = stores[0].read_all(limit=10_000)
    for store in stores:
        store.close()
    assert failures == []
    positions = [e.global_position for e in log]
    assert positions == sorted(set(positions))
    assert len(positions) == WRITERS * APPENDS


def test_a_schema_holding_another_programs_tables_is_refused_untouched(
    schema: str,
) -> None:
    conninfo, _, _ = parse_url(postgres_url())
    with psycopg.connect(conninfo, autocommit=True) as connection:
        connection.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
        connection.execute(
            sql.SQL("CREATE TABLE {}.players (name text)").format(
                sql.Identifier(schema)
            )
        )

        with pytest.raises(ForeignDatabaseError) as refused:
            open_postgres(schema)

        tables = connection.execute(
            "SELECT table_name::text FROM information_schema.tables"
            " WHERE table_schema = %s",
            (schema,),
        ).fetchall()
        functions = connection.execute(
            "SELECT count(*) FROM pg_proc p JOIN pg_namespace n"
            " ON n.oid = p.pronamespace WHERE n.nspname = %s",
            (schema,),
        ).fetchone()
    assert "players" in str(refused.value)
    assert tables == [("players",)]
    assert functions == (0,)


def test_a_constraint_added_by_hand_refuses_an_append_as_the_stores_error(
    schema: str,
) -> None:
    store = open_postgres(schema)
    conninfo, _, _ = parse_url(postgres_url())
    with psycopg.connect(conninfo, autocommit=True) as connection:
        connection.execute(
            sql.SQL(
                "ALTER TABLE {}.events ADD CONSTRAINT no_x CHECK (type <> 'X')"
            ).format(sql.Identifier(schema))
        )

    with pytest.raises(StoreUnavailableError) as refused:
        store.append("s", [NewEvent("X", b"{}")], StreamState.NO_STREAM)

    assert "no_x" in str(refused.value)
    assert store.read_stream("s") == []
    store.close()
