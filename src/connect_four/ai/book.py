"""The opening book: the perfect level's moves where searching would take too long.

Early positions are too deep to solve while a player waits, so the engine
solved them beforehand (`python -m connect_four.ai.bookgen`, see docs/ai.md)
and shipped its answers in `data/book.txt`. Each line reads `position column
score`: the moves so far in column digits (`-` for the empty board), the column
to play (1-7) and the score it keeps, exact or, where the line ends in `weak`,
only its sign. A position and its mirror image share one line.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Final

from connect_four.ai.errors import BookFormatError
from connect_four.ai.position import Position
from connect_four.domain.board import COLUMNS

BOOK_RESOURCE: Final = "data/book.txt"
EMPTY: Final = "-"


@dataclass(frozen=True, slots=True)
class BookMove:
    """The move the book gives for a position, and the score it keeps."""

    column: int
    score: int
    exact: bool


class OpeningBook:
    """Moves by position, looked up whichever way round the board is."""

    def __init__(self, moves: Mapping[int, BookMove]) -> None:
        self._moves = dict(moves)

    def __len__(self) -> int:
        return len(self._moves)

    def lookup(self, position: Position) -> BookMove | None:
        """Return the book's move for a position, or None if it has none."""
        key, mirrored = position.canonical_key()
        found = self._moves.get(key)
        if found is None or not mirrored:
            return found
        return BookMove(COLUMNS - 1 - found.column, found.score, found.exact)

    @classmethod
    def from_lines(cls, lines: Iterable[str]) -> OpeningBook:
        """Read a book from its text lines; `#` starts a comment.

        Raises:
            BookFormatError: a line is not `position column score [weak]`.
        """
        moves: dict[int, BookMove] = {}
        for number, line in enumerate(lines, start=1):
            text = line.split("#", 1)[0].strip()
            if text:
                position, move = _parse(number, text)
                key, mirrored = position.canonical_key()
                if mirrored:
                    move = BookMove(COLUMNS - 1 - move.column, move.score, move.exact)
                moves[key] = move
        return cls(moves)

    @classmethod
    def shipped(cls) -> OpeningBook:
        """Return the book that comes with the package, read once per process."""
        return _shipped_book()


@functools.cache
def _shipped_book() -> OpeningBook:
    # Read once: the file does not change while the game runs, and no caller
    # can change a book once it is built.
    text = resources.files("connect_four.ai").joinpath(BOOK_RESOURCE).read_text()
    return OpeningBook.from_lines(text.splitlines())


def _parse(number: int, text: str) -> tuple[Position, BookMove]:
    fields = text.split()
    try:
        notation, column, score = fields[:3]
        position = Position.from_notation("" if notation == EMPTY else notation)
        move = BookMove(int(column) - 1, int(score), fields[3:] != ["weak"])
    except ValueError:
        raise BookFormatError(number, text) from None
    if fields[3:] not in ([], ["weak"]) or not position.can_play(move.column):
        raise BookFormatError(number, text)
    return position, move


def format_line(position: Position, move: BookMove) -> str:
    """Return the book line for a position's move."""
    notation = position.notation or EMPTY
    line = f"{notation} {move.column + 1} {move.score}"
    return line if move.exact else f"{line} weak"
