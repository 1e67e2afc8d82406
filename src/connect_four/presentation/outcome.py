"""Say in words how a game ended."""

from __future__ import annotations

from typing import TypeAlias, assert_never

from connect_four.domain.events import Forfeit, PlayerResigned
from connect_four.domain.result import GameResult

Ending: TypeAlias = tuple[str, str]
"""How a game ended off the board: `resigned` or `claimed`, and by whom."""


def describe_result(
    result: GameResult,
    player_one: str,
    player_two: str,
    ending: Ending | None = None,
) -> str:
    """Return a short phrase for a result, naming the winner: "ann won", "draw".

    A game ended off the board says how: "bob resigned: ann won", "ann
    claimed the win: bob was gone".
    """
    if ending is not None:
        kind, player = ending
        if kind == "resigned":
            return f"{player} resigned: {_winner(result, player_one, player_two)}"
        other = player_two if player == player_one else player_one
        return f"{player} claimed the win: {other} was gone"
    return _winner(result, player_one, player_two)


def ending_of(forfeit: Forfeit | None) -> Ending | None:
    """Return how a game ended off the board, from the event that ended it."""
    if forfeit is None:
        return None
    kind = "resigned" if isinstance(forfeit, PlayerResigned) else "claimed"
    return kind, forfeit.player


def _winner(result: GameResult, player_one: str, player_two: str) -> str:
    match result:
        case GameResult.PLAYER_ONE_WON:
            return f"{player_one} won"
        case GameResult.PLAYER_TWO_WON:
            return f"{player_two} won"
        case GameResult.TIED:
            return "draw"
        case _:
            assert_never(result)
