"""Connections to PostgreSQL as every PostgreSQL part of the store makes them.

The event store, the snapshots and the read models each keep a small pool of
autocommit connections to the same database; the connection errors that mean
"the database cannot be used now" become the store's `StoreUnavailableError`
here, in one place. Set-up that several processes may run at once on a new
database (creating tables, functions, triggers) takes an advisory lock, so
they run it one after the other.
"""

from __future__ import annotations

import select
import threading
import time
import weakref
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any, Final, TypeAlias

import psycopg
import psycopg.errors
from psycopg.abc import Query
from psycopg_pool import ConnectionPool, PoolTimeout

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

QUICK_CHECKOUT_SECONDS: Final = 0.2
"""How long a command waits for the pool before it makes a connection itself."""

IDLE_CHECK_SECONDS: Final = 2.0
"""A pooled connection idle longer than this is probed before it is handed out."""

Connection: TypeAlias = psycopg.Connection[Any]


class IdleCheck:
    """Probe a pooled connection on checkout only when it may have gone bad.

    A connection the server has closed (a restart, an idle timeout, a
    terminated backend) must be found and replaced on checkout rather than
    fail a command, and a probe costs an empty round trip. A server that
    closes a connection first tells it so: the idle socket then has something
    to read, which a zero-timeout poll sees for free. A connection whose
    socket is quiet and that was handed out moments ago is alive; one unused
    for longer than `IDLE_CHECK_SECONDS` is probed anyway, since a network
    that drops idle connections sends no word. Under load this spares a round
    trip per checkout and keeps the protection.

    It notes the time of each checkout itself: the pool's `reset` hook would
    say when a connection came back, but with one set the pool returns every
    connection through a background thread, which costs more than it saves.
    """

    def __init__(self) -> None:
        self._handed_out: weakref.WeakKeyDictionary[Connection, float] = (
            weakref.WeakKeyDictionary()
        )

    def check(self, connection: Connection) -> None:
        """Probe the connection if the server has spoken or it sat unused a while.

        Raises:
            psycopg.OperationalError: the connection no longer works.
        """
        now = time.monotonic()
        last = self._handed_out.get(connection)
        if last is None or now - last > IDLE_CHECK_SECONDS or _has_input(connection):
            ConnectionPool.check_connection(connection)
        self._handed_out[connection] = now


def read_committed(connection: Connection) -> None:
    """Make every transaction of a connection run at READ COMMITTED.

    The store relies on it: the append function takes its lock and only then
    reads the stream's end and the log's, which must show the commits made
    while it waited. Under REPEATABLE READ or SERIALIZABLE those reads would
    see the snapshot taken before the lock, and the append would collide with
    the writer it waited for. A database or role may set another default
    (`ALTER DATABASE ... SET default_transaction_isolation`), so each
    connection sets its own, once, when it is made.
    """
    connection.execute("SET default_transaction_isolation = 'read committed'")


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
    idle = IdleCheck()

    def set_up(connection: Connection) -> None:
        read_committed(connection)
        if configure is not None:
            configure(connection)

    with translate_errors(name):
        pool: ConnectionPool = ConnectionPool(
            conninfo,
            min_size=1,
            max_size=size,
            kwargs={"autocommit": True},
            check=idle.check,
            configure=set_up,
            open=False,
            name=f"connect-four {name}",
            timeout=CONNECT_TIMEOUT_SECONDS,
        )
        pool.open(wait=True, timeout=CONNECT_TIMEOUT_SECONDS)
    return pool


def open_connections(
    conninfo: str,
    *,
    name: str,
    size: int,
    configure: Callable[[Connection], None] | None = None,
) -> Connections:
    """Open a pool (see `open_pool`) with the fallback of `Connections` around it.

    Raises:
        StoreUnavailableError: no connection could be made in time.
    """
    pool = open_pool(conninfo, name=name, size=size, configure=configure)
    return Connections(pool, conninfo, size, configure)


def _has_input(connection: Connection) -> bool:
    """Return whether an idle connection's socket has anything to read."""
    try:
        readable, _, _ = select.select([connection.fileno()], [], [], 0)
    except (OSError, ValueError, psycopg.Error):
        return True
    return bool(readable)


@contextmanager
def translate_errors(name: str) -> Iterator[None]:
    """Turn the driver's connection errors into the store's own; pass others on."""
    try:
        yield
    except UNAVAILABLE as exc:
        reason = str(exc).strip() or type(exc).__name__
        raise StoreUnavailableError(name, reason) from exc


@contextmanager
def translate_every_error(name: str) -> Iterator[None]:
    """Turn every driver error into the store's own, with the server's words.

    For the parts (snapshots, read models) that expect no driver error of a
    kind they could name better: a table dropped or altered by hand, a
    statement timeout, a value the server refuses. The user sees one line,
    never the driver's traceback.
    """
    try:
        with translate_errors(name):
            yield
    except psycopg.Error as exc:
        reason = (exc.diag.message_primary or str(exc)).strip()
        raise StoreUnavailableError(name, reason or type(exc).__name__) from exc


def set_up_once(connection: Connection, lock: str, statements: Iterable[Query]) -> None:
    """Run set-up statements in one transaction, one process at a time."""
    with connection.transaction():
        connection.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (lock,))
        for statement in statements:
            connection.execute(statement)


class Connections:
    """Hand out pooled connections, and a fresh one while the pool recovers.

    When the server has cut every connection (a restart, an administrator's
    `pg_terminate_backend`), the pool replaces them in the background, and
    after a failed attempt it waits before the next one: 1 s, then 2, 4, 8
    (psycopg_pool's back-off). Commands would wait that long for a
    connection after the server was fine again (up to 4.5 s was measured).
    Instead, a command that gets no pooled connection within
    `QUICK_CHECKOUT_SECONDS` opens one of its own, used once and closed;
    at most as many at a time as the pool holds, so a busy pool does not
    turn into a flood of connections: past that, commands wait for the pool.
    """

    def __init__(
        self,
        pool: ConnectionPool,
        conninfo: str,
        size: int,
        configure: Callable[[Connection], None] | None = None,
    ) -> None:
        self.pool = pool
        self._conninfo = conninfo
        self._spare = threading.BoundedSemaphore(size)
        self._configure = configure

    @contextmanager
    def connection(self) -> Iterator[Connection]:
        """Yield a working connection: the pool's, or, while it recovers, a new one.

        Raises:
            psycopg.OperationalError: no connection could be had in time.
        """
        pool = self.pool
        try:
            connection = pool.getconn(QUICK_CHECKOUT_SECONDS)
        except PoolTimeout:
            pass
        else:
            try:
                yield connection
            finally:
                pool.putconn(connection)
            return
        if not self._spare.acquire(blocking=False):
            with pool.connection() as connection:
                yield connection
            return
        try:
            with psycopg.connect(
                self._conninfo, autocommit=True, connect_timeout=CONNECT_TIMEOUT_SECONDS
            ) as connection:
                read_committed(connection)
                if self._configure is not None:
                    self._configure(connection)
                yield connection
        finally:
            self._spare.release()
