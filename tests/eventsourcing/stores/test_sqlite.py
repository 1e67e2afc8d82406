"""What the SQLite store promises beyond the contract: durability and processes."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from contextlib import closing
from pathlib import Path

import pytest

from connect_four.eventsourcing.errors import (
    ConcurrencyError,
    ForeignDatabaseError,
    StoreUnavailableError,
)
from connect_four.eventsourcing.events import NewEvent
from connect_four.eventsourcing.store import AppendResult, StreamState
from connect_four.eventsourcing.stores import open_store
from connect_four.eventsourcing.stores.sqlite.connection import (
    BUSY_TIMEOUT_SECONDS,
    PAGE_SIZE,
)
from connect_four.eventsourcing.stores.sqlite.event_store import SQLiteEventStore

WRITER = """
import sys
from connect_four.eventsourcing.errors import ConcurrencyError
from connect_four.eventsourcing.events import NewEvent
from connect_four.eventsourcing.stores.sqlite.event_store import SQLiteEventStore

path, stream, name, start = sys.argv[1:5]
store = SQLiteEventStore(path)
barrier = __import__("pathlib").Path(start)
while not barrier.exists():
    pass
try:
    store.append(stream, [NewEvent("Move", name.encode())], 0)
    print("won")
except ConcurrencyError:
    print("lost")
"""


def test_settings_are_wal_with_full_sync(tmp_path: Path) -> None:
    store = SQLiteEventStore(tmp_path / "events.db")
    store.close()
    connection = sqlite3.connect(tmp_path / "events.db")
    assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    connection.close()
    # synchronous is per connection: the store's own connection reports it.
    store = SQLiteEventStore(tmp_path / "events.db")
    assert store._connection.execute("PRAGMA synchronous").fetchone() == (2,)
    store.close()


def test_an_empty_append_is_checked_and_writes_nothing(tmp_path: Path) -> None:
    store = SQLiteEventStore(tmp_path / "events.db")
    store.append("game", [NewEvent("A", b"{}")], StreamState.NO_STREAM)

    result = store.append("game", [], 0)
    with pytest.raises(ConcurrencyError):
        store.append("game", [], 5)

    assert result == AppendResult(stream_position=0, global_position=1)
    assert [e.type for e in store.read_all()] == ["A"]
    store.close()


def test_a_new_file_has_small_pages(tmp_path: Path) -> None:
    store = SQLiteEventStore(tmp_path / "events.db")

    page_size = store._connection.execute("PRAGMA page_size").fetchone()[0]

    store.close()
    assert page_size == PAGE_SIZE == 1024


def test_events_survive_closing_and_reopening_the_file(tmp_path: Path) -> None:
    store = SQLiteEventStore(tmp_path / "events.db")
    store.append("s-1", [NewEvent("A", b"{}")], StreamState.NO_STREAM)
    store.close()

    reopened = SQLiteEventStore(tmp_path / "events.db")
    assert [e.type for e in reopened.read_stream("s-1")] == ["A"]
    reopened.close()


def test_the_file_is_created_on_first_use(tmp_path: Path) -> None:
    store = open_store(f"sqlite://{tmp_path}/games.db")
    store.close()
    assert (tmp_path / "games.db").exists()


def test_a_missing_folder_is_refused_and_not_created(tmp_path: Path) -> None:
    url = f"sqlite://{tmp_path}/new/dir/games.db"

    with pytest.raises(StoreUnavailableError) as raised:
        open_store(url)

    assert str(raised.value).startswith(f"event store {url} is unavailable")
    assert f"(no folder {tmp_path}/new/dir)" in str(raised.value)
    assert not (tmp_path / "new").exists()


def test_of_writers_in_separate_processes_exactly_one_wins(tmp_path: Path) -> None:
    path = tmp_path / "events.db"
    store = SQLiteEventStore(path)
    stream = f"race-{uuid.uuid4()}"
    store.append(stream, [NewEvent("Start", b"{}")], StreamState.NO_STREAM)
    start = tmp_path / "go"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path), stream, f"w{i}", str(start)],
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        for i in range(4)
    ]
    start.touch()
    outcomes = sorted(w.communicate(timeout=60)[0].strip() for w in writers)

    assert outcomes == ["lost", "lost", "lost", "won"]
    assert [e.stream_position for e in store.read_stream(stream)] == [0, 1]
    store.close()


def test_a_path_that_cannot_hold_a_file_gives_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    with pytest.raises(StoreUnavailableError) as raised:
        SQLiteEventStore(blocker / "games.db")
    assert "a-file" in str(raised.value)


def test_a_file_that_is_not_a_database_gives_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("these are not the events you are looking for\n" * 100)
    with pytest.raises(StoreUnavailableError) as raised:
        SQLiteEventStore(path)
    assert "notes.txt" in str(raised.value)
    assert path.read_text().startswith("these are not")


def test_reads_go_on_while_an_append_waits_for_another_process(tmp_path: Path) -> None:
    # Given another process holding the file's write lock,
    path = tmp_path / "events.db"
    store = SQLiteEventStore(path)
    store.append("s-1", [NewEvent("A", b"{}")], StreamState.NO_STREAM)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    # and an append of ours waiting for it,
    waiting = threading.Thread(
        target=store.append, args=("s-2", [NewEvent("B", b"{}")], StreamState.NO_STREAM)
    )
    waiting.start()
    time.sleep(0.2)

    # when we read meanwhile,
    started = time.monotonic()
    read = store.read_stream("s-1")
    log = store.read_all()
    took = time.monotonic() - started

    # then the reads answer at once, with what is committed,
    other.execute("ROLLBACK")
    other.close()
    waiting.join()
    assert waiting.is_alive() is False
    assert [e.type for e in read] == ["A"]
    assert [e.type for e in log] == ["A"]
    assert took < BUSY_TIMEOUT_SECONDS / 2
    # and the waiting append lands once the lock is free.
    assert [e.type for e in store.read_all()] == ["A", "B"]
    store.close()


def another_programs_file(path: Path) -> bytes:
    """Make a SQLite file with a table of another program; return its bytes."""
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("CREATE TABLE notes (body TEXT)")
        connection.execute("INSERT INTO notes VALUES ('keep me')")
        connection.commit()
    return path.read_bytes()


def test_a_file_of_another_program_is_refused_and_left_as_it_was(
    tmp_path: Path,
) -> None:
    path = tmp_path / "notes.db"
    before = another_programs_file(path)

    with pytest.raises(ForeignDatabaseError) as refused:
        SQLiteEventStore(path)

    assert "notes" in str(refused.value)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.db"]


def test_the_cli_refuses_another_programs_file_before_the_read_models_touch_it(
    tmp_path: Path,
) -> None:
    path = tmp_path / "notes.db"
    before = another_programs_file(path)

    store = f"sqlite:///{path}"
    done = subprocess.run(
        [sys.executable, "-m", "connect_four.cli", "--store", store, "games"],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )

    assert done.returncode == 1
    assert "belongs to another program" in done.stderr
    assert "Traceback" not in done.stderr
    assert path.read_bytes() == before
