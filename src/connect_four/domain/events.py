"""The facts of a game: it started, a move was made, a player gave up, it finished.

`GameStarted`, `MoveMade` and `GameFinished` are the seed's. A game that ends
other than on the board is stored as one of the two events below, followed by
the seed's own `GameFinished` with the result (the other player's win), in the
same append: a reader that knows only the seed's events still finds the
result where it always was.
"""

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


@dataclass(frozen=True, slots=True)
class PlayerResigned:
    """A player gave the game up; the other player wins."""

    player: str


@dataclass(frozen=True, slots=True)
class WinClaimed:
    """A player claimed the win: the other had not moved on their turn for too long."""

    player: str


GameEvent: TypeAlias = (
    GameStarted | MoveMade | GameFinished | PlayerResigned | WinClaimed
)
"""Every event a game can record."""

Forfeit: TypeAlias = PlayerResigned | WinClaimed
"""An event that ends a game other than on the board."""

EVENT_TYPES: tuple[type[GameEvent], ...] = (
    GameStarted,
    MoveMade,
    GameFinished,
    PlayerResigned,
    WinClaimed,
)
