"""Saying how a game ended."""

from __future__ import annotations

import pytest

from connect_four.domain.result import GameResult
from connect_four.presentation import describe_result


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
