"""The computer opponent's errors, all under one root: `AIError`.

The CLI and the web import these before any engine exists (to refuse a game
against a computer that is not installed), so this module imports nothing
but the standard library: no numba, not even the engine's modules. What a
message names, such as the levels there are, the code that raises it passes in.
"""

from __future__ import annotations

from collections.abc import Sequence


class AIError(Exception):
    """The computer opponent cannot do what was asked; the message says why."""


class InvalidPositionError(AIError, ValueError):
    """A move list is not a position that can be searched."""

    def __init__(self, text: str, index: int, reason: str) -> None:
        self.text = text
        self.index = index
        self.reason = reason
        super().__init__(f"move {index + 1} of {text!r} {reason}")


class NoMoveLeftError(AIError, ValueError):
    """The game is won or the board is full, so there is no move to choose."""

    def __init__(self, notation: str) -> None:
        self.notation = notation
        super().__init__(f"the game {notation or '(empty)'} is over: there is no move")


class UnknownLevelError(AIError, ValueError):
    """A computer player was asked for a level that does not exist."""

    def __init__(self, level: str, levels: Sequence[str]) -> None:
        self.level = level
        self.levels = tuple(levels)
        super().__init__(
            f"there is no level {level!r}: choose one of {', '.join(levels)}"
        )


class BookFormatError(AIError, ValueError):
    """A line of the opening book cannot be read."""

    def __init__(self, line_number: int, line: str) -> None:
        self.line_number = line_number
        self.line = line
        super().__init__(f"opening book line {line_number} is malformed: {line!r}")


class BackendUnavailableError(AIError):
    """The engine was asked to run on numba, which is not installed."""

    def __init__(self, variable: str) -> None:
        self.variable = variable
        super().__init__(
            f"{variable}=numba but numba is not installed:"
            " pip install 'connect-four[ai]'"
        )


class ComputerUnavailableError(AIError):
    """The computer opponent cannot be used: not installed, or no such level."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(f"cannot play against the computer: {reason}")


class AIModuleMissingError(ComputerUnavailableError):
    """The module of the computer players cannot be imported."""

    def __init__(self, module: str, cause: str) -> None:
        self.module = module
        self.cause = cause
        super().__init__(f"the AI module {module} is not available ({cause})")


class UnknownComputerLevelError(ComputerUnavailableError):
    """The computer has no level of that name."""

    def __init__(self, level: str, levels: Sequence[str]) -> None:
        self.level = level
        self.levels = tuple(levels)
        choices = ", ".join(levels) or "none"
        super().__init__(f"there is no level {level!r}; choose one of {choices}")


class NoSearchError(AIError, RuntimeError):
    """A one-ply search, which has no budget, returned nothing: a bug."""

    def __init__(self, notation: str) -> None:
        self.notation = notation
        super().__init__(f"no search result for position {notation!r}")


class UnreachedScoreError(AIError, RuntimeError):
    """No column kept the score the solver found: a bug in the solver."""

    def __init__(self, notation: str, score: int) -> None:
        self.notation = notation
        self.score = score
        super().__init__(f"no column of {notation!r} keeps its score {score}")
