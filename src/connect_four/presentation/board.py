"""Draw the board as text: column letters above and below, one cell per slot.

The geometry comes from `connect_four.domain.board`, so the drawing always has
the board's own number of rows and columns. Tokens are plain letters by
default, which read well anywhere (pipes, logs, screen readers); with
`colour=True` they become a red disc and a yellow ring drawn with ANSI escape
codes, two shapes, so that the tokens differ without the colour too. The last
move is drawn `(R)` and a winning four `[R]`, with or without colour.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Final, TypeAlias

from connect_four.domain.board import (
    COLUMNS,
    CONNECT,
    ROWS,
    BoardState,
    Column,
    Token,
)

Cell: TypeAlias = tuple[Column, int]
"""A slot of the board: its column and its row, 0 at the bottom."""

LETTERS: Final = {Token.RED: "R", Token.YELLOW: "Y"}
"""The letter that stands for each token when colour is off."""

_RESET: Final = "\x1b[0m"
_DISCS: Final = {
    Token.RED: f"\x1b[1;31m●{_RESET}",
    Token.YELLOW: f"\x1b[1;33m○{_RESET}",
}
_CELL_WIDTH: Final = 3
_LAST_MOVE: Final = "()"
_WINNING: Final = "[]"
_STEPS: Final = ((1, 0), (0, 1), (1, 1), (1, -1))
"""Right, up, and the two diagonals: every direction a line of four can run."""


def token_symbol(token: Token, *, colour: bool = False) -> str:
    """Return how one token is drawn: a coloured disc or ring, or its letter."""
    return _DISCS[token] if colour else LETTERS[token]


def generate_board_string(
    board_state: BoardState,
    *,
    colour: bool = False,
    last_move: Column | None = None,
    winning: Collection[Cell] = (),
) -> str:
    """Return the board as lines of text, top row first, without a final newline.

    A column missing from `board_state` is drawn empty. `last_move` marks the
    top token of that column; `winning` marks cells (a connected four, say).
    """
    last_cell = None
    if last_move is not None and board_state.get(last_move):
        last_cell = (last_move, len(board_state[last_move]) - 1)
    letters = "  " + "".join(f"{column.value:^{_CELL_WIDTH + 1}}" for column in Column)
    bar = "─" * _CELL_WIDTH
    lines = [letters.rstrip(), " ┌" + "┬".join([bar] * COLUMNS) + "┐"]
    for row in reversed(range(ROWS)):
        cells = []
        for column in Column:
            tokens = board_state.get(column, [])
            if row >= len(tokens):
                cells.append(" " * _CELL_WIDTH)
                continue
            symbol = token_symbol(tokens[row], colour=colour)
            marks = (
                _WINNING
                if (column, row) in winning
                else _LAST_MOVE
                if (column, row) == last_cell
                else "  "
            )
            cells.append(f"{marks[0]}{symbol}{marks[1]}")
        lines.append(" │" + "│".join(cells) + "│")
    lines.append(" └" + "┴".join([bar] * COLUMNS) + "┘")
    lines.append(letters.rstrip())
    return "\n".join(lines)


def winning_cells(board_state: BoardState) -> set[Cell]:
    """Return every cell that is part of a line of `CONNECT` tokens of one colour."""
    columns = list(Column)

    def token_at(x: int, y: int) -> Token | None:
        if not (0 <= x < COLUMNS and 0 <= y < ROWS):
            return None
        tokens = board_state.get(columns[x], [])
        return tokens[y] if y < len(tokens) else None

    found: set[Cell] = set()
    for x in range(COLUMNS):
        for y in range(ROWS):
            token = token_at(x, y)
            if token is None:
                continue
            for dx, dy in _STEPS:
                line = [(x + step * dx, y + step * dy) for step in range(CONNECT)]
                if all(token_at(cx, cy) == token for cx, cy in line):
                    found.update((columns[cx], cy) for cx, cy in line)
    return found
