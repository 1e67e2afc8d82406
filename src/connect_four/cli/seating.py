"""Who sits where: the players of a new game, or this terminal's seat in an old one."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from connect_four.ai.errors import ComputerUnavailableError
from connect_four.domain.exceptions import (
    InvalidPlayersError,
    NameTakenError,
    NotAPlayerError,
    SamePlayerError,
)
from connect_four.domain.names import (
    check_human_name,
    normalize_name,
    same_player,
)

if TYPE_CHECKING:
    from connect_four.ai.opponent import ComputerOpponent
    from connect_four.cli.terminal import Terminal


@dataclass(frozen=True)
class Seat:
    """One of a new game's two places: a prompt to ask, or a name already given."""

    prompt: str
    given: str | None = None
    local: bool = True
    """Whether this terminal plays the seat: not the computer or a remote player."""


def new_game_seats(
    local: str | None, computer: ComputerOpponent | None, computer_first: bool
) -> tuple[Seat, Seat]:
    """Return the seats of a new game, player one first.

    Against the computer, the human (`local`, or asked) takes the other seat.
    With `local` alone, that player moves first and the opponent is asked for.
    """
    if computer is not None:
        human = Seat("Your name: ", local)
        machine = Seat("", computer.name, local=False)
        return (machine, human) if computer_first else (human, machine)
    if local is not None:
        opponent = Seat("Opponent's name (Y, plays elsewhere): ", local=False)
        return Seat("", local), opponent
    return Seat("Player one (R, moves first): "), Seat("Player two (Y): ")


def start_game(
    terminal: Terminal,
    create: Callable[[str, str], str],
    seats: tuple[Seat, Seat],
    play_as: Callable[[str], str] = check_human_name,
) -> str:
    """Ask for the names not given, each checked as it is typed; start the game.

    The game is started with `create`, and its id returned. A name this
    terminal plays is checked with `play_as`, which returns it as the game
    stores it (the spelling it was claimed in) or refuses it.

    A typed name that is unusable, reserved for the computer, the other
    player's or claimed by someone else is explained and asked for again at once.

    Raises:
        InvalidPlayersError: a name given on the command line is refused.
        InputClosedError: input ended before the names were complete.
    """
    names: list[str] = []
    for seat in seats:
        if seat.given is not None:
            names.append(seat.given)
            continue
        check = play_as if seat.local else check_human_name
        taken = [*names, *_given(seats)]
        names.append(_ask_name(terminal, seat.prompt, taken, check))
    return create(names[0], names[1])


def check_given_name(name: str) -> str:
    """Return a name given with `--as` as the game will store it.

    Raises:
        InvalidPlayerNameError: the name is unusable or reserved for the computer.
    """
    return check_human_name(normalize_name(name))


def _given(seats: tuple[Seat, Seat]) -> list[str]:
    return [seat.given for seat in seats if seat.given is not None]


def _ask_name(
    terminal: Terminal, prompt: str, taken: list[str], check: Callable[[str], str]
) -> str:
    """Ask until a usable name that no other player has is typed; return it."""
    while True:
        name = normalize_name(terminal.ask(prompt))
        try:
            check_human_name(name)
            for other in taken:
                if same_player(name, other):
                    raise SamePlayerError(name)
            name = check(name)
        except (InvalidPlayersError, NameTakenError) as exc:
            terminal.say(terminal.warning(f"  {exc}: please choose another name."))
            continue
        return name


def find_seat(players: tuple[str, str], seat: str | None) -> str | None:
    """Return the player a seat asked for with `--as` names, spelt as in the game.

    Names match as players do everywhere: "bob" finds "Bob".

    Raises:
        NotAPlayerError: no player of the game has that name.
    """
    if seat is None:
        return None
    for player in players:
        if same_player(player, seat):
            return player
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
    """Return the command that resumes the game the way it is being played.

    It names the store so that it works pasted in any folder (see
    `pasteable_store`).
    """
    from connect_four.cli.invocation import command_line
    from connect_four.cli.wiring import pasteable_store

    words = ["play", "--resume", game_id]
    if seat is not None:
        words += ["--as", seat]
    if level is not None:
        words += ["--vs-computer", level]
    if store is not None:
        words += ["--store", pasteable_store(store)]
    return command_line(*words)
