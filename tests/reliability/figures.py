"""The torture runs' budgets, and the figures they report.

A `Budget` says how hard a run pushes; `Figures` hold what one scenario did
and what the checks found, and `markdown` prints them as the table in
docs/reliability.md.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Final

from tests.reliability.invariants import LogReport

LONG_ENV: Final = "CONNECT_FOUR_LONG"


@dataclass(frozen=True, slots=True)
class Budget:
    """How hard a run pushes: processes, seconds and rounds."""

    workers: int
    seconds: float
    rounds: int
    snapshots: int


SHORT: Final = Budget(workers=4, seconds=2.5, rounds=3, snapshots=4)
LONG: Final = Budget(workers=8, seconds=15.0, rounds=8, snapshots=16)


def is_long() -> bool:
    """Return whether the environment asks for the full run."""
    return os.environ.get(LONG_ENV, "") not in ("", "0")


@dataclass(slots=True)
class Figures:
    """What one scenario did and what the checks found."""

    scenario: str
    store: str
    attempted: int = 0
    accepted: int = 0
    rejected: Counter[str] = field(default_factory=Counter)
    collisions: int = 0
    resolved_by_retry: int = 0
    unavailable: int = 0
    acked: int = 0
    kills: int = 0
    rounds: int = 0
    snapshots: int = 0
    snapshots_retaken: int = 0
    events: int = 0
    games: int = 0
    finished_games: int = 0
    lost: int = 0
    duplicated: int = 0
    projections: str = "not checked"
    problems: list[str] = field(default_factory=list)

    def absorb(self, report: LogReport) -> None:
        """Take in the counts and problems of one check."""
        self.events = report.events
        self.games = report.games
        self.finished_games = report.finished_games
        self.acked = report.acked
        self.lost += report.lost
        self.duplicated += report.duplicated
        if report.projections != "not checked":
            self.projections = report.projections
        self.problems.extend(report.problems)

    def to_dict(self) -> dict[str, object]:
        """Return the figures as plain JSON values."""
        return {**asdict(self), "rejected": dict(self.rejected)}


def collect_stats(directory: Path, figures: Figures) -> None:
    """Add the counters the writers saved in a run directory, then remove them."""
    for path in directory.glob("stats-*.json"):
        stats = json.loads(path.read_text(encoding="utf-8"))
        figures.attempted += stats["attempted"]
        figures.accepted += stats["accepted"]
        figures.rejected.update(stats["rejected"])
        figures.collisions += stats["collisions"]
        figures.resolved_by_retry += stats["resolved_by_retry"]
        figures.unavailable += stats["unavailable"]
        path.unlink()


def markdown(results: list[Figures]) -> str:
    """Return the figures as the table docs/reliability.md shows."""
    rows = [
        "| scenario | store | attempted | accepted | rejected | collisions | kills"
        " | copies | events | games | acked | lost | duplicated | read models |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for f in results:
        rows.append(
            f"| {f.scenario} | {f.store} | {f.attempted} | {f.accepted}"
            f" | {sum(f.rejected.values())} | {f.collisions} | {f.kills}"
            f" | {f.snapshots} | {f.events} | {f.games} | {f.acked} | {f.lost}"
            f" | {f.duplicated} | {f.projections} |"
        )
    rejected: Counter[str] = Counter()
    for f in results:
        rejected.update(f.rejected)
    reasons = ", ".join(f"{name} {count}" for name, count in rejected.most_common())
    return "\n".join(rows) + f"\n\nRejections by reason: {reasons}.\n"
