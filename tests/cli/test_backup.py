"""`connect-four backup` and `restore`: consistent copies while servers write."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx2 as httpx
import pytest

from connect_four.cli import run
from connect_four.eventsourcing.events import NewEvent, RecordedEvent
from connect_four.eventsourcing.migration import read_log
from connect_four.eventsourcing.store import StreamState
from connect_four.eventsourcing.stores import open_store
from connect_four.eventsourcing.stores.sqlite.projection_storage import (
    SQLiteProjectionStorage,
)
from tests.web.games import open_game, play
from tests.web.service import Service


def everything(url: str) -> list[RecordedEvent]:
    """Return every event of a store, every field included."""
    store = open_store(url)
    try:
        return list(read_log(store))
    finally:
        store.close()


def identities(events: list[RecordedEvent]) -> list[tuple[object, ...]]:
    """Return what a copy into another store keeps of each event."""
    return [
        (e.stream, e.stream_position, e.id, e.type, e.data, e.metadata) for e in events
    ]


def append_one(url: str, stream: str, data: bytes) -> None:
    """Store one event in a new stream of a store."""
    store = open_store(url)
    try:
        store.append(stream, [NewEvent("Noted", data)], StreamState.NO_STREAM)
    finally:
        store.close()


class Writer:
    """Play games through a server's API in a thread until stopped."""

    def __init__(self, url: str) -> None:
        self._client = httpx.Client(base_url=url, timeout=10)
        self._stop = threading.Event()
        self.games = 0
        self._thread = threading.Thread(target=self._write)

    def _write(self) -> None:
        while not self._stop.is_set():
            play(self._client, open_game(self._client), "ABABABA")
            self.games += 1

    def wait_for(self, games: int, timeout: float = 30.0) -> None:
        """Wait until the writer has played that many games in all."""
        deadline = time.monotonic() + timeout
        while self.games < games:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                pytest.fail(f"the writer stopped after {self.games} games")
            time.sleep(0.05)

    def __enter__(self) -> Writer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self._client.close()


@pytest.fixture
def busy_server(tmp_path: Path) -> Iterator[tuple[str, Writer]]:
    """Yield a SQLite store URL while a real server keeps writing games to it."""
    url = f"sqlite:///{tmp_path / 'games.db'}"
    service = Service(url, tmp_path / "serve.log", ["--no-rate-limit"])
    with service as server, Writer(server.url) as writer:
        writer.wait_for(2)
        yield url, writer


@pytest.mark.slow
def test_a_backup_taken_while_a_server_writes_restores_identical(
    busy_server: tuple[str, Writer],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    url, writer = busy_server
    backup = tmp_path / "backup.db"
    assert run(["backup", "--store", url, "--to", str(backup)]) == 0
    writer.wait_for(writer.games + 2)  # the server kept writing
    assert "checked: the copy holds the same events" in capsys.readouterr().out

    restored = f"sqlite:///{tmp_path / 'restored.db'}"
    assert run(["restore", "--from", str(backup), "--store", restored]) == 0
    copy = everything(restored)
    assert len(copy) >= 2 * 11
    assert copy == everything(url)[: len(copy)]  # every field, times and positions too
    assert len(everything(url)) > len(copy)
    assert "read models included; checked" in capsys.readouterr().out


def test_a_sqlite_backup_carries_the_read_models_with_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'games.db'}"
    assert run(["projections", "--store", url, "status"]) == 0
    backup = tmp_path / "backup.db"
    assert run(["backup", "--store", url, "--to", str(backup)]) == 0
    storage = SQLiteProjectionStorage(backup)
    try:
        assert {slot.name for slot in storage.slots()} == {
            "games",
            "leaderboard",
            "tables",
        }
    finally:
        storage.close()


def test_a_backup_never_writes_over_an_existing_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'games.db'}"
    run(["projections", "--store", url, "status"])
    backup = tmp_path / "backup.db"
    backup.write_bytes(b"precious")
    assert run(["backup", "--store", url, "--to", str(backup)]) == 1
    assert "exists already; choose a new name" in capsys.readouterr().err
    assert backup.read_bytes() == b"precious"


