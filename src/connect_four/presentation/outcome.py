"""Say in words how a game ended."""

from __future__ import annotations

from typing import assert_never

from connect_four.domain.result import GameResult


def describe_result(result: GameResult, player_one: str, player_two: str) -> str:
    """Return a short phrase for a result, naming the winner: "ann won", "draw"."""
    match result:
        case GameResult.PLAYER_ONE_WON:
            return f"{player_one} won"
        case GameResult.PLAYER_TWO_WON:
            return f"{player_two} won"
        case GameResult.TIED:
            return "draw"
        case _:
            assert_never(result)
