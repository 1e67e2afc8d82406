"""`connect-four play`: start a game (the default command) or resume one."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from connect_four.cli.settings import add_store_option

if TYPE_CHECKING:
    from connect_four.cli.computer import ComputerOpponent
    from connect_four.cli.session import GameSession
    from connect_four.cli.terminal import Terminal
    from connect_four.cli.wiring import Wiring

DESCRIPTION = """\
Play Connect Four in this terminal. Type a column letter (A-G, or 1-7) to drop
a token, q to leave. Every move is saved as it is made: leave at any time and
resume the game later with --resume ID.

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
    parser.add_argument("--resume", metavar="ID", help="continue the game with this id")
    parser.add_argument(
        "--as",
        dest="seat",
        metavar="NAME",
        help="play only NAME's seat here and wait for the other player's moves;"
        " in a new game NAME moves first",
    )
    parser.add_argument(
        "--vs-computer", metavar="LEVEL", help="play against the computer at LEVEL"
    )
    parser.add_argument(
        "--computer-first",
        action="store_true",
        help="in a new game against the computer, let it move first",
    )
    add_store_option(parser)
    parser.set_defaults(handler=play)


def play(args: argparse.Namespace) -> int:
    """Play a game in this terminal and return the exit status."""
    import sys

    from connect_four.cli.errors import FAILURE, USAGE_ERROR

    if args.computer_first and (args.vs_computer is None or args.resume is not None):
        print(
            "connect-four play: --computer-first needs --vs-computer, in a new game",
            file=sys.stderr,
        )
        return USAGE_ERROR
    from connect_four.cli.computer import ComputerUnavailableError

    try:
        return _play(args)
    except ComputerUnavailableError as exc:
        print(f"connect-four: {exc}", file=sys.stderr)
        return FAILURE


def _play(args: argparse.Namespace) -> int:
    from connect_four.cli.errors import INTERRUPTED
    from connect_four.cli.seating import new_game_seats, start_game
    from connect_four.cli.terminal import InputClosedError, Terminal
    from connect_four.cli.wiring import open_app

    computer = _computer(args.vs_computer)
    terminal = Terminal()
    with open_app(args) as wiring:
        if args.resume is not None:
            return _session(args, terminal, wiring, args.resume, computer).run()
        seats = new_game_seats(args.seat, computer, args.computer_first)
        try:
            game_id = start_game(terminal, wiring.app, seats)
        except InputClosedError:
            terminal.say("No game was started.")
            return 0
        except KeyboardInterrupt:
            terminal.say()
            terminal.say("No game was started.")
            return INTERRUPTED
        return _session(args, terminal, wiring, game_id, computer).run()


def _computer(level: str | None) -> ComputerOpponent | None:
    if level is None:
        return None
    from connect_four.cli.computer import load_computer

    return load_computer(level)


def _session(
    args: argparse.Namespace,
    terminal: Terminal,
    wiring: Wiring,
    game_id: str,
    computer: ComputerOpponent | None,
) -> GameSession:
    """Return the session for a game, after checking this terminal's seats in it.

    Raises:
        UnknownGameError: there is no such game.
        NotAPlayerError: `--as` names nobody in the game.
        ComputerUnavailableError: the computer has no seat in the game.
    """
    from connect_four.cli.seating import check_computer_seat, check_seat, resume_command
    from connect_four.cli.session import GameSession

    game = wiring.app.get_game(game_id)
    players = (str(game.player_one), str(game.player_two))
    check_seat(players, args.seat)
    if computer is not None:
        check_computer_seat(players, computer)
    from connect_four.domain.board import Token
    from connect_four.presentation import token_symbol

    red, yellow = (token_symbol(token, colour=terminal.colour) for token in Token)
    terminal.say(
        f"Game {game_id}: {players[0]} ({red}) against {players[1]} ({yellow})."
    )
    if args.resume is None and args.seat is not None and computer is None:
        terminal.say(f"{players[1]} joins from another terminal with:")
        terminal.say(f"  {resume_command(game_id, players[1], store=args.store)}")
    hint = resume_command(game_id, args.seat, args.vs_computer, args.store)
    return GameSession(wiring, terminal, game_id, hint, args.seat, computer)
