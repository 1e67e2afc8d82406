"""`connect-four migrate --from URL --to URL`: move every game to another store."""

from __future__ import annotations

import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import pytest

from connect_four.application import ConnectFourApp
from connect_four.cli import run
from connect_four.domain.board import Column
from connect_four.domain.game import Move
from connect_four.eventsourcing.events import NewEvent
from connect_four.eventsourcing.migration import read_log
from connect_four.eventsourcing.store import StreamState
from connect_four.eventsourcing.stores import open_store
from connect_four.persistence.game_repository import EventSourcedGameRepository

ANN_WINS = "ABABABA"


def play_games(url: str) -> None:
    """Store a finished game and an unfinished one."""
    store = open_store(url)
    app = ConnectFourApp.over(EventSourcedGameRepository(store))
    finished = app.create_game("ann", "bob")
    unfinished = app.create_game("cat", "dan")
    for turn, column in enumerate(ANN_WINS):
        app.make_move(finished, Move(("ann", "bob")[turn % 2], Column(column)))
        if turn < 3:
            app.make_move(unfinished, Move(("cat", "dan")[turn % 2], Column(column)))
    store.close()


def recorded_times(url: str) -> list[datetime]:
    """Return when each event of a store was recorded, in global order."""
    store = open_store(url)
    try:
        return [event.recorded_at for event in read_log(store)]
    finally:
        store.close()


def identities(url: str) -> list[tuple[object, ...]]:
    """Return what identifies each event of a store, in global order."""
    store = open_store(url)
    found: list[tuple[object, ...]] = [
        (e.stream, e.stream_position, e.id, e.type, e.data, e.metadata)
        for e in read_log(store)
    ]
    store.close()
    return found


def test_games_round_trip_sqlite_to_postgresql_to_sqlite_unchanged(
    tmp_path: Path, postgres_store_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    first, last = f"sqlite:///{tmp_path / 'a.db'}", f"sqlite:///{tmp_path / 'b.db'}"
    play_games(first)

    there = run(["migrate", "--from", first, "--to", postgres_store_url])
    back = run(["migrate", "--from", postgres_store_url, "--to", last])

    assert (there, back) == (0, 0)
    assert identities(last) == identities(postgres_store_url) == identities(first)
    assert len(identities(first)) == 13
    assert capsys.readouterr().out.count("verified: both stores hold the same 13") == 2


def test_progress_is_drawn_on_stderr_and_the_check_reported_on_stdout(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = f"sqlite:///{tmp_path / 'a.db'}"
    play_games(source)

    status = run(
        ["migrate", "--from", source, "--to", f"sqlite:///{tmp_path / 'b.db'}"]
    )

    out, err = capsys.readouterr()
    assert status == 0
    assert "13 events in 2 streams" in out
    assert "verified: both stores hold the same 13 events, in order" in out
    assert f"copying [{'#' * 30}] 13/13 events (100%)" in err


def test_a_target_that_holds_one_of_the_games_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source, target = f"sqlite:///{tmp_path / 'a.db'}", f"sqlite:///{tmp_path / 'b.db'}"
    play_games(source)
    (stream, *_), *_ = identities(source)
    store = open_store(target)
    store.append(str(stream), [NewEvent("GameStarted", b"{}")], StreamState.NO_STREAM)
    store.close()

    status = run(["migrate", "--from", source, "--to", target])

    assert status == 1
    assert f"refusing to copy into a store that already holds stream {stream!r}" in (
        capsys.readouterr().err
    )
    assert [event[3] for event in identities(target)] == ["GameStarted"]


def test_a_migration_run_again_after_it_finished_copies_nothing_more(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source, target = f"sqlite:///{tmp_path / 'a.db'}", f"sqlite:///{tmp_path / 'b.db'}"
    play_games(source)
    run(["migrate", "--from", source, "--to", target])

    status = run(["migrate", "--from", source, "--to", target])

    assert status == 0
    assert "resuming: 13 were copied before" in capsys.readouterr().out
    assert identities(target) == identities(source)


def test_the_same_store_at_both_ends_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'a.db'}"

    assert run(["migrate", "--from", url, "--to", url]) == 2
    assert "name the same store" in capsys.readouterr().err


def test_the_copy_keeps_each_events_recorded_time(
    tmp_path: Path, postgres_store_url: str
) -> None:
    first, last = f"sqlite://{tmp_path / 'a.db'}", f"sqlite://{tmp_path / 'b.db'}"
    play_games(first)
    time.sleep(0.05)  # a copy stamped with its own time would now differ

    assert run(["migrate", "--from", first, "--to", postgres_store_url]) == 0
    assert run(["migrate", "--from", postgres_store_url, "--to", last]) == 0

    originals = recorded_times(first)
    # PostgreSQL keeps microseconds, SQLite a float of seconds: equal to 1 ms.
    for there, back, original in zip(
        recorded_times(postgres_store_url), recorded_times(last), originals, strict=True
    ):
        assert abs((there - original).total_seconds()) < 0.001
        assert abs((back - original).total_seconds()) < 0.001


def test_a_missing_sqlite_source_is_an_error_and_is_not_created(
    tmp_path: Path,
) -> None:
    source = f"sqlite://{tmp_path / 'typo.db'}"

    finished = subprocess.run(
        [
            sys.executable,
            "-m",
            "connect_four.cli",
            "migrate",
            "--from",
            source,
            "--to",
            f"sqlite://{tmp_path / 'b.db'}",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert finished.returncode == 1
    assert (
        finished.stderr
        == f"connect-four: there is no store at {source} (no such file)\n"
    )
    assert not (tmp_path / "typo.db").exists()
    assert not (tmp_path / "b.db").exists()


def test_a_sqlite_target_in_a_missing_folder_is_refused_without_creating_it(
    tmp_path: Path,
) -> None:
    source = f"sqlite://{tmp_path / 'a.db'}"
    play_games(source)
    target = f"sqlite://{tmp_path / 'no' / 'such' / 'b.db'}"

    finished = subprocess.run(
        [
            sys.executable,
            "-m",
            "connect_four.cli",
            "migrate",
            "--from",
            source,
            "--to",
            target,
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert finished.returncode == 1
    assert f"event store {target} is unavailable" in finished.stderr
    assert f"(no folder {tmp_path / 'no' / 'such'})" in finished.stderr
    assert not (tmp_path / "no").exists()
