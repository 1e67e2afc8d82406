"""`python3 tasks.py`, as the README has newcomers start: options reach `play`,
every subcommand is reached, printed commands work from where the user is."""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.conftest import lines
from tests.cli.test_newcomer import new_game
from tests.cli.test_terminals import environment

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT_SECONDS = 60


def tasks_py_is_set_up() -> bool:
    """Return whether `.venv` is current, so tasks.py runs without installing."""
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    return any(
        (ROOT / ".venv" / f".installed-{extra}").exists()
        and (ROOT / ".venv" / f".installed-{extra}").read_text() == digest
        for extra in ("ai", "dev")
    )


needs_tasks_venv = pytest.mark.skipif(
    not tasks_py_is_set_up(), reason="run through `python3 tasks.py test`"
)


def tasks(
    *argv: str, typed: str = "", cwd: Path = ROOT
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "tasks.py"), *argv],
        input=typed,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=environment(),
        cwd=cwd,
        timeout=TIMEOUT_SECONDS,
        check=False,
    )


@needs_tasks_venv
def test_tasks_py_play_passes_play_options_on(store_url: str) -> None:
    game_id = new_game(store_url, "A")

    finished = tasks(
        "play", "--resume", game_id, "--store", store_url, typed=lines("B", "q")
    )

    assert finished.returncode == 0, finished.stderr
    assert "Move 2: bob played B." in finished.stdout


@needs_tasks_venv
def test_tasks_py_reaches_every_subcommand(store_url: str) -> None:
    game_id = new_game(store_url, "A")

    listed = tasks("games", "--store", store_url)
    shown = tasks("--store", store_url, "show", game_id)

    assert game_id in listed.stdout
    assert shown.returncode == 0
    assert f"Game {game_id}: ann (R) against bob (Y)" in shown.stdout


@needs_tasks_venv
def test_the_resume_command_printed_through_tasks_py_runs_tasks_py(
    store_url: str, tmp_path: Path
) -> None:
    from_root = tasks("play", "--store", store_url, typed=lines("ann", "bob", "q"))
    from_elsewhere = tasks(
        "play", "--store", store_url, typed=lines("cat", "dan", "q"), cwd=tmp_path
    )

    assert re.search(
        r"resume with: python3 tasks\.py play --resume \S+ --store ", from_root.stdout
    )
    assert (
        f"resume with: python3 {ROOT / 'tasks.py'} play --resume"
        in from_elsewhere.stdout
    )


def test_the_resume_command_of_the_venv_program_run_by_path_is_its_path(
    store_url: str,
) -> None:
    program = Path(sys.executable).parent / "connect-four"
    env = environment(PATH="/usr/bin:/bin")

    finished = subprocess.run(
        [str(program), "--store", store_url, "play"],
        input=lines("ann", "bob", "q"),
        capture_output=True,
        text=True,
        env=env,
        timeout=TIMEOUT_SECONDS,
        check=False,
    )

    assert f"resume with: {program.resolve()} play --resume" in finished.stdout
