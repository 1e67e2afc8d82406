"""Turn the `play` options into a game session: a new game or a resumed one."""

from __future__ import annotations

import argparse
import sys

from connect_four.ai.opponent import (
    ComputerOpponent,
    ComputerUnavailableError,
    load_computer,
)
from connect_four.cli.errors import FAILURE, INTERRUPTED, USAGE_ERROR
from connect_four.cli.game_ids import resolve_game_id
from connect_four.cli.seating import (
    check_computer_seat,
    check_given_name,
    find_seat,
    new_game_seats,
    resume_command,
    start_game,
)
from connect_four.cli.session import GameSession
from connect_four.cli.terminal import InputClosedError, Terminal
from connect_four.cli.wiring import Wiring, open_app
from connect_four.domain.board import Token
from connect_four.presentation import token_symbol


def play_game(args: argparse.Namespace) -> int:
    """Start or resume the game the options describe; return the exit status.

    Raises:
        UnknownGameError: `--resume` names no game.
        NotAPlayerError: `--as` names nobody in the game.
    """
    if args.computer_first and (args.vs_computer is None or args.resume is not None):
        print(
            "connect-four play: --computer-first needs --vs-computer, in a new game",
            file=sys.stderr,
        )
        return USAGE_ERROR
    if args.resume is not None:
        args.resume = resolve_game_id(args, args.resume)
    elif args.seat is not None:
        args.seat = check_given_name(args.seat)
    try:
        computer = None if args.vs_computer is None else load_computer(args.vs_computer)
        return _play(args, computer)
    except ComputerUnavailableError as exc:
        print(f"connect-four: {exc}", file=sys.stderr)
        return FAILURE


def _play(args: argparse.Namespace, computer: ComputerOpponent | None) -> int:
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


def _session(
    args: argparse.Namespace,
    terminal: Terminal,
    wiring: Wiring,
    game_id: str,
    computer: ComputerOpponent | None,
) -> GameSession:
    """Return the session for a game, after checking this terminal's seats in it."""
    game = wiring.app.get_game(game_id)
    players = (str(game.player_one), str(game.player_two))
    seat = find_seat(players, args.seat)
    if computer is not None:
        check_computer_seat(players, computer)
    red, yellow = (token_symbol(token, colour=terminal.colour) for token in Token)
    terminal.say(
        f"Game {game_id}: {players[0]} ({red}) against {players[1]} ({yellow})."
    )
    if args.resume is None and seat is not None and computer is None:
        terminal.say(f"{players[1]} joins from another terminal with:")
        terminal.say(f"  {resume_command(game_id, players[1], store=args.store)}")
    hint = resume_command(game_id, seat, args.vs_computer, args.store)
    return GameSession(wiring, terminal, game_id, hint, seat, computer)
