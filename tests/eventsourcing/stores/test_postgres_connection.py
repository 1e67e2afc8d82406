"""Every PostgreSQL pool of the store: checked connections, errors translated."""

from __future__ import annotations

import uuid
from typing import Any

import psycopg
import pytest

from connect_four.eventsourcing.errors import StoreUnavailableError
from connect_four.eventsourcing.stores.postgresql import (
    connection as postgres_connection,
)
from connect_four.eventsourcing.stores.postgresql.connection import (
    IdleCheck,
    open_pool,
    translate_errors,
)
from connect_four.eventsourcing.stores.postgresql.event_store import parse_url
from tests.eventsourcing.stores.backends import cut_connections, postgres_url


def test_a_connection_the_server_cut_is_replaced_before_it_is_handed_out() -> None:
    conninfo, _, _ = parse_url(postgres_url())
    name = f"pool-{uuid.uuid4().hex[:12]}"
    pool = open_pool(f"{conninfo}&application_name={name}", name=name, size=1)
    assert cut_connections(name) == 1, "the test cut none of the pool's connections"

    with pool.connection() as connection:
        row = connection.execute("SELECT 1").fetchone()

    pool.close()
    assert row == (1,)


def test_a_read_only_session_is_reported_as_the_store_unavailable() -> None:
    conninfo, _, _ = parse_url(postgres_url())
    with psycopg.connect(conninfo, autocommit=True) as connection:
        connection.execute("SET default_transaction_read_only = on")

        with (
            pytest.raises(StoreUnavailableError, match="read-only") as raised,
            translate_errors("the test's database"),
        ):
            connection.execute("CREATE TEMPORARY TABLE t (x int)")

    assert raised.value.store == "the test's database"


class CountingConnection(psycopg.Connection[tuple[object, ...]]):
    """A real connection that counts the statements sent through it."""

    statements = 0

    def execute(self, *args: Any, **kwargs: Any) -> Any:
        self.statements += 1
        return super().execute(*args, **kwargs)


def test_a_quiet_connection_used_moments_ago_is_handed_out_unprobed() -> None:
    conninfo, _, _ = parse_url(postgres_url())
    idle = IdleCheck()
    with CountingConnection.connect(conninfo, autocommit=True) as connection:
        idle.check(connection)
        probes = connection.statements

        idle.check(connection)

        assert (probes, connection.statements) == (1, 1)


def test_a_connection_idle_for_a_while_is_probed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    conninfo, _, _ = parse_url(postgres_url())
    idle = IdleCheck()
    with CountingConnection.connect(conninfo, autocommit=True) as connection:
        idle.check(connection)
        monkeypatch.setattr(postgres_connection, "IDLE_CHECK_SECONDS", -1.0)

        idle.check(connection)

        assert connection.statements == 2


def test_a_connection_the_server_has_spoken_on_is_probed_and_fails() -> None:
    conninfo, _, _ = parse_url(postgres_url())
    name = f"idle-{uuid.uuid4().hex[:12]}"
    idle = IdleCheck()
    with CountingConnection.connect(
        f"{conninfo}&application_name={name}", autocommit=True
    ) as connection:
        idle.check(connection)
        assert cut_connections(name) == 1, "the test cut no connection"

        with pytest.raises(psycopg.OperationalError):
            idle.check(connection)
