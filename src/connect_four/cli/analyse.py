"""`connect-four analyse ID`: score every move of a game and flag mistakes.

Each position of the game is solved, exactly when that fits the time allowed
per position, else weakly (win, draw or loss only). A move is a mistake when
it turns a win into a draw or a loss, or a draw into a loss; a result no search
finished is shown as `?` and never called a mistake.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from connect_four.cli.settings import GAME_ID_HELP, add_store_option

if TYPE_CHECKING:
    from connect_four.ai.engine import Engine
    from connect_four.ai.position import Position
    from connect_four.domain.board import Column

DEFAULT_SECONDS: Final = 3.0
OUTCOMES: Final = {1: "win", 0: "draw", -1: "loss"}


def register(subcommands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `analyse` command."""
    parser = subcommands.add_parser(
        "analyse",
        help="score every move of a game and flag the mistakes",
        description="Solve every position of a recorded game and show, for each"
        " move, the score it kept and the best score there was. A move that"
        " turns a win into a draw or a loss, or a draw into a loss, is a mistake.",
    )
    parser.add_argument("game_id", metavar="ID", help=GAME_ID_HELP)
    parser.add_argument(
        "--seconds",
        type=float,
        default=DEFAULT_SECONDS,
        metavar="SECONDS",
        help=f"time to solve each position (default {DEFAULT_SECONDS:g})",
    )
    add_store_option(parser)
    parser.set_defaults(handler=analyse_game)


@dataclass(frozen=True, slots=True)
class Verdict:
    """What the solver knows of a position: an exact score, or just its sign."""

    score: int | None
    exact: bool

    @property
    def outcome(self) -> int | None:
        """Return 1, 0 or -1 for a win, draw or loss; None if unknown."""
        return None if self.score is None else (self.score > 0) - (self.score < 0)

    def flipped(self) -> Verdict:
        """Return the verdict for the other player."""
        return Verdict(None if self.score is None else -self.score, self.exact)

    def __str__(self) -> str:
        if self.score is None:
            return "?"
        if self.exact:
            return f"{self.score:+d}"
        return str(OUTCOMES[self.score])


@dataclass(frozen=True, slots=True)
class MoveReport:
    """One move's column, the verdict it kept and the best there was."""

    column: Column
    kept: Verdict
    best: Verdict

    @property
    def mistake(self) -> str | None:
        """Return what the move threw away, if it made the result worse."""
        best, kept = self.best.outcome, self.kept.outcome
        if best is None or kept is None or kept >= best:
            return None
        return f"turns a {OUTCOMES[best]} into a {OUTCOMES[kept]}"


def analyse_game(args: argparse.Namespace) -> int:
    """Print the analysis of the game; return the exit status."""
    from connect_four.ai.engine import Engine
    from connect_four.cli.game_ids import resolve_game_id
    from connect_four.cli.progress import Progress
    from connect_four.cli.wiring import open_app
    from connect_four.domain.events import MoveMade

    game_id = resolve_game_id(args, args.game_id)
    with open_app(args) as wiring:
        game = wiring.app.load_game(game_id)
    moves = [event for event in game.events if isinstance(event, MoveMade)]
    print(f"Game {game.id}: {game.player_one} (first) against {game.player_two}")
    if not moves:
        print("No moves yet.")
        return 0
    engine = Engine()
    nodes = int(args.seconds * engine.nodes_per_second)
    progress = Progress("analysing", "positions", len(moves) + 1)
    try:
        reports = analyse_moves(
            engine, [move.column for move in moves], nodes, progress.show
        )
    except KeyboardInterrupt:
        progress.finish(": interrupted")
        raise
    progress.finish()
    width = max(len(move.player) for move in moves)
    print(f"{'':4} {'player':{width}} col  score   best")
    for number, (move, report) in enumerate(zip(moves, reports, strict=True), start=1):
        line = (
            f"{number:3d}. {move.player:{width}} {report.column}   {report.kept!s:>5}"
        )
        line += f"  {report.best!s:>5}"
        if report.mistake is not None:
            line += f"  mistake: {report.mistake}"
        print(line)
    print("Scores are the mover's: +n wins (sooner is larger), 0 draws, -n loses.")
    return 0


def analyse_moves(
    engine: Engine,
    columns: Sequence[Column],
    nodes: int,
    progress: Callable[[int], None] = lambda judged: None,
) -> list[MoveReport]:
    """Return, for each move, the verdict it kept and the best one available.

    `progress` is told how many positions are judged, after each one.

    Raises:
        KeyboardInterrupt: the user pressed Ctrl-C; the search has stopped.
    """
    from connect_four.ai.position import COLUMN_LETTERS, Position

    positions = [Position()]
    for column in columns:
        positions.append(positions[-1].play(COLUMN_LETTERS.index(column)))
    verdicts = []
    for position in positions:
        verdicts.append(judge(engine, position, nodes))
        progress(len(verdicts))
    return [
        MoveReport(column, verdicts[index + 1].flipped(), verdicts[index])
        for index, column in enumerate(columns)
    ]


def judge(engine: Engine, position: Position, nodes: int) -> Verdict:
    """Return the side to move's verdict, for finished positions too."""
    from functools import partial

    from connect_four.ai.engine import win_score
    from connect_four.ai.watch import watched

    if position.is_won():
        # The player who just moved won with that stone: the mover lost.
        return Verdict(-win_score(position.moves - 1), True)
    if position.is_full():
        return Verdict(0, True)
    for weak in (False, True):
        engine.start(nodes)
        score = watched(engine, partial(engine.solve, position, weak=weak))
        if score is not None:
            return Verdict(score, not weak)
    return Verdict(None, False)
