"""A Connect Four position as the engine sees it, read from a list of moves.

Positions are written in column notation, as in Pascal Pons' test sets: the
moves from the empty board as digits 1-7, 1 the leftmost column (the game's
column A). A position is kept as bitboards (see `bitboard`) plus the moves that
led to it, so it can be written back out.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Final

from connect_four.ai.errors import InvalidPositionError
from connect_four.ai.geometry import CELLS
from connect_four.domain.board import COLUMNS, HEIGHT, ROWS, Column, has_line

COLUMN_LETTERS: Final = tuple(Column)


@dataclass(frozen=True, slots=True)
class Position:
    """The stones of the side to move (`current`) and of both sides (`mask`)."""

    current: int = 0
    mask: int = 0
    history: tuple[int, ...] = ()

    @classmethod
    def from_notation(cls, text: str) -> Position:
        """Read a position from column digits, rejecting moves after a win.

        Raises:
            InvalidPositionError: a character is not a column digit, a column is
                full, or an earlier move already won the game.
        """
        position = cls()
        for index, char in enumerate(text):
            if char not in "1234567"[:COLUMNS]:
                raise InvalidPositionError(
                    text, index, f"is {char!r}, not a column 1-7"
                )
            position = position._checked_play(text, index, int(char) - 1)
        return position

    @classmethod
    def from_columns(cls, columns: Iterable[Column]) -> Position:
        """Read a position from the game's moves (column letters).

        Raises:
            InvalidPositionError: a column is full or a move follows a win.
        """
        position = cls()
        text = "".join(Column(column) for column in columns)
        for index, letter in enumerate(text):
            position = position._checked_play(text, index, COLUMN_LETTERS.index(letter))
        return position

    def _checked_play(self, text: str, index: int, column: int) -> Position:
        if self.is_won():
            raise InvalidPositionError(text, index, "comes after the game was won")
        if not self.can_play(column):
            raise InvalidPositionError(text, index, f"is in full column {column + 1}")
        return self.play(column)

    @property
    def moves(self) -> int:
        """Return how many stones are on the board."""
        return len(self.history)

    @property
    def notation(self) -> str:
        """Return the moves in column digits."""
        return "".join(str(column + 1) for column in self.history)

    @property
    def key(self) -> int:
        """Return an integer that identifies the position (not its move order)."""
        return self.current + self.mask

    def can_play(self, column: int) -> bool:
        """Return whether a column has room."""
        top = 1 << (column * HEIGHT + ROWS - 1)
        return 0 <= column < COLUMNS and not self.mask & top

    def legal_columns(self) -> list[int]:
        """Return the columns with room, left to right."""
        return [column for column in range(COLUMNS) if self.can_play(column)]

    def play(self, column: int) -> Position:
        """Return the position after the side to move drops a stone in a column."""
        move = (self.mask + (1 << column * HEIGHT)) & (
            ((1 << ROWS) - 1) << column * HEIGHT
        )
        return Position(
            self.current ^ self.mask, self.mask | move, (*self.history, column)
        )

    def is_winning_move(self, column: int) -> bool:
        """Return whether dropping a stone in a column connects four for the mover."""
        after = self.play(column)
        return has_line(after.current ^ after.mask)

    def opponent_wins_at(self, column: int) -> bool:
        """Return whether the opponent would connect four by playing in a column."""
        if not self.can_play(column):
            return False
        swapped = Position(self.current ^ self.mask, self.mask, self.history)
        return swapped.is_winning_move(column)

    def is_won(self) -> bool:
        """Return whether the player who just moved has connected four."""
        return has_line(self.current ^ self.mask)

    def is_full(self) -> bool:
        """Return whether every cell holds a stone."""
        return self.moves == CELLS

    def canonical_key(self) -> tuple[int, bool]:
        """Return the smaller key of the position and its mirror, and if mirrored.

        A position and its left-right mirror have the same score with mirrored
        best moves, so an opening book stores only one of them.
        """
        mirrored = mirror(self.key)
        if mirrored < self.key:
            return mirrored, True
        return self.key, False


def mirror(bits: int) -> int:
    """Return a bitboard (or key) with its columns in reverse order."""
    column_bits = (1 << HEIGHT) - 1
    result = 0
    for column in range(COLUMNS):
        chunk = (bits >> (column * HEIGHT)) & column_bits
        result |= chunk << ((COLUMNS - 1 - column) * HEIGHT)
    return result


def to_columns(history: Sequence[int]) -> list[Column]:
    """Return column indices (0 = A) as the game's column letters."""
    return [COLUMN_LETTERS[column] for column in history]
