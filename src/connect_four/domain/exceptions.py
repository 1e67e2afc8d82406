"""The rules of the game, as errors: each names the rule a command broke.

The seed's names (`ConnectFourError`, `GameAlreadyStartedError`,
`InvalidMoveError`) are the roots, so code that catches them still works.
"""

from __future__ import annotations

from datetime import timedelta


class ConnectFourError(Exception):
    """A command broke a rule of Connect Four."""


class GameAlreadyStartedError(ConnectFourError):
    """A game can be started only once."""

    def __init__(self, game_id: str) -> None:
        self.game_id = game_id
        super().__init__(f"game {game_id} has already started")


class InvalidPlayersError(ConnectFourError):
    """The players given to start a game are not acceptable."""


class InvalidPlayerNameError(InvalidPlayersError):
    """A player name is empty, too long or holds control characters."""

    def __init__(self, name: str, reason: str) -> None:
        self.name = name
        self.reason = reason
        super().__init__(f"player name {name!r} {reason}")


class SamePlayerError(InvalidPlayersError):
    """Both players have the same name, so turns could not be told apart."""

    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__(f"the two players must have different names, not {name!r}")


class InvalidMoveError(ConnectFourError):
    """A move cannot be made."""


class GameNotStartedError(InvalidMoveError):
    """Moves need a started game."""

    def __init__(self, game_id: str) -> None:
        self.game_id = game_id
        super().__init__(f"game {game_id} has not started")


class GameOverError(InvalidMoveError):
    """No move can be made in a finished game."""

    def __init__(self, game_id: str) -> None:
        self.game_id = game_id
        super().__init__(f"game {game_id} is over")


class NotAPlayerError(InvalidMoveError):
    """Only the game's two players may move."""

    def __init__(self, player: str) -> None:
        self.player = player
        super().__init__(f"{player!r} is not playing in this game")


class NotYourTurnError(InvalidMoveError):
    """Players alternate, player one first."""

    def __init__(self, player: str, next_player: str) -> None:
        self.player = player
        self.next_player = next_player
        super().__init__(f"it is not {player}'s turn: {next_player} moves next")


class UnknownColumnError(InvalidMoveError):
    """A move must name one of the board's columns."""

    def __init__(self, column: object) -> None:
        self.column = column
        super().__init__(f"there is no column {column!r}: choose one of A to G")


class ColumnFullError(InvalidMoveError):
    """A token needs room in its column."""

    def __init__(self, column: str) -> None:
        self.column = column
        super().__init__(f"column {column} is full")


class MoveNumberError(InvalidMoveError):
    """A move that names its number in the game must be the next one to make.

    A request that names its number can be sent again safely: the same move
    under the same number is recognised as made already, while a number the
    game has moved past (or not reached) is refused with this error.
    """

    def __init__(self, game_id: str, number: int, reason: str) -> None:
        self.game_id = game_id
        self.number = number
        self.reason = reason
        super().__init__(f"move {number} of game {game_id} cannot be made: {reason}")


class SeatError(ConnectFourError):
    """A command asked for a seat it cannot have."""

    def __init__(self, game_id: str, message: str) -> None:
        self.game_id = game_id
        super().__init__(message)


class WaitingForOpponentError(SeatError):
    """The game starts only when a second player joins."""

    def __init__(self, game_id: str) -> None:
        super().__init__(
            game_id, f"game {game_id} is waiting for a second player to join"
        )


class SeatTokenRejectedError(SeatError):
    """The token holds no seat in this game."""

    def __init__(self, game_id: str) -> None:
        super().__init__(game_id, f"this seat token holds no seat in game {game_id}")


class InviteUsedError(SeatError):
    """Seat two was taken already; an invite opens it only once."""

    def __init__(self, game_id: str) -> None:
        super().__init__(
            game_id, f"game {game_id} has no free seat: the invite was used"
        )


class InviteRejectedError(SeatError):
    """The join secret does not open this game's invite."""

    def __init__(self, game_id: str) -> None:
        super().__init__(game_id, f"this invite does not open a seat in game {game_id}")


class InviteWithdrawnError(SeatError):
    """The invite was withdrawn: this game will never start."""

    def __init__(self, game_id: str) -> None:
        super().__init__(
            game_id, f"game {game_id} was called off: its invite was withdrawn"
        )


class GameUnderwayError(SeatError):
    """Only a game nobody joined can be called off; a started one can be resigned."""

    def __init__(self, game_id: str) -> None:
        super().__init__(
            game_id,
            f"game {game_id} has both players: it cannot be called off, only resigned",
        )


class RematchNotReadyError(SeatError):
    """A rematch can be offered only once the game is over."""

    def __init__(self, game_id: str) -> None:
        super().__init__(
            game_id, f"game {game_id} is not over: a rematch can follow only its end"
        )


class RematchOfferedAlreadyError(SeatError):
    """A game has one rematch; the second player accepts it rather than offering."""

    def __init__(self, game_id: str, rematch_id: str) -> None:
        self.rematch_id = rematch_id
        super().__init__(
            game_id, f"game {game_id} has a rematch offered already: {rematch_id}"
        )


class NoSeatOfferedError(SeatError):
    """Only a rematch keeps a seat for a player."""

    def __init__(self, game_id: str) -> None:
        super().__init__(game_id, f"game {game_id} keeps no seat for anyone")


class ClaimRefusedError(ConnectFourError):
    """A win can be claimed only from an opponent gone too long on their turn."""


class ClaimOnOwnTurnError(ClaimRefusedError):
    """The claimer is the one to move, so the opponent is not keeping anyone waiting."""

    def __init__(self, player: str) -> None:
        self.player = player
        super().__init__(
            f"{player} cannot claim the win: it is {player}'s own turn to move"
        )


class ClaimTooEarlyError(ClaimRefusedError):
    """The opponent has not been gone for the time limit yet."""

    def __init__(self, player: str, opponent: str, remaining: timedelta) -> None:
        self.player = player
        self.opponent = opponent
        # One more than the whole seconds left, never fewer than are left:
        # "0 more seconds" would invite a claim that is still refused.
        remaining_seconds = remaining.days * 86_400 + remaining.seconds + 1
        self.remaining_seconds = remaining_seconds
        super().__init__(
            f"{player} cannot claim the win yet: {opponent} may still move"
            f" for {remaining_seconds} more seconds"
        )


class NameTakenError(ConnectFourError):
    """The name is claimed by a player whose secret did not come with the command."""

    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__(
            f"the name {name!r} is taken: another player claimed it. Choose"
            " another name, or, if it is yours, use a device link from a device"
            " that plays under it"
        )


class LinkRejectedError(ConnectFourError):
    """The device link's code is unknown, used already, or expired."""

    def __init__(self, name: str, reason: str) -> None:
        self.name = name
        self.reason = reason
        super().__init__(f"this device link for {name!r} {reason}")
