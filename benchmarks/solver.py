"""Solve Pascal Pons' test sets; print accuracy, time and nodes per position.

    python -m benchmarks.solver [--sample N] [--sets DIR]

The four easier sets run whole; Test_L1_R2 and Test_L1_R3, which take far
longer, run their first `--sample` lines (`--sample 0` runs them whole). Each
position starts from an empty transposition table, as in Pons' measurements,
so the figures compare with his (strong mode, one thread, no opening book);
his means here are fixed figures from the sets' README, and
`benchmarks.solver_vs_pons` measures his solver in the same run instead. The
sets are read from `--sets`, $CONNECT_FOUR_PONS_SETS or `../shared/bench/pons`.
The benchmark prints figures and asserts nothing about time.
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Final

from connect_four.ai.engine import Engine
from connect_four.ai.position import Position

SETS: Final = Path(__file__).resolve().parents[2] / "shared" / "bench" / "pons"
PONS_MEAN_SECONDS: Final = {
    "Test_L3_R1": 4e-6,
    "Test_L2_R1": 27e-6,
    "Test_L2_R2": 3.7e-3,
    "Test_L1_R1": 0.24e-3,
    "Test_L1_R2": 144e-3,
    "Test_L1_R3": 7.3,
}
"""Pons' C++ solver on a 2-core machine like ours (shared/bench/pons/README.md)."""
SAMPLED: Final = ("Test_L1_R2", "Test_L1_R3")
SETS_ENV: Final = "CONNECT_FOUR_PONS_SETS"


def run_set(
    engine: Engine, path: Path, limit: int | None
) -> tuple[int, int, float, int]:
    """Solve a set's lines; return (positions, correct, seconds, nodes)."""
    lines = path.read_text().splitlines()[:limit]
    correct = nodes = 0
    seconds = 0.0
    for line in lines:
        notation, expected = line.split()
        position = Position.from_notation(notation)
        engine.clear()
        engine.start(None)
        started = time.perf_counter()
        score = engine.solve(position)
        seconds += time.perf_counter() - started
        nodes += engine.nodes
        correct += score == int(expected)
    return len(lines), correct, seconds, nodes


def main(argv: Sequence[str] | None = None) -> None:
    """Run every set and print one row each."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.solver")
    parser.add_argument("--sample", type=int, default=100, metavar="N")
    parser.add_argument(
        "--sets", type=Path, default=os.environ.get(SETS_ENV) or SETS, metavar="DIR"
    )
    parser.add_argument("--only", nargs="*", default=list(PONS_MEAN_SECONDS))
    args = parser.parse_args(argv)
    engine = Engine()
    engine.start(10)
    engine.solve(Position.from_notation("4"))  # load the compiled kernel first
    backend = "numba" if engine.compiled else "pure Python"
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"Solver on Pons' test sets ({backend}; table cleared per position;")
    print(f"load average before the run: {load} on {os.cpu_count()} cores)")
    header = f"{'set':12} {'lines':>5} {'accuracy':>9} {'mean time':>11}"
    print(
        header + f" {'mean nodes':>11} {'nodes/s':>10} {'Pons mean':>10} {'ratio':>6}"
    )
    for name in args.only:
        limit = args.sample or None if name in SAMPLED else None
        count, correct, seconds, nodes = run_set(engine, args.sets / name, limit)
        mean = seconds / count
        print(
            f"{name:12} {count:5d} {correct / count:9.1%} {format_time(mean):>11}"
            f" {nodes / count:11.0f} {nodes / seconds / 1e6:8.2f} M"
            f" {format_time(PONS_MEAN_SECONDS[name]):>10}"
            f" {mean / PONS_MEAN_SECONDS[name]:6.2f}",
            flush=True,
        )


def format_time(seconds: float) -> str:
    """Return a duration in the unit that suits it."""
    if seconds < 1e-3:
        return f"{seconds * 1e6:.1f} us"
    if seconds < 1:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds:.2f} s"


if __name__ == "__main__":
    main()
