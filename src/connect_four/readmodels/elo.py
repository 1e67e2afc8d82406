"""Elo ratings: each finished game moves its two players' ratings towards the result."""

from __future__ import annotations

import math
from typing import Final

INITIAL_RATING: Final = 1500.0
"""The rating of a player before their first finished game."""

K_FACTOR: Final = 32.0
"""How far one game can move a rating: the usual factor for club players."""

WIN: Final = 1.0
DRAW: Final = 0.5
LOSS: Final = 0.0


def expected_score(rating: float, opponent: float) -> float:
    """Return the score (1 a win, 0.5 a draw) a player is expected to make."""
    return 1.0 / (1.0 + math.pow(10.0, (opponent - rating) / 400.0))


def rate(rating: float, opponent: float, score: float) -> tuple[float, float]:
    """Return both players' new ratings after a game the first one scored `score` in."""
    change = K_FACTOR * (score - expected_score(rating, opponent))
    return rating + change, opponent - change
