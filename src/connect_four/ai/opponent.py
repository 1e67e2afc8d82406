"""The computer opponent as its clients (the CLI, the web) see it, loaded on demand.

The clients depend on the protocols below rather than on
`connect_four.ai.players` itself: the engine's module is imported only when a
computer player is first asked for, so that the clients start fast, and they
refuse a game against the computer with a clear message if it cannot be
imported.
"""

from __future__ import annotations

import importlib
import random
from collections.abc import Callable, Mapping, Sequence
from types import ModuleType
from typing import Final, Protocol

from connect_four.ai.errors import AIModuleMissingError, UnknownComputerLevelError
from connect_four.domain.board import Column

AI_MODULE: Final = "connect_four.ai.players"


class Choice(Protocol):
    """The column a computer player picked, with how it judged it."""

    @property
    def column(self) -> Column: ...

    @property
    def score(self) -> int | None: ...

    @property
    def depth(self) -> int: ...

    @property
    def exact(self) -> bool: ...


def computer_move_metadata(level: str, choice: Choice) -> dict[str, object]:
    """Return the metadata a computer's move is stored with: how the engine judged it.

    `score` is the solver's exact score when `exact` is true, and a heuristic
    evaluation otherwise, so both travel together.
    """
    return {
        "computer": {
            "level": level,
            "score": choice.score,
            "depth": choice.depth,
            "exact": choice.exact,
        }
    }


class Hint(Protocol):
    """What a column is worth to the player to move (see `players.Hint`)."""

    @property
    def score(self) -> int | None: ...

    @property
    def exact(self) -> bool: ...


class ComputerOpponent(Protocol):
    """A computer player, as `connect_four.ai.players.ComputerPlayer` provides."""

    @property
    def level(self) -> str: ...

    @property
    def name(self) -> str: ...

    def choose(self, moves: Sequence[Column]) -> Choice: ...

    def hints(self, moves: Sequence[Column]) -> Mapping[Column, Hint]: ...


def computer_levels() -> tuple[str, ...]:
    """Return the computer's levels, weakest first; none if it is not installed."""
    try:
        module = importlib.import_module(AI_MODULE)
    except ImportError:
        return ()
    return _levels(module)


def load_computer(level: str, rng: random.Random | None = None) -> ComputerOpponent:
    """Return a computer player of the given level.

    Raises:
        AIModuleMissingError: the AI module cannot be imported.
        UnknownComputerLevelError: the level does not exist.
    """
    try:
        module = importlib.import_module(AI_MODULE)
    except ImportError as exc:
        raise AIModuleMissingError(AI_MODULE, str(exc)) from exc
    levels = _levels(module)
    if level not in levels:
        raise UnknownComputerLevelError(level, levels)
    factory: Callable[[str, random.Random], ComputerOpponent] = module.ComputerPlayer
    return factory(level, rng or random.Random())


def _levels(module: ModuleType) -> tuple[str, ...]:
    return tuple(getattr(module, "LEVELS", ()))
