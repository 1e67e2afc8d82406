"""Computer players: a level's choice of column for the moves of a game so far.

A `ComputerPlayer` reads the game's moves, never the game itself: it returns a
column and mutates nothing, and its caller makes the move through
`ConnectFourApp` as it would a person's. Given the same random source, budget
and sequence of calls, it makes the same choices.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from connect_four.ai.advice import column_worths
from connect_four.ai.book import OpeningBook
from connect_four.ai.engine import Engine
from connect_four.ai.errors import NoMoveLeftError, UnknownLevelError
from connect_four.ai.levels import (
    Strategy,
    easy,
    hard,
    medium,
    perfect_with,
)
from connect_four.ai.position import COLUMN_LETTERS, Position
from connect_four.application.advice import Worth as Hint

__all__ = [
    "LEVELS",
    "Choice",
    "ComputerPlayer",
    "Hint",
]
from connect_four.domain.board import Column
from connect_four.domain.names import computer_name

LEVELS: Final = ("easy", "medium", "hard", "perfect")
"""The levels from weakest to strongest."""
SECONDS_PER_MOVE: Final = {"easy": 0.05, "medium": 0.3, "hard": 0.5, "perfect": 1.6}
"""The time a level may think, converted to nodes at the engine's cautious speed."""
HINT_SECONDS: Final = 2.0
"""The time the columns the book does not know share, for a player waiting."""


@dataclass(frozen=True, slots=True)
class Choice:
    """The column a computer player chose and what its search said about it.

    `score` follows the solver's convention (positive: the computer wins,
    larger sooner) when `exact`; otherwise it is a heuristic evaluation, less
    than 1000 either way. `depth` is how many plies ahead the engine looked.
    """

    column: Column
    score: int | None
    depth: int
    exact: bool = False


class ComputerPlayer:
    """A computer opponent at one level of strength."""

    def __init__(
        self,
        level: str,
        rng: random.Random,
        *,
        engine: Engine | None = None,
        book: OpeningBook | None = None,
        seconds: float | None = None,
    ) -> None:
        """Make a player; the engine (and numba) load on the first move.

        `seconds` replaces the level's time per move (tests and benchmarks
        use it); it is turned into a node budget, so choices stay repeatable.

        Raises:
            UnknownLevelError: the level is not one of `LEVELS`.
        """
        if level not in LEVELS:
            raise UnknownLevelError(level, LEVELS)
        self.level = level
        self._rng = rng
        self._engine = engine
        self._book = book
        self._seconds = SECONDS_PER_MOVE[level] if seconds is None else seconds

    @property
    def name(self) -> str:
        """Return the player's name in the game, e.g. "computer (hard)"."""
        return computer_name(self.level)

    @property
    def engine(self) -> Engine:
        """Return the player's engine, building it on first use."""
        if self._engine is None:
            self._engine = Engine()
        return self._engine

    def choose(self, moves: Sequence[Column]) -> Choice:
        """Return the column to play after the game's moves so far.

        Raises:
            InvalidPositionError: the moves are not a legal game.
            NoMoveLeftError: the game is already won or drawn.
        """
        position = _playable(moves)
        nodes = int(self._seconds * self.engine.nodes_per_second)
        decision = self._strategy()(self.engine, position, self._rng, nodes)
        return Choice(
            COLUMN_LETTERS[decision.column],
            decision.score,
            decision.depth,
            decision.exact,
        )

    def hints(self, moves: Sequence[Column]) -> dict[Column, Hint]:
        """Return what each legal column is worth to the player to move.

        The opening book answers first (the early positions are too deep to
        search while a player waits); the engine then solves the other
        columns within the hint budget, exactly if it can, else weakly.

        Raises:
            InvalidPositionError: the moves are not a legal game.
            NoMoveLeftError: the game is already won or drawn.
        """
        position = _playable(moves)
        book = self._opening_book()
        worths = column_worths(lambda: self.engine, book, position, HINT_SECONDS)
        return {COLUMN_LETTERS[column]: hint for column, hint in worths.items()}

    def _opening_book(self) -> OpeningBook:
        if self._book is None:
            self._book = OpeningBook.shipped()
        return self._book

    def _strategy(self) -> Strategy:
        if self.level == "easy":
            return easy
        if self.level == "medium":
            return medium
        if self.level == "hard":
            return hard
        return perfect_with(self._opening_book())


def _playable(moves: Sequence[Column]) -> Position:
    position = Position.from_columns(moves)
    if position.is_won() or position.is_full():
        raise NoMoveLeftError(position.notation)
    return position
