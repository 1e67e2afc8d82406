"""`connect-four analyse ID`: score every move of a game and flag mistakes.

Each position of the game is solved, exactly when that fits the time allowed
per position, else weakly (win, draw or loss only). Each move gets a verdict
(`connect_four.application.advice.Verdict`): best, good (keeps the result),
inaccuracy (a slower win or a quicker loss), mistake (a win into a draw, a
draw into a loss) or blunder (a win into a loss); a result no search finished
is shown as `?` and its move as unknown, never called a mistake.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Final

from connect_four.cli.settings import GAME_ID_HELP, add_store_option

if TYPE_CHECKING:
    from connect_four.ai.engine import Engine
    from connect_four.ai.position import Position
    from connect_four.application.advice import JudgedMove, Worth
    from connect_four.domain.events import MoveMade

DEFAULT_SECONDS: Final = 3.0


def register(subcommands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `analyse` command."""
    parser = subcommands.add_parser(
        "analyse",
        help="score every move of a game and flag the mistakes",
        description="Solve every position of a recorded game and show, for each"
        " move, the score it kept, the best score there was and a verdict: best,"
        " good (keeps the result), inaccuracy (a slower win or a quicker loss),"
        " mistake (a win into a draw, a draw into a loss) or blunder (a win into"
        " a loss).",
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
        reports = analyse_moves(engine, moves, nodes, progress.show)
    except KeyboardInterrupt:
        progress.finish(": interrupted")
        raise
    progress.finish()
    width = max(len(move.player) for move in moves)
    print(f"{'':4} {'player':{width}} col  score   best")
    for report in reports:
        line = f"{report.number:3d}. {report.player:{width}} {report.column}"
        line += f"   {report.kept!s:>5}  {report.best!s:>5}  {report.verdict}"
        if report.mistake is not None:
            line += f": {report.mistake}"
        print(line)
    print("Scores are the mover's: +n wins (sooner is larger), 0 draws, -n loses.")
    return 0


def analyse_moves(
    engine: Engine,
    moves: Sequence[MoveMade],
    nodes: int,
    progress: Callable[[int], None] = lambda judged: None,
) -> list[JudgedMove]:
    """Return, for each move, the worth it kept and the best one available.

    `progress` is told how many positions are judged, after each one.

    Raises:
        KeyboardInterrupt: the user pressed Ctrl-C; the search has stopped.
    """
    from connect_four.ai.position import COLUMN_LETTERS, Position
    from connect_four.application.advice import JudgedMove

    positions = [Position()]
    for move in moves:
        positions.append(positions[-1].play(COLUMN_LETTERS.index(move.column)))
    worths = []
    for position in positions:
        worths.append(judge(engine, position, nodes))
        progress(len(worths))
    return [
        JudgedMove(
            number,
            move.player,
            move.column,
            worths[number].flipped(),
            worths[number - 1],
        )
        for number, move in enumerate(moves, start=1)
    ]


def judge(engine: Engine, position: Position, nodes: int) -> Worth:
    """Return the side to move's verdict, for finished positions too."""
    from functools import partial

    from connect_four.ai.engine import win_score
    from connect_four.ai.watch import watched
    from connect_four.application.advice import Worth

    if position.is_won():
        # The player who just moved won with that stone: the mover lost.
        return Worth(-win_score(position.moves - 1), True)
    if position.is_full():
        return Worth(0, True)
    for weak in (False, True):
        engine.start(nodes)
        score = watched(engine, partial(engine.solve, position, weak=weak))
        if score is not None:
            return Worth(score, not weak)
    return Worth(None, False)
