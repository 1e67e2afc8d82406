"""A full, read-only, locked or unreachable database: a clear error, nothing torn.

Each test provokes the fault for real where the machine allows it: a tiny
tmpfs for a full disk and a read-only remount of it (both need root, which CI
has); without root, a full disk is simulated with SQLite's `max_page_count`
on the store's connection and a read-only file with chmod. A lock is another
connection holding SQLite's write lock or PostgreSQL's table lock longer than
a short busy or lock timeout. After each fault the log must pass every
invariant check and hold exactly the commands that succeeded.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

import connect_four.eventsourcing.stores.sqlite.connection as sqlite_connection
from connect_four.application import ConnectFourApp
from connect_four.eventsourcing.errors import StoreUnavailableError
from connect_four.eventsourcing.store import EventStore
from connect_four.eventsourcing.stores import open_store
from connect_four.eventsourcing.stores.sqlite.event_store import SQLiteEventStore
from connect_four.persistence.game_repository import EventSourcedGameRepository
from tests.eventsourcing.stores.backends import cut_connections, postgres_url
from tests.reliability.invariants import check_store
from tests.reliability.torture import drop_schema, with_schema

MOUNT_SIZE = "192k"


def app_over(store: EventStore) -> ConnectFourApp:
    """Return the app over a store."""
    return ConnectFourApp.over(EventSourcedGameRepository(store))


def assert_sound(store: EventStore, games: int) -> None:
    """Check the log is sound and holds exactly the games that were created."""
    report = check_store(store)
    assert report.problems == []
    assert report.games == games


def try_mount(target: Path) -> bool:
    """Mount a tiny tmpfs on target; return whether that was allowed."""
    target.mkdir()
    if os.geteuid() != 0:
        return False
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={MOUNT_SIZE}", "tmpfs", str(target)],
        capture_output=True,
        check=False,
    )
    return done.returncode == 0


@contextmanager
def tiny_disk(tmp_path: Path) -> Iterator[Path | None]:
    """Yield a directory on a tiny tmpfs, or None where mounting is not allowed."""
    target = tmp_path / "disk"
    mounted = try_mount(target)
    try:
        yield target if mounted else None
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(target)], check=True)


class FullDisk:
    """A SQLite store that runs out of room, and a way to give it room again."""

    def __init__(self, tmp_path: Path, mounted: Path | None) -> None:
        self.mounted = mounted
        directory = mounted or tmp_path
        self.ballast = directory / "ballast"
        if mounted is not None:
            # Room to free later, so a retry can succeed once space is back.
            self.ballast.write_bytes(b"\0" * 32 * 1024)
        self.path = directory / "events.db"
        self.store = SQLiteEventStore(self.path)
        if mounted is None:
            # No tmpfs without root: let SQLite itself refuse to grow the file.
            self._limit(self._pages() + 4)

    def _pages(self) -> int:
        row = self.store._connection.execute("PRAGMA page_count").fetchone()
        return int(row[0])

    def _limit(self, pages: int) -> None:
        connection = self.store._connection  # the only way to cap this store's file
        connection.execute(f"PRAGMA max_page_count = {pages}")

    def free_space(self) -> None:
        """Give the store room to grow again."""
        if self.mounted is not None:
            self.ballast.unlink()
        else:
            self._limit(self._pages() + 1000)


def fill(app: ConnectFourApp) -> tuple[int, StoreUnavailableError]:
    """Create games until the store refuses; return how many and the error."""
    for created in range(100_000):
        try:
            app.create_game("ann", "bob")
        except StoreUnavailableError as exc:
            return created, exc
    pytest.fail("the disk never filled up")


def test_a_full_disk_refuses_the_command_clearly_and_keeps_every_earlier_one(
    tmp_path: Path,
) -> None:
    with tiny_disk(tmp_path) as mounted:
        disk = FullDisk(tmp_path, mounted)
        app = app_over(disk.store)

        created, error = fill(app)

        assert "full" in str(error)
        assert str(disk.path) in str(error)
        assert_sound(disk.store, created)
        disk.store.close()
        reopened = SQLiteEventStore(disk.path)
        assert_sound(reopened, created)
        reopened.close()


def test_a_command_refused_for_a_full_disk_succeeds_when_retried_with_room(
    tmp_path: Path,
) -> None:
    with tiny_disk(tmp_path) as mounted:
        disk = FullDisk(tmp_path, mounted)
        app = app_over(disk.store)
        created, _ = fill(app)

        disk.free_space()
        app.create_game("ann", "bob")

        assert_sound(disk.store, created + 1)
        disk.store.close()


@contextmanager
def read_only(directory: Path, database: Path) -> Iterator[None]:
    """Make a database read-only for this process: remount as root, else chmod."""
    if os.geteuid() == 0:
        remount = ["mount", "-o", "remount,ro", str(directory)]
        subprocess.run(remount, check=True)
        try:
            yield
        finally:
            subprocess.run(["mount", "-o", "remount,rw", str(directory)], check=True)
    else:
        database.chmod(0o444)
        try:
            yield
        finally:
            database.chmod(0o644)


def test_a_database_on_a_read_only_disk_reads_and_refuses_writes_with_the_reason(
    tmp_path: Path,
) -> None:
    with tiny_disk(tmp_path) as mounted:
        if mounted is None and os.geteuid() == 0:
            pytest.skip("root ignores file modes, and mounting is not allowed here")
        directory = mounted or tmp_path
        database = directory / "events.db"
        writer = SQLiteEventStore(database)
        app_over(writer).create_game("ann", "bob")
        writer.close()

        with read_only(directory, database):
            reader = SQLiteEventStore(database)
            try:
                assert_sound(reader, 1)
                with pytest.raises(StoreUnavailableError, match="read-only"):
                    app_over(reader).create_game("cat", "dan")
            finally:
                reader.close()

        reopened = SQLiteEventStore(database)
        assert_sound(reopened, 1)
        reopened.close()


@contextmanager
def sqlite_write_lock(database: Path) -> Iterator[sqlite3.Connection]:
    """Hold SQLite's write lock on another connection until the block ends."""
    other = sqlite3.connect(database, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        yield other
    finally:
        other.execute("ROLLBACK")
        other.close()


def test_a_sqlite_lock_held_past_the_busy_timeout_is_reported_and_stores_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sqlite_connection, "BUSY_TIMEOUT_SECONDS", 0.2)
    store = SQLiteEventStore(tmp_path / "events.db")
    app = app_over(store)
    app.create_game("ann", "bob")

    with (
        sqlite_write_lock(tmp_path / "events.db"),
        pytest.raises(StoreUnavailableError, match="locked"),
    ):
        app.create_game("cy", "dee")

    app.create_game("eve", "fay")
    assert_sound(store, 2)
    store.close()


