"""The rules of the seats, as errors: each names the rule a table command broke."""

from __future__ import annotations

from connect_four.domain.exceptions import ConnectFourError


class SeatError(ConnectFourError):
    """A command asked for a seat it cannot have."""

    def __init__(self, game_id: str, message: str) -> None:
        self.game_id = game_id
        super().__init__(message)


class InviteRejectedError(SeatError):
    """The join secret does not open this game's invite."""

    def __init__(self, game_id: str) -> None:
        super().__init__(game_id, f"this invite does not open a seat in game {game_id}")


class InviteUsedError(SeatError):
    """Seat two was taken already; an invite opens it only once."""

    def __init__(self, game_id: str) -> None:
        super().__init__(
            game_id, f"game {game_id} has no free seat: the invite was used"
        )


class SeatTokenRejectedError(SeatError):
    """The token holds no seat in this game."""

    def __init__(self, game_id: str) -> None:
        super().__init__(game_id, f"this seat token holds no seat in game {game_id}")


class WaitingForOpponentError(SeatError):
    """The game starts only when a second player joins."""

    def __init__(self, game_id: str) -> None:
        super().__init__(
            game_id, f"game {game_id} is waiting for a second player to join"
        )


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
