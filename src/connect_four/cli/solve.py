"""`connect-four solve`: the exact score of positions read from standard input.

Each input line is a position in column notation (digits 1-7, as in Pascal
Pons' test sets), optionally followed by its expected score. Each output line
is `position score`, the score being the side to move's: positive if it wins
(the sooner the larger), 0 for a draw, negative if it loses. A line that
cannot be read, or whose expected score differs, is reported on standard error
with its line number, and the command then ends with status 1.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TextIO

from connect_four.cli.errors import LineError

if TYPE_CHECKING:
    from connect_four.ai.engine import Engine
    from connect_four.ai.position import Position

PROG = "connect-four solve"


def register(subcommands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `solve` command."""
    parser = subcommands.add_parser(
        "solve",
        help="print the exact score of positions read from standard input",
        description="Read positions (column digits 1-7, one per line, optionally"
        " followed by an expected score) and print `position score` for each:"
        " the side to move's score, positive for a win (larger the sooner),"
        " 0 for a draw, negative for a loss. While a position is being solved,"
        " a live count of the positions searched is shown on standard error;"
        " Ctrl-C stops at once.",
    )
    parser.add_argument(
        "--weak",
        action="store_true",
        help="print only 1, 0 or -1 (win, draw or loss) instead of the exact"
        " score; the search asks only whether the score is above or below 0,"
        " which is often, not always, faster",
    )
    parser.set_defaults(handler=solve_lines)


@dataclass(frozen=True, slots=True)
class Problem:
    """One readable input line: where it was, the position, the expected score."""

    line_number: int
    position: Position
    expected: int | None


def solve_lines(args: argparse.Namespace) -> int:
    """Solve every line of standard input; return 1 if any was bad or differed."""
    from connect_four.ai.engine import Engine

    return solve_stream(sys.stdin, sys.stdout, sys.stderr, Engine(), weak=args.weak)


def solve_stream(
    lines: Iterable[str], out: TextIO, err: TextIO, engine: Engine, *, weak: bool
) -> int:
    """Write `position score` for each line; report bad lines; return the status."""
    status = 0
    for line_number, line in enumerate(lines, start=1):
        try:
            problem = read_line(line_number, line)
        except LineError as exc:
            print(f"{PROG}: {exc}", file=err)
            status = 1
            continue
        if problem is None:
            continue
        score = solve_watched(engine, problem, err, weak=weak)
        out.write(f"{problem.position.notation} {score}\n")
        out.flush()
        expected = problem.expected
        if expected is not None and weak:
            expected = (expected > 0) - (expected < 0)
        if expected is not None and score != expected:
            print(
                f"{PROG}: line {line_number}: expected {expected}, solved {score}",
                file=err,
            )
            status = 1
    return status


def solve_watched(
    engine: Engine, problem: Problem, err: TextIO, *, weak: bool
) -> int | None:
    """Return the score (None only past a budget), counting positions on `err`.

    Raises:
        KeyboardInterrupt: the user pressed Ctrl-C; the search has stopped.
    """
    from connect_four.ai.watch import watched
    from connect_four.cli.progress import Progress

    notation = problem.position.notation or "(empty)"
    progress = Progress(
        f"line {problem.line_number}: solving {notation}",
        "positions searched",
        stream=err,
    )
    engine.start(None)
    try:
        score = watched(
            engine, lambda: engine.solve(problem.position, weak=weak), progress.show
        )
    except KeyboardInterrupt:
        progress.finish(": interrupted")
        raise
    progress.clear()
    return score


def read_line(line_number: int, line: str) -> Problem | None:
    """Return the line's position and expected score; None for a blank line.

    Raises:
        LineError: the line is not `position [score]`, or not a legal position.
    """
    from connect_four.ai.errors import InvalidPositionError
    from connect_four.ai.position import Position

    fields = line.split()
    if not fields:
        return None
    if len(fields) > 2:
        raise LineError(
            line_number, f"expected 'position [score]', got {line.strip()!r}"
        )
    try:
        position = Position.from_notation(fields[0])
    except InvalidPositionError as exc:
        raise LineError(line_number, str(exc)) from None
    if position.is_won():
        raise LineError(line_number, f"the game {fields[0]!r} is already won")
    expected = None
    if len(fields) == 2:
        try:
            expected = int(fields[1])
        except ValueError:
            raise LineError(
                line_number, f"score {fields[1]!r} is not a whole number"
            ) from None
    return Problem(line_number, position, expected)
