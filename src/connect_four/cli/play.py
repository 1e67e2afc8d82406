"""`connect-four play`: start a game (the default command) or resume one."""

from __future__ import annotations

import argparse
from typing import Final

from connect_four.cli.settings import add_store_option

COMPUTER_LEVELS: Final = ("easy", "medium", "hard", "perfect")
"""The levels `connect_four.ai.players.LEVELS` has, named here so --help stays fast."""

DESCRIPTION = """\
Play Connect Four in this terminal. Type a column letter (A-G, or 1-7) to drop
a token, ? for the engine's hints, q to leave, resign to give the game up (after
a y to confirm). Every move is saved as it is made: leave at any time and resume
the game later with --resume ID.

Two terminals, or two machines sharing a server store, can play one game: each
player runs `connect-four play --resume ID --as NAME` and waits for the other's
moves. Start such a game with `connect-four play --as NAME`.
"""


def register(subcommands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `play` command."""
    parser = subcommands.add_parser(
        "play",
        help="play a new game (the default command), or resume one",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--resume",
        metavar="ID",
        help="continue the game with this id (or its first 6 or more characters)",
    )
    parser.add_argument(
        "--as",
        dest="seat",
        metavar="NAME",
        help="play only NAME's seat here and wait for the other player's moves;"
        " in a new game NAME moves first",
    )
    parser.add_argument(
        "--vs-computer",
        metavar="LEVEL",
        help=f"play against the computer at LEVEL: {', '.join(COMPUTER_LEVELS)}"
        " (weakest first)",
    )
    parser.add_argument(
        "--computer-first",
        action="store_true",
        help="in a new game against the computer, let it move first",
    )
    parser.add_argument(
        "--workspace",
        metavar="DIR",
        help="play on your own code, in a workshop workspace (connect-four workshop)",
    )
    add_store_option(parser)
    parser.set_defaults(handler=play)


def play(args: argparse.Namespace) -> int:
    """Play a game in this terminal and return the exit status."""
    if args.workspace:
        from connect_four.cli.workshop import play_workspace

        return play_workspace(args)
    from connect_four.cli.game_setup import play_game

    return play_game(args)
