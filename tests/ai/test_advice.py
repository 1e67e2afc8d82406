"""EngineAdvisor: hints and position worths within a budget, one search at a time."""

from __future__ import annotations

import threading

import pytest

from connect_four.ai.advice import EngineAdvisor, position_worths, solved
from connect_four.ai.book import OpeningBook
from connect_four.ai.engine import Engine
from connect_four.ai.position import Position, to_columns
from connect_four.application.advice import Worth
from connect_four.application.errors import AdvisorBusyError
from connect_four.domain.board import Column
from tests.ai.conftest import pons_lines

WON_SOON = "7422341735647741166133573473242566"
"""A position where the side to move wins with B or F (+1), and loses with E."""
NO_BOOK = OpeningBook({})


def columns(notation: str) -> list[Column]:
    return to_columns(Position.from_notation(notation).history)


def advisor(engine: Engine, book: OpeningBook = NO_BOOK) -> EngineAdvisor:
    return EngineAdvisor(engine=engine, book=book, hint_seconds=2.0, judge_seconds=0.3)


def test_hints_give_each_legal_column_its_exact_score(engine: Engine) -> None:
    hints = advisor(engine).hints(columns(WON_SOON))

    assert hints == {
        Column.A: Worth(-3, exact=True),
        Column.B: Worth(1, exact=True),
        Column.E: Worth(-4, exact=True),
        Column.F: Worth(1, exact=True),
    }


def test_hints_on_the_empty_board_come_from_the_book_without_an_engine() -> None:
    hints = EngineAdvisor(book=OpeningBook.shipped()).hints([])

    assert {column.value: worth.outcome for column, worth in hints.items()} == {
        "A": -1,
        "B": -1,
        "C": 0,
        "D": 1,
        "E": 0,
        "F": -1,
        "G": -1,
    }


def test_a_column_too_deep_for_the_budget_is_unknown(engine: Engine) -> None:
    hints = EngineAdvisor(engine=engine, book=NO_BOOK, hint_seconds=1e-6).hints(
        columns("44")
    )

    assert set(hints.values()) == {Worth(None, exact=False)}


@pytest.mark.parametrize("set_name", ["Test_L3_R1", "Test_L2_R1"])
def test_a_positions_worth_is_its_pons_score(engine: Engine, set_name: str) -> None:
    for notation, score in pons_lines(set_name)[:20]:
        worth = solved(engine, Position.from_notation(notation), 6_000_000)
        assert worth == Worth(score, exact=True), notation


def test_a_finished_position_is_worth_a_loss_to_the_player_to_move(
    engine: Engine,
) -> None:
    worths = advisor(engine).judge(columns(WON_SOON + "2"))

    assert worths[-2] == Worth(1, exact=True)
    assert worths[-1] == Worth(-1, exact=True)
    assert len(worths) == len(WON_SOON) + 2


def test_the_book_knows_the_opening_and_the_move_it_plays() -> None:
    book = OpeningBook.shipped()
    # No engine search: a budget of nothing leaves only the book's answers.
    worths = position_worths(Engine(table_size=1009), book, columns("4"), 0)

    assert [worth.outcome for worth in worths] == [1, -1]


def test_a_second_request_waits_then_is_refused_while_the_engine_is_held(
    engine: Engine,
) -> None:
    busy = EngineAdvisor(engine=engine, book=NO_BOOK, wait_seconds=0.01)
    held = threading.Event()
    release = threading.Event()

    def hold() -> None:
        with busy._engine_held():
            held.set()
            release.wait()

    holder = threading.Thread(target=hold)
    holder.start()
    held.wait()
    try:
        with pytest.raises(AdvisorBusyError):
            busy.judge(columns("4455"))
    finally:
        release.set()
        holder.join()


def test_a_games_worths_are_worked_out_once(engine: Engine) -> None:
    cached = advisor(engine)
    first = cached.judge(columns(WON_SOON))
    engine.nodes = -1  # every search starts by resetting it

    assert cached.judge(columns(WON_SOON)) == first
    assert engine.nodes == -1


class CountingEngine(Engine):
    """An engine that adds up the nodes of every search it runs."""

    def __init__(self) -> None:
        super().__init__(table_size=1_048_573)
        self.total = 0

    def start(self, node_limit: int | None) -> None:
        self.total += self.nodes
        super().start(node_limit)


def test_a_games_worths_never_search_more_than_their_budget() -> None:
    engine = CountingEngine()
    budget = 200_000

    worths = position_worths(engine, NO_BOOK, columns("445544332"), budget)

    engine.start(0)  # counts the last search
    assert engine.total <= budget + len(worths)  # a search stops one node late
    assert worths[0] == Worth(None, exact=False)  # the empty board is too deep
