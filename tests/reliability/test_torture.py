"""Many processes, collisions, kill -9 and power loss: nothing acknowledged is lost.

Each test runs real processes through `torture` and then checks the raw
events (see `invariants`). The default budget keeps each test to a few
seconds; `--long` (or CONNECT_FOUR_LONG=1) runs the full budget.
"""

from __future__ import annotations

from pathlib import Path

from tests.reliability.figures import Budget, Figures
from tests.reliability.torture import run_crashes, run_load, run_power_loss


def assert_nothing_lost(figures: Figures) -> None:
    """Fail with every broken invariant the checks found."""
    assert figures.problems == []
    assert (figures.lost, figures.duplicated) == (0, 0)
    assert figures.acked > 0


def test_many_writers_colliding_in_the_same_games_lose_nothing(
    store_url: str, tmp_path: Path, budget: Budget
) -> None:
    figures = run_load(store_url, tmp_path, budget)

    assert_nothing_lost(figures)
    assert figures.collisions > 0
    assert sum(figures.rejected.values()) > 0
    refused = sum(figures.rejected.values()) + figures.unavailable
    assert figures.attempted == figures.accepted + refused
    assert figures.acked == figures.accepted
    assert figures.projections == "equal to a recomputation"


def test_writers_and_projector_killed_at_random_moments_lose_nothing(
    store_url: str, tmp_path: Path, budget: Budget
) -> None:
    figures = run_crashes(store_url, tmp_path, budget)

    assert_nothing_lost(figures)
    assert figures.rounds == budget.rounds
    assert figures.kills == budget.rounds * (budget.workers + 1)
    assert figures.projections == "equal to a recomputation"


def test_a_sqlite_file_set_copied_mid_write_opens_as_a_sound_prefix(
    tmp_path: Path, budget: Budget
) -> None:
    figures = run_power_loss(tmp_path / "events.db", tmp_path, budget)

    assert_nothing_lost(figures)
    assert figures.snapshots == budget.snapshots
