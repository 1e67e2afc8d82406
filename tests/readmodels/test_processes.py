"""Read models across processes: two players at once, and a runner killed mid-page."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

from connect_four.application.service import ConnectFourApp
from connect_four.cli import run
from connect_four.eventsourcing.stores.memory.projection_storage import (
    InMemoryProjectionStorage,
)
from connect_four.persistence.game_repository import EventSourcedGameRepository
from connect_four.readmodels import ReadModels
from connect_four.readmodels.tables import TABLES
from tests.eventsourcing.stores.projection_backends import Database
from tests.readmodels.processes import play_games
from tests.readmodels.recompute import recompute
from tests.readmodels.test_recomputation import assert_equal_to_recomputation

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT_SECONDS = 60


def spawn(*arguments: str, quiet: bool = False) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "tests.readmodels.processes", *arguments]
    output = subprocess.DEVNULL if quiet else subprocess.PIPE
    return subprocess.Popen(command, cwd=ROOT, stdout=output, text=True)


def finish(*arguments: str) -> int:
    with spawn(*arguments, quiet=True) as process:
        return process.wait(TIMEOUT_SECONDS)


def read_models(database: Database) -> ReadModels:
    return ReadModels(database.store, database.storage)


def cli_rows(url: str, *argv: str, capsys: pytest.CaptureFixture[str]) -> list[str]:
    capsys.readouterr()
    assert run(["--store", url, *argv]) == 0
    return capsys.readouterr().out.splitlines()[1:]


def test_games_played_in_two_processes_are_listed_and_ranked_correctly(
    shared_database: Database,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("CONNECT_FOUR_PROJECTIONS", raising=False)
    url = shared_database.url
    models = read_models(shared_database)
    with (
        spawn("play", "--store", url, "--seed", "1", "--games", "6", quiet=True) as one,
        spawn("play", "--store", url, "--seed", "2", "--games", "6", quiet=True) as two,
    ):
        while one.poll() is None or two.poll() is None:
            models.catch_up()
        assert (one.wait(TIMEOUT_SECONDS), two.wait(TIMEOUT_SECONDS)) == (0, 0)

    listed = cli_rows(url, "games", capsys=capsys)
    ranked = cli_rows(url, "leaderboard", capsys=capsys)

    games, standings = recompute(shared_database.store)
    assert len(games) == 12
    assert [row.split()[0] for row in listed] == [game.id for game in games]
    best_first = sorted(
        standings.values(), key=lambda s: (-s.rating, -s.wins, s.player)
    )
    assert [row.split()[1] for row in ranked] == [s.player for s in best_first]
    assert_equal_to_recomputation(models, shared_database.store)


def kill_when_stalled(projector: subprocess.Popen[str]) -> list[str]:
    assert projector.stdout is not None
    printed: list[str] = []
    for line in projector.stdout:
        printed.append(line.strip())
        if line.strip() == "stalled":
            projector.send_signal(signal.SIGKILL)
            break
    projector.wait(TIMEOUT_SECONDS)
    return printed


@pytest.mark.parametrize("stall_in", ["games", "leaderboard"])
def test_a_runner_killed_mid_catch_up_resumes_to_the_same_read_models(
    shared_database: Database, stall_in: str
) -> None:
    store = shared_database.store
    app = ConnectFourApp.over(EventSourcedGameRepository(store))
    play_games(app, random.Random(7), 10)
    total = store.last_global_position()
    events = len(store.read_all(limit=100_000))  # positions may be sparse
    stall_after = 130 if stall_in == "games" else events + 75

    with spawn(
        "project", "--store", shared_database.url, "--page-size", "50",
        "--stall-after", str(stall_after),
    ) as projector:  # fmt: skip
        printed = kill_when_stalled(projector)

    assert printed[-1] == "stalled"
    assert projector.returncode == -signal.SIGKILL
    committed = _last_checkpoints(printed)
    stored = {slot.name: slot.checkpoint for slot in shared_database.storage.slots()}
    assert stored == committed
    assert finish("project", "--store", shared_database.url) == 0

    resumed = read_models(shared_database)
    uninterrupted = ReadModels(store, InMemoryProjectionStorage())
    uninterrupted.catch_up()
    assert resumed.games() == uninterrupted.games()
    assert resumed.leaderboard() == uninterrupted.leaderboard()
    # The projector processes run the games' two projections (see processes.py),
    # not the tables', which nothing here has run.
    games_slots = [s.slot for s in resumed.statuses() if s.slot.name != TABLES]
    assert {slot.checkpoint for slot in games_slots} == {total}
    assert_equal_to_recomputation(resumed, store)


def _last_checkpoints(printed: Sequence[str]) -> dict[str, int]:
    """Return, per projection, the last checkpoint the runner said it committed."""
    checkpoints: dict[str, int] = {}
    for line in printed:
        if line.startswith("committed "):
            _, name, checkpoint = line.split()
            checkpoints[name] = int(checkpoint)
    return checkpoints
