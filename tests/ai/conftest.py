"""Fixtures for the engine's tests: one engine per session, and the test sets."""

from __future__ import annotations

from pathlib import Path

import pytest

from connect_four.ai.engine import Engine

PONS_SETS = Path(__file__).resolve().parents[3] / "shared" / "bench" / "pons"
"""Pascal Pons' test sets, kept beside the checkout (shared/bench/pons)."""


@pytest.fixture(scope="session")
def engine() -> Engine:
    """Return one engine for every test: building its tables takes a moment."""
    return Engine()


def pons_lines(name: str) -> list[tuple[str, int]]:
    """Return the (position, score) lines of one of Pons' test sets, or skip."""
    path = PONS_SETS / name
    if not path.exists():
        pytest.skip(f"Pons' test set {name} is not at {path}")
    pairs = []
    for line in path.read_text().splitlines():
        position, score = line.split()
        pairs.append((position, int(score)))
    return pairs
