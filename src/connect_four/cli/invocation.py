"""How the user started this program, so that the commands it prints work as typed.

A resume hint is only useful if pasting it works: `connect-four ...` fails with
"command not found" when the game was started through `python3 tasks.py` or
from `.venv/bin/` without activating the venv. `tasks.py` says how it was run
in `CONNECT_FOUR_INVOKED_AS`; otherwise the program's own path decides.
"""

from __future__ import annotations

import os
import shlex
import shutil
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Final

INVOKED_AS_ENV: Final = "CONNECT_FOUR_INVOKED_AS"
COMMAND: Final = "connect-four"


def invocation(
    argv0: str | None = None, environ: Mapping[str, str] | None = None
) -> str:
    """Return the words that run this program again from the user's directory."""
    environ = os.environ if environ is None else environ
    given = environ.get(INVOKED_AS_ENV, "").strip()
    if given:
        return given
    program = Path(sys.argv[0] if argv0 is None else argv0)
    if program.name == "__main__.py" and program.parent.name == "cli":
        return shlex.join([_python(), "-m", "connect_four.cli"])
    if program.name != COMMAND or _resolves(COMMAND, program):
        return COMMAND
    # Run by its path (say .venv/bin/connect-four) with the venv not active.
    return shlex.quote(str(program.resolve()))


def command_line(*words: str) -> str:
    """Return a `connect-four` command line with these arguments, ready to paste."""
    return " ".join([invocation(), shlex.join(words)]) if words else invocation()


def _python() -> str:
    """Return the shortest name of this interpreter that the shell finds."""
    for name in ("python", "python3"):
        if _resolves(name, Path(sys.executable)):
            return name
    return sys.executable


def _resolves(name: str, program: Path) -> bool:
    found = shutil.which(name)
    return found is not None and Path(found).resolve() == program.resolve()
