"""Text tables: columns as wide as their widest cell, no trailing spaces."""

from __future__ import annotations

from connect_four.presentation.table import format_table


def test_columns_fit_their_widest_cell_and_no_line_ends_in_spaces() -> None:
    table = format_table([("NAME", "NOTE"), ("ann", ""), ("bobby", "won")])

    assert table.splitlines() == ["NAME   NOTE", "ann", "bobby  won"]


def test_right_aligned_columns_line_numbers_up_on_the_right() -> None:
    table = format_table([("#", "PLAYER", "WINS"), ("1", "ann", "12")], {0, 2})

    assert table.splitlines() == ["#  PLAYER  WINS", "1  ann       12"]


def test_no_rows_make_no_table() -> None:
    assert format_table([]) == ""
