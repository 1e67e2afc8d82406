#!/usr/bin/env python3
"""Set up and run the project with nothing but Python installed.

    python3 tasks.py play [ARGS...]   play in the terminal (SQLite store by default)
    python3 tasks.py test [PYTEST ARGS...]
                                      lint, type-check and run the whole test suite

Each command creates `.venv` on first use and reinstalls the project there when
pyproject.toml changes, so a fresh clone needs no other step.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
MINIMUM = (3, 11)


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
    marker = VENV / f".installed-{extra or 'base'}"
    # The dev install includes everything the base one has.
    for done in {marker, VENV / ".installed-dev"} if not extra else {marker}:
        if done.exists() and done.read_text() == digest:
            return
    print(f"installing connect-four[{extra}] into .venv ...", file=sys.stderr)
    target = f".[{extra}]" if extra else "."
    run(BIN / "python", "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    run(BIN / "python", "-m", "pip", "install", "--quiet", "-e", target)
    marker.write_text(digest)


def play(arguments: list[str]) -> None:
    """Play in the terminal."""
    ensure_installed("")
    os.execv(BIN / "connect-four", [str(BIN / "connect-four"), *arguments])


def test(arguments: list[str]) -> None:
    """Lint, type-check, check the dependency direction and run every test."""
    ensure_installed("dev")
    run(BIN / "ruff", "check", ".")
    run(BIN / "ruff", "format", "--check", ".")
    run(BIN / "mypy")
    run(BIN / "lint-imports")
    run(BIN / "pytest", *arguments)


def main() -> None:
    """Dispatch the command named on the command line."""
    commands = {"play": play, "test": test}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        sys.exit(__doc__)
    commands[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    main()
