"""Drawing the board as text."""

from __future__ import annotations

import re

from connect_four.domain.board import COLUMNS, ROWS, BoardState, Column, Token
from connect_four.presentation import generate_board_string, winning_cells

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


def test_with_colour_tokens_become_a_red_disc_and_a_yellow_ring() -> None:
    board = empty_board()
    board[Column.A] = [Token.RED, Token.YELLOW]

    drawing = generate_board_string(board, colour=True)

    assert "\x1b[1;31m●" in drawing
    assert "\x1b[1;33m○" in drawing
    assert cell_rows(drawing)[-1][0] != "R"


def test_the_two_tokens_are_drawn_in_two_shapes_without_colour_codes() -> None:
    board = empty_board()
    board[Column.A] = [Token.RED, Token.YELLOW]

    drawing = re.sub(r"\x1b\[[0-9;]*m", "", generate_board_string(board, colour=True))

    assert cell_rows(drawing)[-1][0] != cell_rows(drawing)[-2][0]


def test_the_last_move_is_drawn_in_parentheses() -> None:
    board = empty_board()
    board[Column.C] = [Token.RED, Token.YELLOW]

    rows = cell_rows(generate_board_string(board, last_move=Column.C))

    assert rows[-2][2] == "(Y)"
    assert rows[-1][2] == "R"


def test_a_connected_four_is_drawn_in_brackets() -> None:
    board = empty_board()
    for column in (Column.A, Column.B, Column.C, Column.D):
        board[column] = [Token.RED]
    board[Column.E] = [Token.YELLOW]

    cells = winning_cells(board)
    rows = cell_rows(generate_board_string(board, winning=cells, last_move=Column.D))

    assert rows[-1] == ["[R]", "[R]", "[R]", "[R]", "Y", "", ""]


def test_diagonal_fours_are_found() -> None:
    board = empty_board()
    board[Column.A] = [Token.RED]
    board[Column.B] = [Token.YELLOW, Token.RED]
    board[Column.C] = [Token.YELLOW, Token.YELLOW, Token.RED]
    board[Column.D] = [Token.YELLOW, Token.YELLOW, Token.YELLOW, Token.RED]

    assert winning_cells(board) == {
        (Column.A, 0),
        (Column.B, 1),
        (Column.C, 2),
        (Column.D, 3),
    }
