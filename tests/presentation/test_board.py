"""Drawing the board as text."""

from __future__ import annotations

from connect_four.domain.board import COLUMNS, ROWS, BoardState, Column, Token
from connect_four.presentation import generate_board_string

ESCAPE = "\x1b["


def empty_board() -> BoardState:
    return {column: [] for column in Column}


def cell_rows(drawing: str) -> list[list[str]]:
    """Return the drawn cells, top row first, each stripped of its padding."""
    return [
        [cell.strip() for cell in line.strip().strip("│").split("│")]
        for line in drawing.splitlines()
        if line.strip().startswith("│")
    ]


def test_an_empty_board_has_a_row_of_empty_cells_per_board_row() -> None:
    rows = cell_rows(generate_board_string(empty_board()))

    assert rows == [[""] * COLUMNS] * ROWS


def test_the_column_letters_head_and_foot_the_board() -> None:
    lines = generate_board_string(empty_board()).splitlines()

    letters = [column.value for column in Column]
    assert lines[0].split() == letters
    assert lines[-1].split() == letters


def test_each_letter_sits_above_its_column_of_cells() -> None:
    board = empty_board()
    board[Column.C] = [Token.RED]
    lines = generate_board_string(board).splitlines()

    assert lines[0].index("C") == lines[-3].index("R")


def test_tokens_are_drawn_from_the_bottom_of_their_column() -> None:
    board = empty_board()
    board[Column.A] = [Token.RED, Token.YELLOW]
    board[Column.G] = [Token.YELLOW]

    rows = cell_rows(generate_board_string(board))

    assert rows[-1] == ["R", "", "", "", "", "", "Y"]
    assert rows[-2] == ["Y", "", "", "", "", "", ""]
    assert all(cell == "" for row in rows[:-2] for cell in row)


def test_a_full_column_fills_every_row() -> None:
    board = empty_board()
    board[Column.D] = [Token.RED, Token.YELLOW] * (ROWS // 2)

    rows = cell_rows(generate_board_string(board))

    assert [row[3] for row in rows] == ["Y", "R"] * (ROWS // 2)


def test_a_column_missing_from_the_state_is_drawn_empty() -> None:
    board: BoardState = {Column.B: [Token.RED]}

    rows = cell_rows(generate_board_string(board))

    assert rows[-1] == ["", "R", "", "", "", "", ""]


def test_without_colour_the_drawing_holds_no_escape_codes() -> None:
    board = empty_board()
    board[Column.A] = [Token.RED, Token.YELLOW]

    assert ESCAPE not in generate_board_string(board)


def test_with_colour_tokens_become_red_and_yellow_discs() -> None:
    board = empty_board()
    board[Column.A] = [Token.RED, Token.YELLOW]

    drawing = generate_board_string(board, colour=True)

    assert "\x1b[1;31m●" in drawing
    assert "\x1b[1;33m●" in drawing
    assert cell_rows(drawing)[-1][0] != "R"
