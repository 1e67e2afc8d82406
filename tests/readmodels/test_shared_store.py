"""Many processes on one store's read models: no false stop, deadlock or double count.

Written from the failures seen before runners held their slot for a page: two
`connect-four leaderboard` commands at once stopped one another ("the game has
no GameStarted before it"), a `projections run` died when a rebuild ran beside
it, and on PostgreSQL `games` commands starting beside a runner deadlocked with
it over the index set-up every open ran.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
from collections import Counter

import pytest

from connect_four.application.service import ConnectFourApp
from connect_four.persistence.game_repository import EventSourcedGameRepository
from connect_four.readmodels import ReadModels
from tests.eventsourcing.stores.projection_backends import Database
from tests.readmodels.processes import play_games
from tests.readmodels.test_processes import ROOT, TIMEOUT_SECONDS, spawn
from tests.readmodels.test_recomputation import assert_equal_to_recomputation

pytestmark = pytest.mark.slow

WAVES = 3
AT_ONCE = 6


def read_models(database: Database, page_size: int = 1000) -> ReadModels:
    return ReadModels(
        database.store,
        database.storage,
        page_size=page_size,
        poll_interval=0.05,
    )


def cli(url: str, *argv: str) -> subprocess.Popen[str]:
    environment = {**os.environ}
    environment.pop("CONNECT_FOUR_PROJECTIONS", None)
    return subprocess.Popen(
        [sys.executable, "-m", "connect_four.cli", "--store", url, *argv],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def failures(processes: list[subprocess.Popen[str]]) -> list[str]:
    failed = []
    for process in processes:
        _, err = process.communicate(timeout=TIMEOUT_SECONDS)
        if process.returncode != 0:
            failed.append(err.strip())
    return failed


def test_many_commands_beside_runners_and_players_never_fail(
    shared_database: Database,
) -> None:
    url = shared_database.url
    app = ConnectFourApp.over(EventSourcedGameRepository(shared_database.store))
    play_games(app, random.Random(0), 2)
    runners = [cli(url, "projections", "run") for _ in range(2)]
    failed: list[str] = []
    counted: Counter[str] = Counter()
    with (
        spawn("play", "--store", url, "--seed", "1", "--games", "8", quiet=True) as one,
        spawn("play", "--store", url, "--seed", "2", "--games", "8", quiet=True) as two,
    ):
        for wave in range(WAVES):
            commands = ["leaderboard", "games"] * (AT_ONCE // 2)
            commands[wave] = "rebuild"
            counted.update(commands)
            failed += failures(
                [
                    cli(url, "projections", "rebuild", "leaderboard")
                    if command == "rebuild"
                    else cli(url, command)
                    for command in commands
                ]
            )
        assert (one.wait(TIMEOUT_SECONDS), two.wait(TIMEOUT_SECONDS)) == (0, 0)
    still_running = [runner.poll() is None for runner in runners]
    for runner in runners:
        runner.send_signal(signal.SIGINT)
    failed += failures(runners)

    assert failed == []
    assert still_running == [True, True]
    assert sum(counted.values()) == WAVES * AT_ONCE
    models = read_models(shared_database)
    models.catch_up()
    assert_equal_to_recomputation(models, shared_database.store)


def test_a_runner_keeps_running_beside_a_rebuild(database: Database) -> None:
    app = ConnectFourApp.over(EventSourcedGameRepository(database.store))
    play_games(app, random.Random(4), 6)
    live = read_models(database, page_size=7)
    live.catch_up()
    errors: list[BaseException] = []

    def run() -> None:
        try:
            live.run()
        except BaseException as exc:  # noqa: BLE001 (handed to the test)
            errors.append(exc)

    follower = threading.Thread(target=run)
    follower.start()
    try:
        rebuilding = ReadModels(
            database.store,
            database.open_storage(),
            page_size=5,
        )
        for name in ("leaderboard", "games"):
            play_games(app, random.Random(5), 1)
            rebuilding.rebuild(name)
        play_games(app, random.Random(6), 2)
        alive = follower.is_alive()
    finally:
        live.stop()
        follower.join(timeout=TIMEOUT_SECONDS)

    assert errors == []
    assert alive
    after = read_models(database)
    after.catch_up()
    assert_equal_to_recomputation(after, database.store)
    generations = {slot.name: slot.generation for slot in database.storage.slots()}
    assert generations == {"games": 2, "leaderboard": 2, "tables": 1}
