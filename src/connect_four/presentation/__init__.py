"""Show the game to people: the board as text for a terminal, results in words."""

from connect_four.presentation.board import (
    generate_board_string,
    token_symbol,
    winning_cells,
)
from connect_four.presentation.outcome import describe_result, ending_of

__all__ = [
    "describe_result",
    "ending_of",
    "generate_board_string",
    "token_symbol",
    "winning_cells",
]
