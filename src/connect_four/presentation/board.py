"""Draw the board as text: column letters above and below, one cell per slot.

The geometry comes from `connect_four.domain.board`, so the drawing always has
the board's own number of rows and columns. Tokens are plain letters by
default, which read well anywhere (pipes, logs, screen readers); with
`colour=True` they become red and yellow discs drawn with ANSI escape codes.
"""

from __future__ import annotations

from typing import Final

from connect_four.domain.board import COLUMNS, ROWS, BoardState, Column, Token

LETTERS: Final = {Token.RED: "R", Token.YELLOW: "Y"}
"""The letter that stands for each token when colour is off."""

_RESET: Final = "\x1b[0m"
_DISCS: Final = {
    Token.RED: f"\x1b[1;31m●{_RESET}",
    Token.YELLOW: f"\x1b[1;33m●{_RESET}",
}
_CELL_WIDTH: Final = 3


def token_symbol(token: Token, *, colour: bool = False) -> str:
    """Return how one token is drawn: a coloured disc, or its letter."""
    return _DISCS[token] if colour else LETTERS[token]


def generate_board_string(board_state: BoardState, *, colour: bool = False) -> str:
    """Return the board as lines of text, top row first, without a final newline.

    A column missing from `board_state` is drawn empty.
    """
    letters = "  " + "".join(f"{column.value:^{_CELL_WIDTH + 1}}" for column in Column)
    bar = "─" * _CELL_WIDTH
    lines = [letters.rstrip(), " ┌" + "┬".join([bar] * COLUMNS) + "┐"]
    for row in reversed(range(ROWS)):
        cells = []
        for column in Column:
            tokens = board_state.get(column, [])
            symbol = (
                token_symbol(tokens[row], colour=colour) if row < len(tokens) else " "
            )
            cells.append(f" {symbol} ")
        lines.append(" │" + "│".join(cells) + "│")
    lines.append(" └" + "┴".join([bar] * COLUMNS) + "┘")
    lines.append(letters.rstrip())
    return "\n".join(lines)
