"""Exercises 1 and 2: the `Game` aggregate, the rules of Connect Four.

Commands (`start_game`, `make_move`) check the rules against the current state,
then `record` events. `apply` is the only method that changes the state, and
it checks nothing: it must also work when the game is loaded from history.

Given to you: `Move`, the board's geometry (`Board`: `has_room`, `drop`,
`has_connected`, `is_full`, `state`) and the errors to raise.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from connect_four.domain.board import Board, BoardState, Column, Token  # noqa: F401
from connect_four.domain.exceptions import (  # noqa: F401  (the errors you raise)
    ColumnFullError,
    GameAlreadyStartedError,
    GameNotStartedError,
    GameOverError,
    InvalidPlayerNameError,
    NotAPlayerError,
    NotYourTurnError,
    SamePlayerError,
)
from connect_four.domain.result import GameResult  # noqa: F401
from mygame.aggregate import Aggregate
from mygame.events import GameEvent, GameFinished, GameStarted, MoveMade  # noqa: F401


@dataclass(frozen=True)
class Move:
    """A player's wish to drop a token into a column."""

    player: str
    column: Column


class Game(Aggregate[GameEvent]):
    """A game of Connect Four between two named players."""

    def __init__(self, id: str | None = None) -> None:
        super().__init__(str(uuid.uuid4()) if id is None else id)
        raise NotImplementedError(
            "exercise 1: no players, no next player, no result, an empty Board()"
        )

    @property
    def has_started(self) -> bool:
        """Return whether the game has started."""
        raise NotImplementedError("exercise 1")

    @property
    def is_finished(self) -> bool:
        """Return whether the game has ended."""
        raise NotImplementedError("exercise 2")

    @property
    def board(self) -> BoardState:
        """Return a fresh copy of the board's tokens, bottom first."""
        raise NotImplementedError("exercise 2")

    def start_game(self, player_one: str, player_two: str) -> None:
        """Start the game between two differently named players.

        Raises:
            GameAlreadyStartedError: the game has started before.
            InvalidPlayerNameError: a name is empty (or only spaces).
            SamePlayerError: both names are the same.
        """
        raise NotImplementedError("exercise 1")

    def make_move(self, move: Move) -> None:
        """Drop the player's token; finish the game if it connects four or fills.

        Raises:
            GameNotStartedError, GameOverError, NotAPlayerError,
            NotYourTurnError, ColumnFullError: the move breaks that rule.
        """
        raise NotImplementedError("exercise 2")

    def apply(self, event: GameEvent) -> None:
        """Change the game's state by one event."""
        raise NotImplementedError("exercise 1 (GameStarted), exercise 2 (the rest)")
