"""Saying how a game ended."""

from __future__ import annotations

import pytest

from connect_four.domain.events import PlayerResigned, WinClaimed
from connect_four.domain.result import GameResult
from connect_four.presentation import describe_result, ending_of


@pytest.mark.parametrize(
    ("result", "expected"),
    [
        (GameResult.PLAYER_ONE_WON, "ann won"),
        (GameResult.PLAYER_TWO_WON, "bob won"),
        (GameResult.TIED, "draw"),
    ],
)
def test_a_result_is_described_by_naming_the_winner(
    result: GameResult, expected: str
) -> None:
    assert describe_result(result, "ann", "bob") == expected


def test_a_resignation_names_who_gave_up_and_who_won() -> None:
    ending = ending_of(PlayerResigned("bob"))
    assert describe_result(GameResult.PLAYER_ONE_WON, "ann", "bob", ending) == (
        "bob resigned: ann won"
    )


def test_a_claimed_win_names_who_claimed_it_and_who_was_gone() -> None:
    ending = ending_of(WinClaimed("bob"))
    assert describe_result(GameResult.PLAYER_TWO_WON, "ann", "bob", ending) == (
        "bob claimed the win: ann was gone"
    )
