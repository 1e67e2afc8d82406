"""`connect-four games`: every game with its players, status and result."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import TYPE_CHECKING

from connect_four.cli.settings import add_store_option

if TYPE_CHECKING:
    from connect_four.cli.game_log import GameSummary

HEADINGS = ("id", "players", "status", "moves", "result", "last played")
EMPTY = "No games yet. Start one with: connect-four play"


def register(subcommands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `games` command."""
    parser = subcommands.add_parser(
        "games",
        help="list the games, newest first",
        description="List every game, newest first, with its players, status,"
        " number of moves and result. Resume one with `play --resume ID`.",
    )
    parser.add_argument(
        "--limit", type=int, metavar="N", help="show only the newest N games"
    )
    add_store_option(parser)
    parser.set_defaults(handler=list_games)


def list_games(args: argparse.Namespace) -> int:
    """Print the games in the store; return the exit status."""
    from connect_four.cli.game_log import summarise_games
    from connect_four.cli.terminal import Terminal
    from connect_four.cli.wiring import open_app

    with open_app(args) as wiring:
        summaries = summarise_games(wiring.store)
    if args.limit is not None:
        summaries = summaries[: max(args.limit, 0)]
    Terminal().say(render_games(summaries))
    return 0


def render_games(summaries: Sequence[GameSummary]) -> str:
    """Return the games as a table, in the order given, or a hint when none."""
    from connect_four.presentation import describe_result

    if not summaries:
        return EMPTY
    rows = [HEADINGS]
    for game in summaries:
        if game.result is None:
            status, result = f"{game.next_player} to move", ""
        else:
            status = "finished"
            result = describe_result(game.result, game.player_one, game.player_two)
        rows.append(
            (
                game.game_id,
                f"{game.player_one} vs {game.player_two}",
                status,
                str(game.moves),
                result,
                game.updated_at.astimezone().strftime("%Y-%m-%d %H:%M"),
            )
        )
    widths = [max(len(row[index]) for row in rows) for index in range(len(HEADINGS))]
    return "\n".join(
        "  ".join(
            cell.ljust(width) for cell, width in zip(row, widths, strict=True)
        ).rstrip()
        for row in rows
    )
