"""The facts of a game: it started, a move was made, it finished."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeAlias

from connect_four.domain.board import Column
from connect_four.domain.result import GameResult


@dataclass(frozen=True, slots=True)
class GameStarted:
    """Two players started a game; player one moves first."""

    player_one: str
    player_two: str


@dataclass(frozen=True, slots=True)
class MoveMade:
    """A player dropped a token into a column."""

    player: str
    column: Column


@dataclass(frozen=True, slots=True)
class GameFinished:
    """The game ended with a result; no more moves can be made."""

    result: GameResult


GameEvent: TypeAlias = GameStarted | MoveMade | GameFinished
"""Every event a game can record."""

EVENT_TYPES: tuple[type[GameEvent], ...] = (GameStarted, MoveMade, GameFinished)
