"""The opening book: its lines, its symmetry, and the book that ships."""

from __future__ import annotations

import pytest

from connect_four.ai.book import BookMove, OpeningBook, format_line
from connect_four.ai.errors import BookFormatError
from connect_four.ai.position import Position


def test_a_line_gives_the_move_for_its_position() -> None:
    book = OpeningBook.from_lines(["# comment", "41 4 1 weak", ""])
    assert book.lookup(Position.from_notation("41")) == BookMove(3, 1, exact=False)


def test_the_mirrored_position_gets_the_mirrored_move() -> None:
    book = OpeningBook.from_lines(["12 3 -2"])
    assert book.lookup(Position.from_notation("76")) == BookMove(4, -2, exact=True)


def test_a_position_not_in_the_book_has_no_move() -> None:
    assert (
        OpeningBook.from_lines(["41 4 1"]).lookup(Position.from_notation("44")) is None
    )


def test_a_line_round_trips_through_format_line() -> None:
    line = format_line(Position(), BookMove(3, 1, exact=False))
    assert line == "- 4 1 weak"
    assert OpeningBook.from_lines([line]).lookup(Position()) == BookMove(3, 1, False)


@pytest.mark.parametrize(
    "line", ["41 4", "41 x 1", "4x 4 1", "111111 1 0", "41 4 1 strong", "41 4 1 weak 2"]
)
def test_a_malformed_line_is_refused_with_its_number(line: str) -> None:
    with pytest.raises(BookFormatError, match="line 2"):
        OpeningBook.from_lines(["41 4 1", line])


def test_the_shipped_book_opens_in_the_centre() -> None:
    book = OpeningBook.shipped()
    opening = book.lookup(Position())
    assert opening is not None
    assert (opening.column, opening.score > 0) == (3, True)
