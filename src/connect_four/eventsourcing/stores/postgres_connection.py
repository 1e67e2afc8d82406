"""Connections to PostgreSQL as every PostgreSQL part of the store makes them.

The event store, the snapshots and the read models each keep a small pool of
autocommit connections to the same database; the connection errors that mean
"the database cannot be used now" become the store's `StoreUnavailableError`
here, in one place. Set-up that several processes may run at once on a new
database (creating tables, functions, triggers) takes an advisory lock, so
they run it one after the other.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any, Final, TypeAlias

import psycopg
import psycopg.errors
from psycopg.abc import Query
from psycopg_pool import ConnectionPool

from connect_four.eventsourcing.errors import StoreUnavailableError

CONNECT_TIMEOUT_SECONDS: Final = 10
"""How long opening a connection may take before the store reports it unavailable."""

UNAVAILABLE: Final = (
    psycopg.OperationalError,
    psycopg.InterfaceError,
    psycopg.errors.InsufficientPrivilege,
    psycopg.errors.ReadOnlySqlTransaction,
)
"""The driver's errors that mean the database cannot be used, not a bug here."""

Connection: TypeAlias = psycopg.Connection[Any]


def open_pool(
    conninfo: str,
    *,
    name: str,
    size: int,
    configure: Callable[[Connection], None] | None = None,
) -> ConnectionPool:
    """Open a pool of autocommit connections and wait for its first connection.

    Raises:
        StoreUnavailableError: no connection could be made in time.
    """
    with translate_errors(name):
        pool: ConnectionPool = ConnectionPool(
            conninfo,
            min_size=1,
            max_size=size,
            kwargs={"autocommit": True},
            # A connection the server has closed (a restart, an idle timeout)
            # is found on checkout and replaced, at the cost of one empty
            # round trip, rather than failing the command.
            check=ConnectionPool.check_connection,
            configure=configure,
            open=False,
            name=f"connect-four {name}",
            timeout=CONNECT_TIMEOUT_SECONDS,
        )
        pool.open(wait=True, timeout=CONNECT_TIMEOUT_SECONDS)
    return pool


@contextmanager
def translate_errors(name: str) -> Iterator[None]:
    """Turn the driver's connection errors into the store's own; pass others on."""
    try:
        yield
    except UNAVAILABLE as exc:
        reason = str(exc).strip() or type(exc).__name__
        raise StoreUnavailableError(name, reason) from exc


def set_up_once(connection: Connection, lock: str, statements: Iterable[Query]) -> None:
    """Run set-up statements in one transaction, one process at a time."""
    with connection.transaction():
        connection.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (lock,))
        for statement in statements:
            connection.execute(statement)
