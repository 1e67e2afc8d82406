"""The book generator: an entry, keeping the result, wherever search is too slow."""

from __future__ import annotations

import io

import pytest

from connect_four.ai.book import OpeningBook
from connect_four.ai.bookgen import Generator
from connect_four.ai.engine import Engine
from connect_four.ai.position import Position

WON = "233377345754465174223731671122611552"
"""A line of Pons' Test_L3_R1: the side to move wins (score 1)."""


def generate(engine: Engine, root: str, budget: int) -> OpeningBook:
    """Walk from a position with a probe budget; return the book it wrote."""
    output = io.StringIO()
    Generator(output, OpeningBook({}), budget=budget, solver=engine).walk(
        Position.from_notation(root)
    )
    return OpeningBook.from_lines(output.getvalue().splitlines())


def test_every_position_too_slow_to_solve_gets_a_move_that_keeps_the_win(
    engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    book = generate(engine, WON, budget=1)
    root = Position.from_notation(WON)
    move = book.lookup(root)
    assert move is not None
    engine.start(None)
    assert engine.reaches(root, move.column, 1)
    assert len(book) > 1
    assert WON in capsys.readouterr().err


def test_positions_the_level_can_solve_in_time_get_no_entry(engine: Engine) -> None:
    assert len(generate(engine, WON, budget=10_000_000)) == 0
