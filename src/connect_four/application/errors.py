"""The errors the application itself raises (not game rules), under one root."""

from __future__ import annotations


class ApplicationError(Exception):
    """Root of the errors the application itself raises (not game rules)."""


class UnknownGameError(ApplicationError):
    """No game has the requested id."""

    def __init__(self, game_id: str) -> None:
        self.game_id = game_id
        super().__init__(f"there is no game {game_id!r}")


class NoSeatsError(ApplicationError):
    """The game was not opened with seats, so no one can move in it by token."""

    def __init__(self, game_id: str) -> None:
        self.game_id = game_id
        super().__init__(
            f"game {game_id} has no seats on the web: it can be watched only"
        )


class ForkPositionError(ApplicationError):
    """A fork must start from a position the original reached, before it ended."""

    def __init__(self, game_id: str, moves: int, reason: str) -> None:
        self.game_id = game_id
        self.moves = moves
        self.reason = reason
        super().__init__(f"cannot fork game {game_id} after {moves} moves: {reason}")


class ComputerMissingError(ApplicationError):
    """This service was built without a computer opponent."""

    def __init__(self) -> None:
        super().__init__("no computer opponent is available here")


class NoHintsError(ApplicationError):
    """Hints are given only in a started, unfinished game, to the player to move."""

    def __init__(self, game_id: str, reason: str) -> None:
        self.game_id = game_id
        self.reason = reason
        super().__init__(f"no hints in game {game_id}: {reason}")


class AdvisorBusyError(ApplicationError):
    """The engine is busy with other requests; asking again later will do."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        super().__init__(
            f"the engine is busy with other requests: try again in {seconds:g} s"
        )
