#!/usr/bin/env python3
"""Set up and run the project with nothing but Python installed.

    python3 tasks.py play [PLAY OPTIONS...]
                                      play in the terminal (SQLite store by default),
                                      e.g. --resume ID, --vs-computer hard
    python3 tasks.py COMMAND [ARGS...]
                                      any `connect-four` command: games, show ID,
                                      leaderboard, serve, --help, ...
    python3 tasks.py test [PYTEST ARGS...]
                                      lint, type-check and run the whole test suite

Each command creates `.venv` on first use and reinstalls the project there when
pyproject.toml changes, so a fresh clone needs no other step. The game is
installed with its `ai` extra (numba, which compiles the computer opponent's
engine); where numba cannot be installed the game runs its pure-Python engine.
"""

from __future__ import annotations

import hashlib
import os
import shlex
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
MINIMUM = (3, 11)


INVOKED_AS_ENV = "CONNECT_FOUR_INVOKED_AS"
"""Tells the game how the user started it, so the commands it prints work."""
GAME_EXTRA = "ai"
"""The extra `play` installs: the compiled engine makes the computer opponent whole."""
COMPILE_ENGINE = (
    "from connect_four.ai.engine import Engine\n"
    "from connect_four.ai.position import Position\n"
    "engine, position = Engine(), Position.from_notation('4444')\n"
    "if engine.compiled:\n"
    "    engine.start(1000); engine.solve(position)\n"
    "    engine.start(1000); engine.search(position, 2, spread=True)\n"
)
"""One small search of each kernel: numba compiles them and caches the result."""


def run(*command: str | Path) -> None:
    """Run a command; stop with its status if it fails."""
    completed = subprocess.run([str(part) for part in command], cwd=ROOT, check=False)
    if completed.returncode != 0:
        sys.exit(completed.returncode)


def ensure_installed(extra: str) -> None:
    """Create the venv and install the project with an extra, once per pyproject."""
    if sys.version_info < MINIMUM:
        sys.exit(f"connect-four needs Python {'.'.join(map(str, MINIMUM))} or newer")
    if not (BIN / "python").exists():
        print("creating .venv ...", file=sys.stderr)
        venv.EnvBuilder(with_pip=True).create(VENV)
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    # The dev install includes everything the others have.
    for done in (VENV / f".installed-{extra}", VENV / ".installed-dev"):
        if done.exists() and done.read_text() == digest:
            return
    if extra == GAME_EXTRA:
        print(
            "installing connect-four with its compiled engine (numba) into .venv:"
            " a minute or two, the first time only ...",
            file=sys.stderr,
        )
    else:
        print(f"installing connect-four[{extra}] into .venv ...", file=sys.stderr)
    run(BIN / "python", "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    if not pip_install(f".[{extra}]"):
        if extra != GAME_EXTRA:
            sys.exit(f"could not install connect-four[{extra}]")
        # numba has no build for every Python; the game still runs without it.
        print(
            "numba could not be installed: the computer opponent will use the"
            " slower pure-Python engine",
            file=sys.stderr,
        )
        if not pip_install("."):
            sys.exit("could not install connect-four")
    if extra == GAME_EXTRA:
        # Compiling now, while the user expects to wait, spares the first
        # computer move half a minute. A failure here only means no cache.
        print("compiling the engine, once ...", file=sys.stderr)
        subprocess.run([str(BIN / "python"), "-c", COMPILE_ENGINE], check=False)
    (VENV / f".installed-{extra}").write_text(digest)


def pip_install(target: str) -> bool:
    """Install the project (editable) with pip; return whether it worked."""
    command = [str(BIN / "python"), "-m", "pip", "install", "--quiet", "-e", target]
    return subprocess.run(command, cwd=ROOT, check=False).returncode == 0


def invoked_as() -> str:
    """Return how the user runs this script from where they are, for printed hints."""
    script = Path(sys.argv[0]).resolve()
    if Path.cwd().resolve() == script.parent:
        return f"python3 {script.name}"
    return shlex.join(["python3", str(script)])


def connect_four(arguments: list[str]) -> None:
    """Run a `connect-four` command (the game, games, show, ...) in the venv."""
    ensure_installed(GAME_EXTRA)
    environment = {**os.environ, INVOKED_AS_ENV: invoked_as()}
    command = BIN / "connect-four"
    os.execve(command, [str(command), *arguments], environment)


def test(arguments: list[str]) -> None:
    """Lint, type-check, check the dependency direction and run every test."""
    ensure_installed("dev")
    run(BIN / "ruff", "check", ".")
    run(BIN / "ruff", "format", "--check", ".")
    run(BIN / "mypy")
    run(BIN / "lint-imports")
    run(BIN / "pytest", *arguments)


def main() -> None:
    """Run the tests, or pass the command line on to `connect-four`."""
    if len(sys.argv) < 2 or sys.argv[1] in ("help", "-h", "--help"):
        sys.exit(__doc__)
    if sys.argv[1] == "test":
        test(sys.argv[2:])
    else:
        connect_four(sys.argv[1:])


if __name__ == "__main__":
    main()
