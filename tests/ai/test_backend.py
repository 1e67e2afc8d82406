"""The engine runs as plain Python where numba is missing, with the same results."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from connect_four.ai.backend import ENGINE_ENV
from connect_four.ai.engine import Engine


def test_the_engine_is_compiled_when_numba_is_installed(engine: Engine) -> None:
    pytest.importorskip("numba")
    assert engine.compiled


def test_the_pure_python_engine_solves_like_the_compiled_one() -> None:
    positions = (
        "2252576253462244111563365343671351441\n7422341735647741166133573473242566\n"
    )
    result = subprocess.run(
        [sys.executable, "-m", "connect_four.cli", "solve"],
        input=positions,
        capture_output=True,
        text=True,
        env={**os.environ, ENGINE_ENV: "python"},
        check=False,
        timeout=120,
    )
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.split("\n")[:2] == [
        "2252576253462244111563365343671351441 -1",
        "7422341735647741166133573473242566 1",
    ]