def test_a_sqlite_lock_released_within_the_busy_timeout_is_waited_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sqlite_connection, "BUSY_TIMEOUT_SECONDS", 20.0)
    store = SQLiteEventStore(tmp_path / "events.db")
    app = app_over(store)
    holding = threading.Event()

    def hold_briefly() -> None:
        with sqlite_write_lock(tmp_path / "events.db"):
            holding.set()
            threading.Event().wait(0.3)

    holder = threading.Thread(target=hold_briefly)
    holder.start()
    holding.wait()
    app.create_game("ann", "bob")
    holder.join()

    assert_sound(store, 1)
    store.close()


def closed_port_url() -> str:
    """Return a PostgreSQL URL on a local port where nothing listens."""
    return "postgresql://postgres@127.0.0.1:1/connect_four?connect_timeout=2"


def test_an_unreachable_postgresql_is_reported_with_where_it_was_looked_for() -> None:
    with pytest.raises(StoreUnavailableError) as caught:
        open_store(closed_port_url())

    message = str(caught.value)
    assert "127.0.0.1:1" in message
    assert "refused" in message.lower()


def test_the_cli_reports_an_unreachable_store_in_one_line_without_a_traceback() -> None:
    command = [sys.executable, "-m", "connect_four.cli"]
    done = subprocess.run(
        [*command, "--store", closed_port_url(), "games"],
        capture_output=True,
        text=True,
        check=False,
    )

    assert done.returncode == 1
    assert done.stderr.startswith("connect-four: event store postgresql://")
    assert "Traceback" not in done.stderr


@pytest.fixture
def postgres_store_url() -> Iterator[str]:
    """Yield the URL of a fresh PostgreSQL schema, created by opening it once."""
    base = postgres_url()
    schema = f"faults_{uuid.uuid4().hex[:16]}"
    url = with_schema(base, schema)
    open_store(url).close()
    try:
        yield url
    finally:
        drop_schema(base, schema)


def with_option(url: str, option: str) -> str:
    """Return a URL whose connections run with one server setting changed."""
    return f"{url}&options=-c%20{option}"


def test_a_read_only_postgresql_refuses_writes_clearly_and_stores_nothing(
    postgres_store_url: str,
) -> None:
    store = open_store(
        with_option(postgres_store_url, "default_transaction_read_only%3Don")
    )

    with pytest.raises(StoreUnavailableError, match="read-only"):
        app_over(store).create_game("ann", "bob")

    assert_sound(store, 0)
    store.close()


def test_a_postgresql_lock_held_past_the_lock_timeout_is_reported_then_retried(
    postgres_store_url: str,
) -> None:
    import psycopg

    from connect_four.eventsourcing.stores.postgresql.event_store import parse_url

    conninfo, schema, _ = parse_url(postgres_store_url)
    store = open_store(with_option(postgres_store_url, "lock_timeout%3D200"))
    app = app_over(store)
    with psycopg.connect(conninfo) as other:
        other.execute(f'LOCK TABLE "{schema}".events IN ACCESS EXCLUSIVE MODE')
        with pytest.raises(StoreUnavailableError, match="lock"):
            app.create_game("ann", "bob")
        other.rollback()

    app.create_game("ann", "bob")
    assert_sound(store, 1)
    store.close()


def test_a_postgresql_connection_cut_by_the_server_is_replaced_before_a_command(
    postgres_store_url: str,
) -> None:
    name = f"faults-{uuid.uuid4().hex[:12]}"
    store = open_store(f"{postgres_store_url}&application_name={name}")
    app = app_over(store)
    app.create_game("ann", "bob")
    assert cut_connections(name) > 0, "the test cut none of the store's connections"

    game_id = app.create_game("cy", "dee")  # the pool checks it and reconnects

    assert app.get_game(game_id).player_one == "cy"
    assert_sound(store, 2)
    store.close()
