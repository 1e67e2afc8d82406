"""The board: its geometry, its tokens, and fast win detection on bitboards.

Each player's tokens are one integer. Column `c` uses bits `c * HEIGHT` to
`c * HEIGHT + ROWS - 1` (bottom to top) and one spare bit on top, so that a
shifted line never wraps from the top of one column into the next. Four in a
row in a direction is then three shifts and ANDs, derived from the geometry
below rather than typed out as tables of lines.
"""

from __future__ import annotations

import enum
from typing import Final, TypeAlias

from connect_four.domain.exceptions import ColumnFullError

ROWS: Final = 6
COLUMNS: Final = 7
CONNECT: Final = 4
HEIGHT: Final = ROWS + 1
"""Bits per column in a bitboard: the rows plus one spare bit."""


class Column(enum.StrEnum):
    """A column of the board, named by letter from the left."""

    A = "A"
    B = "B"
    C = "C"
    D = "D"
    E = "E"
    F = "F"
    G = "G"


class Token(enum.StrEnum):
    """A player's token: RED is player one, YELLOW player two."""

    RED = "RED"
    YELLOW = "YELLOW"


BoardState: TypeAlias = dict[Column, list[Token]]
"""The tokens in each column, bottom first."""

COLUMN_INDEX: Final = {column: index for index, column in enumerate(Column)}
_NO_HEIGHTS: Final = dict.fromkeys(Column, 0)
_BOTTOM_BIT: Final = {
    column: 1 << (index * HEIGHT) for column, index in COLUMN_INDEX.items()
}

DIRECTIONS: Final = (1, HEIGHT, HEIGHT - 1, HEIGHT + 1)
"""Bit shifts for vertical, horizontal and the two diagonal lines."""


def has_line(bits: int) -> bool:
    """Return whether a bitboard holds CONNECT tokens in a line in any direction."""
    for shift in DIRECTIONS:
        line = bits
        for step in range(1, CONNECT):
            line &= bits >> (shift * step)
        if line:
            return True
    return False


class Board:
    """The tokens dropped so far, as one bitboard per token and a height per column."""

    __slots__ = ("_heights", "_moves", "_red", "_yellow")

    def __init__(self) -> None:
        self._red = 0
        self._yellow = 0
        self._heights = _NO_HEIGHTS.copy()
        self._moves = 0

    def copy(self) -> Board:
        """Return a board with the same tokens that changes independently."""
        twin = Board.__new__(Board)
        twin._red = self._red
        twin._yellow = self._yellow
        twin._heights = self._heights.copy()
        twin._moves = self._moves
        return twin

    def has_room(self, column: Column) -> bool:
        """Return whether another token fits in the column."""
        return self._heights[column] < ROWS

    def is_full(self) -> bool:
        """Return whether every cell holds a token."""
        return self._moves == ROWS * COLUMNS

    def drop(self, column: Column, token: Token) -> None:
        """Put a token on top of a column.

        Raises:
            ColumnFullError: the column has no room.
        """
        height = self._heights[column]
        if height == ROWS:
            raise ColumnFullError(column)
        if token is Token.RED:
            self._red |= _BOTTOM_BIT[column] << height
        else:
            self._yellow |= _BOTTOM_BIT[column] << height
        self._heights[column] = height + 1
        self._moves += 1

    def has_connected(self, token: Token) -> bool:
        """Return whether the token's owner has CONNECT in a line."""
        return has_line(self.bitboard(token))

    def bitboard(self, token: Token) -> int:
        """Return the bitboard of one token's cells."""
        return self._red if token is Token.RED else self._yellow

    @property
    def state(self) -> BoardState:
        """Return a fresh copy of the tokens in each column, bottom first."""
        red = self._red
        return {
            column: [
                Token.RED if red >> (index * HEIGHT + row) & 1 else Token.YELLOW
                for row in range(self._heights[column])
            ]
            for index, column in enumerate(Column)
        }
