"""Stores as a newcomer meets them through the real process: a read-only file,
URLs printed as given, a missing driver named with a command that installs it."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

import connect_four
from tests.cli.test_newcomer import new_game
from tests.cli.test_terminals import command, environment, run_command

TIMEOUT_SECONDS = 60


@pytest.fixture
def read_only_store() -> Iterator[tuple[str, str]]:
    """Yield a URL of a SQLite file with one game, and the game's id; the file
    and its folder are read-only (for everyone but root, who runs as nobody)."""
    folder = Path(tempfile.mkdtemp(prefix="connect-four-ro-"))
    url = f"sqlite://{folder / 'games.db'}"
    game_id = new_game(url, "A")
    (folder / "games.db").chmod(0o444)
    folder.chmod(0o555)
    yield url, game_id
    folder.chmod(0o755)
    for path in folder.iterdir():
        path.unlink()
    folder.rmdir()


def reachable_by_others(path: Path) -> bool:
    """Return whether a user who is neither owner nor group can reach `path`."""
    return all(folder.stat().st_mode & 0o001 for folder in path.resolve().parents)


# Root ignores file modes, so as root the commands run as `nobody`, who must
# reach this interpreter and this checkout (a clone inside a private folder,
# as `mktemp -d` makes, is out of its reach).
UNPRIVILEGED_CANNOT_RUN = os.geteuid() == 0 and not (
    reachable_by_others(Path(sys.executable))
    and reachable_by_others(Path(connect_four.__file__))
)


def run_unprivileged(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "connect_four.cli", *argv],
        capture_output=True,
        text=True,
        env=environment(),
        cwd="/",
        user="nobody" if os.geteuid() == 0 else None,
        timeout=TIMEOUT_SECONDS,
        check=False,
    )


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
@pytest.mark.skipif(
    UNPRIVILEGED_CANNOT_RUN,
    reason="as root the read-only file is read as nobody, who cannot reach this"
    " checkout's interpreter (a parent folder is closed to others, as mktemp -d"
    " makes it); clone into a folder others may enter to run this test",
)
def test_games_show_and_leaderboard_read_a_read_only_file(
    read_only_store: tuple[str, str],
) -> None:
    url, game_id = read_only_store

    listed = run_unprivileged("--store", url, "games")
    shown = run_unprivileged("--store", url, "show", game_id)
    ranked = run_unprivileged("--store", url, "leaderboard")

    assert (listed.returncode, shown.returncode, ranked.returncode) == (0, 0, 0), (
        listed.stderr + shown.stderr + ranked.stderr
    )
    assert game_id in listed.stdout
    assert "MoveMade" in shown.stdout


def test_a_store_url_is_printed_as_given(tmp_path: Path) -> None:
    url = f"sqlite://{tmp_path / 'missing' / 'games.db'}"

    finished = run_command(url, "games")

    assert finished.stderr.startswith(f"connect-four: event store {url} is unavailable")


def test_a_missing_driver_is_named_with_a_command_that_installs_it(
    tmp_path: Path,
) -> None:
    blocker = tmp_path / "psycopg"
    blocker.mkdir()
    (blocker / "__init__.py").write_text(
        "raise ImportError('blocked', name='psycopg')\n"
    )
    env = environment(PYTHONPATH=os.pathsep.join([str(tmp_path), *sys.path]))

    finished = subprocess.run(
        [*command("postgresql://ann:secret@localhost/db", "games")],
        capture_output=True,
        text=True,
        env=env,
        timeout=TIMEOUT_SECONDS,
        check=False,
    )

    assert "secret" not in finished.stderr
    assert "postgresql://ann:***@localhost/db" in finished.stderr
    assert (
        f"install it with: {sys.executable} -m pip install 'psycopg[binary]"
        in finished.stderr
    )
