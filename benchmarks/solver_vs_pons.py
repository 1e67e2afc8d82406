"""Our solver against Pascal Pons' C++ solver, position for position, in one run.

    python -m benchmarks.solver_vs_pons [--rounds 3] [--pons-source DIR]

For each test set (Test_L2_R2, Test_L1_R1, the first 100 lines of Test_L1_R2)
and each mode (strong: the exact score; weak: win, draw or loss) the two
solvers take turns, ours then his, `--rounds` times (A B A B ...). Each run
solves every position from an empty table and times only the solve; the row
shows the median over the rounds of each side's mean time per position, and
the ratio ours / his (below 1: ours is faster). Every score of both is checked
against the set's (weak: its sign); a wrong one is printed and fails the run.
CPU time per position is shown too: it varies less than wall time when other
programs share the machine. His solver is built from his public source
outside the repository (see `benchmarks.pons_solver`); without it the
benchmark says so and stops. Figures only; nothing about time is asserted.
"""

from __future__ import annotations

import argparse
import functools
import os
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Final

from benchmarks import pons_solver
from benchmarks.pons_solver import PonsUnavailableError, Solved
from benchmarks.solver import SETS, SETS_ENV, format_time
from connect_four.ai.engine import Engine
from connect_four.ai.position import Position

SAMPLES: Final = {"Test_L2_R2": None, "Test_L1_R1": None, "Test_L1_R2": 100}
"""The sets of issue 17, and how many of their lines (None: all 1000)."""


def solve_ours(engine: Engine, positions: list[str], *, weak: bool) -> list[Solved]:
    """Solve positions from an empty table each; time each solve alone."""
    solved = []
    for notation in positions:
        position = Position.from_notation(notation)
        engine.clear()
        engine.start(None)
        cpu = time.process_time()
        started = time.perf_counter()
        score = engine.solve(position, weak=weak)
        seconds = time.perf_counter() - started
        cpu = time.process_time() - cpu
        solved.append(Solved(score or 0, engine.nodes, seconds, cpu))
    return solved


def wrong_scores(
    solved: list[Solved], lines: list[tuple[str, int]], *, weak: bool
) -> list[str]:
    """Return the positions whose score is not the set's (weak: not its sign)."""
    wrong = []
    for answer, (notation, expected) in zip(solved, lines, strict=True):
        if weak:
            right = (answer.score > 0) - (answer.score < 0) == (expected > 0) - (
                expected < 0
            )
        else:
            right = answer.score == expected
        if not right:
            wrong.append(f"{notation}: {answer.score}, expected {expected}")
    return wrong


def mean(values: list[float]) -> float:
    """Return the mean of values."""
    return sum(values) / len(values)


def compare(
    lines: list[tuple[str, int]],
    rounds: int,
    solvers: dict[str, Callable[[list[str]], list[Solved]]],
    *,
    weak: bool,
) -> dict[str, tuple[float, float, float]]:
    """Run the solvers in turn, `rounds` times; return each one's medians.

    Each value is (median mean seconds, median mean CPU seconds, mean nodes).

    Raises:
        SystemExit: a solver gave a wrong score.
    """
    positions = [notation for notation, _ in lines]
    walls: dict[str, list[float]] = {name: [] for name in solvers}
    cpus: dict[str, list[float]] = {name: [] for name in solvers}
    nodes: dict[str, float] = {}
    for _ in range(rounds):
        for name, solve in solvers.items():
            solved = solve(positions)
            wrong = wrong_scores(solved, lines, weak=weak)
            if wrong:
                sys.exit(f"{name} solver: {len(wrong)} wrong scores: {wrong[:5]}")
            walls[name].append(mean([answer.seconds for answer in solved]))
            cpus[name].append(mean([answer.cpu_seconds for answer in solved]))
            nodes[name] = mean([float(answer.nodes) for answer in solved])
    return {
        name: (
            statistics.median(walls[name]),
            statistics.median(cpus[name]),
            nodes[name],
        )
        for name in solvers
    }


def read_lines(folder: Path, name: str, limit: int | None) -> list[tuple[str, int]]:
    """Return a set's first `limit` lines as (position, score)."""
    pairs = []
    for line in (folder / name).read_text().splitlines()[:limit]:
        notation, score = line.split()
        pairs.append((notation, int(score)))
    return pairs


def main(argv: Sequence[str] | None = None) -> None:
    """Build his solver, run both on every set and mode, print one row each."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.solver_vs_pons")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--sets", type=Path, default=os.environ.get(SETS_ENV) or SETS, metavar="DIR"
    )
    parser.add_argument("--pons-source", metavar="DIR")
    parser.add_argument("--pons-cache", metavar="DIR")
    args = parser.parse_args(argv)
    if not (args.sets / "Test_L2_R2").exists():
        print(f"skipped: Pons' test sets are not in {args.sets} (set {SETS_ENV})")
        return
    try:
        binary = pons_solver.build(args.pons_source, args.pons_cache)
    except PonsUnavailableError as error:
        print(f"skipped: {error}")
        return
    engine = Engine()
    engine.start(10)
    engine.solve(Position.from_notation("4"))  # load the compiled kernel first
    backend = "numba" if engine.compiled else "pure Python"
    print(f"Our solver ({backend}) against Pons' C++ solver ({binary.parent.name});")
    print(f"{args.rounds} rounds, ours then his, medians of per-round means;")
    print(f"load average before: {load_average()} on {os.cpu_count()} cores")
    print(
        f"{'set':10} {'mode':6} {'lines':>5} {'ours':>9} {'Pons':>9} {'ratio':>6}"
        f" {'ours CPU':>9} {'Pons CPU':>9} {'ratio':>6} {'our nodes':>10}"
        f" {'his nodes':>10}"
    )
    for name, limit in SAMPLES.items():
        lines = read_lines(args.sets, name, limit)
        for weak in (False, True):
            solvers: dict[str, Callable[[list[str]], list[Solved]]] = {
                "our": functools.partial(solve_ours, engine, weak=weak),
                "Pons'": functools.partial(pons_solver.run, binary, weak=weak),
            }
            result = compare(lines, args.rounds, solvers, weak=weak)
            (ours, our_cpu, our_nodes), (his, his_cpu, his_nodes) = result.values()
            print(
                f"{name[5:]:10} {'weak' if weak else 'strong':6} {len(lines):5d}"
                f" {format_time(ours):>9} {format_time(his):>9} {ours / his:6.2f}"
                f" {format_time(our_cpu):>9} {format_time(his_cpu):>9}"
                f" {our_cpu / his_cpu:6.2f} {our_nodes:10.0f} {his_nodes:10.0f}",
                flush=True,
            )
    print(f"load average after: {load_average()}; every score checked")


def load_average() -> str:
    """Return the 1, 5 and 15 minute load averages."""
    return ", ".join(f"{value:.1f}" for value in os.getloadavg())


if __name__ == "__main__":
    main()
