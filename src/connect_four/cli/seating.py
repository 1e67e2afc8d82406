"""Who sits where: the players of a new game, or this terminal's seat in an old one."""

from __future__ import annotations

import shlex
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from connect_four.ai.opponent import ComputerUnavailableError
from connect_four.domain.exceptions import (
    InvalidPlayerNameError,
    InvalidPlayersError,
    NotAPlayerError,
    SamePlayerError,
)
from connect_four.domain.names import MAX_NAME_LENGTH

if TYPE_CHECKING:
    from connect_four.ai.opponent import ComputerOpponent
    from connect_four.cli.terminal import Terminal


@dataclass(frozen=True)
class Seat:
    """One of a new game's two places: a prompt to ask, or a name already given."""

    prompt: str
    given: str | None = None


def new_game_seats(
    local: str | None, computer: ComputerOpponent | None, computer_first: bool
) -> tuple[Seat, Seat]:
    """Return the seats of a new game, player one first.

    Against the computer, the human (`local`, or asked) takes the other seat.
    With `local` alone, that player moves first and the opponent is asked for.
    """
    if computer is not None:
        human = Seat("Your name: ", local)
        machine = Seat("", computer.name)
        return (machine, human) if computer_first else (human, machine)
    if local is not None:
        return Seat("", local), Seat("Opponent's name (Y, plays elsewhere): ")
    return Seat("Player one (R, moves first): "), Seat("Player two (Y): ")


def start_game(
    terminal: Terminal, create: Callable[[str, str], str], seats: tuple[Seat, Seat]
) -> str:
    """Ask for the names not given, start the game with `create`; return its id.

    A name the game refuses is explained and asked for again.

    Raises:
        InvalidPlayersError: a name given on the command line is refused.
        InputClosedError: input ended before the names were complete.
    """
    names = [seat.given or "" for seat in seats]
    asked = [index for index, seat in enumerate(seats) if seat.given is None]
    for index in asked:
        names[index] = terminal.ask(seats[index].prompt).strip()
    while True:
        try:
            return create(names[0], names[1])
        except InvalidPlayersError as exc:
            culprit = _culprit(exc, names, asked)
            if culprit is None:
                raise
            terminal.say(terminal.warning(f"  {exc}: please choose another name."))
            names[culprit] = terminal.ask(seats[culprit].prompt).strip()


def _culprit(
    error: InvalidPlayersError, names: list[str], asked: list[int]
) -> int | None:
    """Return the index of the asked name the game refused, if it was asked."""
    if isinstance(error, SamePlayerError):
        return asked[-1] if asked else None
    if isinstance(error, InvalidPlayerNameError):
        for index, name in enumerate(names):
            if error.name in (name, name[:MAX_NAME_LENGTH] + "…"):
                return index if index in asked else None
    return None


def check_seat(players: tuple[str, str], seat: str | None) -> None:
    """Check that a seat asked for with `--as` is one of the game's players.

    Raises:
        NotAPlayerError: no player of the game has that name.
    """
    if seat is not None and seat not in players:
        raise NotAPlayerError(seat)


def check_computer_seat(players: tuple[str, str], computer: ComputerOpponent) -> None:
    """Check that a resumed game has a seat for this computer player.

    Raises:
        ComputerUnavailableError: neither player has the computer's name.
    """
    if computer.name not in players:
        raise ComputerUnavailableError(
            f"this game has no player named {computer.name!r}"
        )


def resume_command(
    game_id: str,
    seat: str | None = None,
    level: str | None = None,
    store: str | None = None,
) -> str:
    """Return the command that resumes the game the way it is being played."""
    words = ["connect-four", "play", "--resume", game_id]
    if seat is not None:
        words += ["--as", seat]
    if level is not None:
        words += ["--vs-computer", level]
    if store is not None:
        words += ["--store", store]
    return shlex.join(words)
