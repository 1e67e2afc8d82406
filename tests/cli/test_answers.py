"""What a player may type at the move prompt."""

from __future__ import annotations

import pytest

from connect_four.cli.answers import Request, parse_answer
from connect_four.cli.errors import InvalidAnswerError
from connect_four.domain.board import Column
from connect_four.domain.exceptions import UnknownColumnError


@pytest.mark.parametrize(
    ("typed", "column"),
    [
        ("A", Column.A),
        ("g", Column.G),
        (" d ", Column.D),
        ("1", Column.A),
        ("7", Column.G),
    ],
)
def test_a_letter_or_a_number_from_one_names_a_column(
    typed: str, column: Column
) -> None:
    assert parse_answer(typed) is column


@pytest.mark.parametrize("typed", ["q", "Q", "quit", "exit"])
def test_q_asks_to_leave(typed: str) -> None:
    assert parse_answer(typed) is Request.QUIT


def test_a_question_mark_asks_for_hints() -> None:
    assert parse_answer("?") is Request.HINTS


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("", "nothing was typed"),
        ("   ", "nothing was typed"),
        ("A" * 11, "that is longer than 10 characters"),
        ("\x1b[A", "that holds control characters"),
        ("a\tb", "that holds control characters"),
    ],
)
def test_an_unusable_answer_is_refused_with_its_reason(typed: str, reason: str) -> None:
    with pytest.raises(InvalidAnswerError) as refused:
        parse_answer(typed)

    assert refused.value.reason == reason
    assert str(refused.value).startswith(reason)


@pytest.mark.parametrize("typed", ["H", "0", "8", "AB", "é"])
def test_an_answer_naming_no_column_is_refused_by_the_game_rule(typed: str) -> None:
    with pytest.raises(UnknownColumnError) as refused:
        parse_answer(typed)

    assert refused.value.column == typed