def test_a_backup_of_a_missing_sqlite_file_says_so_and_leaves_no_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    backup = tmp_path / "backup.db"
    missing = f"sqlite:///{tmp_path / 'nowhere.db'}"
    assert run(["backup", "--store", missing, "--to", str(backup)]) == 1
    assert "there is no such file" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_restoring_a_file_that_is_not_a_backup_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 100)
    target = tmp_path / "games.db"
    assert run(["restore", "--from", str(junk), "--store", f"sqlite:///{target}"]) == 1
    assert "is damaged or not a SQLite database" in capsys.readouterr().err
    assert not target.exists()


def test_restoring_into_a_store_that_holds_other_events_changes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = f"sqlite:///{tmp_path / 'games.db'}"
    append_one(source, "game-1", b'{"from": "backup"}')
    backup = tmp_path / "backup.db"
    assert run(["backup", "--store", source, "--to", str(backup)]) == 0
    target = f"sqlite:///{tmp_path / 'other.db'}"
    append_one(target, "game-1", b'{"from": "elsewhere"}')
    before = everything(target)
    assert run(["restore", "--from", str(backup), "--store", target]) == 1
    assert "refusing to copy into a store that already holds stream 'game-1'" in (
        capsys.readouterr().err
    )
    assert everything(target) == before


def test_a_postgresql_store_is_backed_up_into_sqlite_and_restored(
    postgres_store_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for number in range(3):
        append_one(postgres_store_url, f"game-{number}", b'{"n": %d}' % number)
    backup = tmp_path / "backup.db"
    assert run(["backup", "--store", postgres_store_url, "--to", str(backup)]) == 0
    assert "backed up 3 events (up to global position" in capsys.readouterr().out
    restored = f"sqlite:///{tmp_path / 'restored.db'}"
    assert run(["restore", "--from", str(backup), "--store", restored]) == 0
    assert identities(everything(restored)) == identities(
        everything(postgres_store_url)
    )


def test_a_backup_restores_into_an_empty_postgresql_store(
    postgres_store_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = f"sqlite:///{tmp_path / 'games.db'}"
    for number in range(3):
        append_one(source, f"game-{number}", b'{"n": %d}' % number)
    backup = tmp_path / "backup.db"
    assert run(["backup", "--store", source, "--to", str(backup)]) == 0
    assert run(["restore", "--from", str(backup), "--store", postgres_store_url]) == 0
    assert "checked: they match the backup" in capsys.readouterr().out
    assert identities(everything(postgres_store_url)) == identities(everything(source))


def test_a_store_named_by_a_relative_path_is_backed_up_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    append_one("sqlite://games.db", "game-1", b'{"from": "here"}')

    assert run(["backup", "--store", "sqlite://games.db", "--to", "backup.db"]) == 0

    assert "backed up 1 events (up to global position 1)" in capsys.readouterr().out
    assert identities(everything("sqlite://backup.db")) == identities(
        everything("sqlite://games.db")
    )


def test_a_backup_named_by_a_relative_path_restores_into_a_new_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    append_one("sqlite://games.db", "game-1", b'{"from": "here"}')
    run(["backup", "--store", "sqlite://games.db", "--to", "backup.db"])

    assert run(["restore", "--from", "backup.db", "--store", "sqlite://new.db"]) == 0

    assert "restored 1 events into new.db" in capsys.readouterr().out
    assert everything("sqlite://new.db") == everything("sqlite://games.db")


def test_a_backup_named_by_a_relative_path_restores_into_another_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    append_one("sqlite://games.db", "game-1", b'{"from": "here"}')
    run(["backup", "--store", "sqlite://games.db", "--to", "backup.db"])
    target = tmp_path / "elsewhere" / "other.db"
    target.parent.mkdir()
    append_one(f"sqlite://{target}", "game-2", b'{"from": "elsewhere"}')

    assert run(["restore", "--from", "backup.db", "--store", f"sqlite://{target}"]) == 0

    assert "restored 1 events into the store" in capsys.readouterr().out
    assert [e.stream for e in everything(f"sqlite://{target}")] == ["game-2", "game-1"]
