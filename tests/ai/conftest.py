"""Fixtures for the engine's tests: one engine per session, and the test sets."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from connect_four.ai.engine import Engine

CLONE = Path(__file__).resolve().parents[2]
PONS_ENV = "CONNECT_FOUR_PONS_SETS"
PONS_SETS = Path(os.environ.get(PONS_ENV) or CLONE.parent / "shared" / "bench" / "pons")
"""Pascal Pons' test sets: `../shared/bench/pons/` beside the clone, or $PONS_ENV."""
WHERE_TO_GET_THEM = (
    "the six sets (Test_L1_R1 ... Test_L3_R1) are public, from Pascal Pons'"
    " 'Solving Connect 4' blog (http://blog.gamesolver.org, test protocol);"
    f" put them in ../shared/bench/pons/ beside the clone, or set {PONS_ENV}"
    " to their folder"
)


@pytest.fixture(scope="session")
def engine() -> Engine:
    """Return one engine for every test: building its tables takes a moment."""
    return Engine()


def pons_lines(name: str) -> list[tuple[str, int]]:
    """Return the (position, score) lines of one of Pons' test sets, or skip."""
    path = PONS_SETS / name
    if not path.exists():
        pytest.skip(f"Pons' test set {name} is not at {path}: {WHERE_TO_GET_THEM}")
    pairs = []
    for line in path.read_text().splitlines():
        position, score = line.split()
        pairs.append((position, int(score)))
    return pairs
