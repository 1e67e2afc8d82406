"""The computer opponent, loaded from `connect_four.ai` only when asked for.

The CLI depends on the interface below rather than on the module itself, so
that it type-checks and starts fast whether or not the AI is installed.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Protocol

from connect_four.domain.board import Column

if TYPE_CHECKING:
    import random

AI_MODULE = "connect_four.ai.players"


class Choice(Protocol):
    """The column a computer player picked, with how it judged it."""

    @property
    def column(self) -> Column: ...

    @property
    def score(self) -> int | None: ...

    @property
    def depth(self) -> int: ...


class ComputerOpponent(Protocol):
    """A computer player, as `connect_four.ai.players.ComputerPlayer` provides."""

    @property
    def name(self) -> str: ...

    def choose(self, moves: Sequence[Column]) -> Choice: ...

    def hints(self, moves: Sequence[Column]) -> dict[Column, int | None]: ...


class ComputerUnavailableError(Exception):
    """The computer opponent cannot be used: not installed, or no such level."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(f"cannot play against the computer: {reason}")


def load_computer(level: str, rng: random.Random | None = None) -> ComputerOpponent:
    """Return a computer player of the given level.

    Raises:
        ComputerUnavailableError: the AI module is missing or the level unknown.
    """
    try:
        module = importlib.import_module(AI_MODULE)
    except ImportError as exc:
        raise ComputerUnavailableError(
            f"the AI module {AI_MODULE} is not available ({exc})"
        ) from exc
    levels: Sequence[str] = tuple(getattr(module, "LEVELS", ()))
    if level not in levels:
        choices = ", ".join(levels) or "none"
        raise ComputerUnavailableError(
            f"there is no level {level!r}; choose one of {choices}"
        )
    import random

    factory: Callable[[str, random.Random], ComputerOpponent] = module.ComputerPlayer
    return factory(level, rng or random.Random())
