"""Exercises 1 and 2: the facts of a game, named in the past tense.

Each event is a frozen dataclass, equal by its fields, built positionally in
the order given below. The stored form (exercise 3) uses exactly these
field names.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeAlias

from connect_four.domain.board import Column  # noqa: F401  (exercise 2 needs it)
from connect_four.domain.result import GameResult  # noqa: F401  (exercise 2 needs it)


@dataclass(frozen=True)
class GameStarted:
    """Two players started a game; player one moves first.

    Exercise 1: the fields `player_one: str` and `player_two: str`.
    """


@dataclass(frozen=True)
class MoveMade:
    """A player dropped a token into a column.

    Exercise 2: the fields `player: str` and `column: Column`.
    """


@dataclass(frozen=True)
class GameFinished:
    """The game ended; no more moves can be made.

    Exercise 2: the field `result: GameResult`.
    """


GameEvent: TypeAlias = GameStarted | MoveMade | GameFinished
