"""`connect-four leaderboard`: every player's record and Elo rating."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import TYPE_CHECKING, Final

from connect_four.cli.options import at_least_one
from connect_four.cli.settings import add_store_option

if TYPE_CHECKING:
    from connect_four.readmodels import Standing

HEADINGS: Final = (
    "#",
    "player",
    "rating",
    "games",
    "wins",
    "losses",
    "draws",
    "win rate",
)
EMPTY: Final = "No finished games yet, so no one is ranked."


def register(subcommands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `leaderboard` command."""
    parser = subcommands.add_parser(
        "leaderboard",
        help="rank the players by Elo rating",
        description="Rank every player of a finished game by Elo rating (from"
        " 1500, K = 32, in the order the games finished), with their games,"
        " wins, losses, draws and win rate (wins per game).",
    )
    parser.add_argument(
        "--limit", type=at_least_one, metavar="N", help="show only the best N players"
    )
    add_store_option(parser)
    parser.set_defaults(handler=show_leaderboard)


def show_leaderboard(args: argparse.Namespace) -> int:
    """Print the leaderboard, caught up with every stored event."""
    from connect_four.cli.terminal import Terminal
    from connect_four.cli.wiring import open_read_models

    with open_read_models(args) as read_models:
        read_models.catch_up(["leaderboard"])
        standings = read_models.leaderboard()
    if args.limit is not None:
        standings = standings[: args.limit]
    Terminal().say(render_leaderboard(standings))
    return 0


def render_leaderboard(standings: Sequence[Standing]) -> str:
    """Return the standings as a table, in the order given, or a hint when none."""
    from connect_four.presentation.table import format_table

    if not standings:
        return EMPTY
    rows = [HEADINGS]
    for rank, standing in enumerate(standings, start=1):
        rows.append(
            (
                str(rank),
                standing.player,
                f"{standing.rating:.0f}",
                str(standing.games),
                str(standing.wins),
                str(standing.losses),
                str(standing.draws),
                f"{standing.win_rate:.0%}",
            )
        )
    return format_table(rows, right_aligned={0, 2, 3, 4, 5, 6, 7})
