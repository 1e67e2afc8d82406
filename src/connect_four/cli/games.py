"""`connect-four games`: every game with its players, status and result."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import TYPE_CHECKING

from connect_four.cli.options import at_least_one
from connect_four.cli.settings import add_store_option

if TYPE_CHECKING:
    from connect_four.readmodels import GameSummary

HEADINGS = ("id", "players", "status", "moves", "result", "last played")
EMPTY = "No games yet. Start one with:"
NO_MATCH = "No games match."


def register(subcommands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `games` command."""
    parser = subcommands.add_parser(
        "games",
        help="list the games, newest first",
        description="List every game, newest first, with its players, status,"
        " number of moves and result. Resume one with `play --resume ID`.",
    )
    parser.add_argument(
        "--limit", type=at_least_one, metavar="N", help="show only the newest N games"
    )
    status = parser.add_mutually_exclusive_group()
    status.add_argument(
        "--in-progress", action="store_true", help="only games still being played"
    )
    status.add_argument("--finished", action="store_true", help="only finished games")
    parser.add_argument("--player", metavar="NAME", help="only games NAME plays in")
    add_store_option(parser)
    parser.set_defaults(handler=list_games)


def list_games(args: argparse.Namespace) -> int:
    """Print the games from the game list projection, caught up first."""
    from connect_four.cli.terminal import Terminal
    from connect_four.cli.wiring import open_read_models
    from connect_four.readmodels import GameStatus

    status = (
        GameStatus.IN_PROGRESS
        if args.in_progress
        else GameStatus.FINISHED
        if args.finished
        else None
    )
    with open_read_models(args) as read_models:
        read_models.catch_up(["games"])
        games = read_models.games(status=status, player=args.player, limit=args.limit)
    filtered = status is not None or args.player is not None
    Terminal().say(render_games(games) if games or not filtered else NO_MATCH)
    return 0


def render_games(summaries: Sequence[GameSummary]) -> str:
    """Return the games as a table, in the order given, or a hint when none."""
    from connect_four.presentation import describe_result
    from connect_four.presentation.table import format_table

    if not summaries:
        from connect_four.cli.invocation import command_line

        return f"{EMPTY} {command_line('play')}"
    rows = [HEADINGS]
    for game in summaries:
        if game.result is None:
            status, result = f"{game.next_player} to move", ""
        else:
            status = "finished"
            ending = game.ending
            how = None if ending is None else (ending["kind"], ending["player"])
            result = describe_result(game.result, game.player_one, game.player_two, how)
        rows.append(
            (
                game.id,
                f"{game.player_one} vs {game.player_two}",
                status,
                str(game.moves),
                result,
                game.updated_at.astimezone().strftime("%Y-%m-%d %H:%M"),
            )
        )
    return format_table(rows)
