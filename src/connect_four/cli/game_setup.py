"""Turn the `play` options into a game session: a new game or a resumed one."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from connect_four.ai.computers import Computers
from connect_four.ai.errors import ComputerUnavailableError
from connect_four.ai.opponent import ComputerOpponent, load_computer
from connect_four.application.service import ConnectFourApp
from connect_four.application.tables import TableService
from connect_four.cli.errors import (
    FAILURE,
    INTERRUPTED,
    USAGE_ERROR,
    InputClosedError,
)
from connect_four.cli.game_ids import resolve_game_id
from connect_four.cli.names import TerminalNames
from connect_four.cli.names_file import NamesFile, names_path
from connect_four.cli.seating import (
    check_computer_seat,
    check_given_name,
    find_seat,
    new_game_seats,
    resume_command,
    start_game,
)
from connect_four.cli.session import GameSession
from connect_four.cli.terminal import Terminal
from connect_four.cli.wiring import open_app
from connect_four.domain.board import Token
from connect_four.presentation import token_symbol


def play_game(args: argparse.Namespace) -> int:
    """Start or resume the game the options describe; return the exit status.

    Raises:
        UnknownGameError: `--resume` names no game.
        NotAPlayerError: `--as` names nobody in the game.
        NameTakenError: a name this terminal would play is claimed elsewhere.
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
        app = wiring.app
        tables = wiring.tables(
            Computers(players=() if computer is None else (computer,))
        )
        names = TerminalNames(tables.players, NamesFile(names_path()), terminal)
        if args.resume is not None:
            # A game against the computer keeps the computer's seat and level
            # with it: resuming plays the computer again, whatever the flags.
            seat = tables.computer_seat(args.resume)
            if seat is not None and seat.computer is not None:
                if computer is not None and computer.level != seat.computer:
                    terminal.say(f"This game is played against {seat.player}.")
                if computer is None or computer.level != seat.computer:
                    computer = load_computer(seat.computer)
            stored = seat is not None
            local = _local_players(app, args.resume, args.seat, computer)
            names.check(local)
            session = _session(args, terminal, app, args.resume, computer, stored)
            names.claim(local)
            return session.run()
        if args.seat is not None:
            args.seat = names.play_as(args.seat)
        seats = new_game_seats(args.seat, computer, args.computer_first)
        create = _creator(args, app, tables, computer, names.file.secrets())
        try:
            game_id = start_game(terminal, create, seats, names.play_as)
        except InputClosedError:
            terminal.say("No game was started.")
            return 0
        except KeyboardInterrupt:
            terminal.say()
            terminal.say("No game was started.")
            return INTERRUPTED
        stored = computer is not None  # its seat is stored with the game
        session = _session(args, terminal, app, game_id, computer, stored)
        names.claim(_local_players(app, game_id, args.seat, computer))
        return session.run()


def _local_players(
    app: ConnectFourApp,
    game_id: str,
    seat: str | None,
    computer: ComputerOpponent | None,
) -> list[str]:
    """Return the players this terminal plays in a game: its seat, else all people.

    Raises:
        NotAPlayerError: `seat` names nobody in the game.
    """
    game = app.get_game(game_id)
    people = (str(game.player_one), str(game.player_two))
    found = find_seat(people, seat)
    if found is not None:
        return [found]
    return [name for name in people if computer is None or name != computer.name]


def _creator(
    args: argparse.Namespace,
    app: ConnectFourApp,
    tables: TableService,
    computer: ComputerOpponent | None,
    secrets: Sequence[str],
) -> Callable[[str, str], str]:
    """Return what starts the new game: with its computer seat stored, if any."""
    if computer is None:
        return app.create_game

    def open_against_computer(player_one: str, player_two: str) -> str:
        human = player_two if args.computer_first else player_one
        opening = tables.open_against_computer(
            human, computer.level, computer_first=args.computer_first, secrets=secrets
        )
        return opening.game_id

    return open_against_computer


def _session(
    args: argparse.Namespace,
    terminal: Terminal,
    app: ConnectFourApp,
    game_id: str,
    computer: ComputerOpponent | None,
    computer_stored: bool,
) -> GameSession:
    """Return the session for a game, after checking this terminal's seats in it."""
    game = app.get_game(game_id)
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
    # A computer seat stored with the game comes back by itself on resume.
    level = None if computer_stored else args.vs_computer
    hint = resume_command(game_id, seat, level, args.store)
    return GameSession(app, terminal, game_id, hint, seat, computer)
