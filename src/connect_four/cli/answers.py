"""What a player may type at the move prompt, and why an answer is refused."""

from __future__ import annotations

import enum
import unicodedata
from typing import Final

from connect_four.cli.errors import InvalidAnswerError
from connect_four.domain.board import Column
from connect_four.domain.exceptions import UnknownColumnError

MAX_ANSWER_LENGTH: Final = 10
QUIT_WORDS: Final = frozenset({"q", "quit", "exit"})
HINT_WORDS: Final = frozenset({"?", "hint", "hints"})
RESIGN_WORDS: Final = frozenset({"resign"})
"""Spelled out, so that no slip of one key gives a game away (it is confirmed too)."""
_BY_NUMBER: Final = {str(number): column for number, column in enumerate(Column, 1)}


class Request(enum.Enum):
    """An answer that is not a move."""

    QUIT = "quit"
    HINTS = "hints"
    RESIGN = "resign"


def parse_answer(answer: str) -> Column | Request:
    """Return the column (a letter, or its number from 1) or the request typed.

    Raises:
        InvalidAnswerError: the answer is empty, too long or holds control
            characters.
        UnknownColumnError: the answer looks like a column but names none.
    """
    text = answer.strip()
    if not text:
        raise InvalidAnswerError(answer, "nothing was typed")
    if len(text) > MAX_ANSWER_LENGTH:
        raise InvalidAnswerError(
            answer, f"that is longer than {MAX_ANSWER_LENGTH} characters"
        )
    if any(unicodedata.category(char).startswith("C") for char in text):
        raise InvalidAnswerError(answer, "that holds control characters")
    word = text.casefold()
    if word in QUIT_WORDS:
        return Request.QUIT
    if word in HINT_WORDS:
        return Request.HINTS
    if word in RESIGN_WORDS:
        return Request.RESIGN
    column = _BY_NUMBER.get(text)
    if column is not None:
        return column
    try:
        return Column(text.upper())
    except ValueError:
        raise UnknownColumnError(text) from None
