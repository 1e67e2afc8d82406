"""What the `games` listing shows about one game.

The listing renders any sequence of `GameSummary`; `cli/games.py` builds them
from the games projection (`connect_four.readmodels`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from connect_four.domain.result import GameResult


@dataclass(frozen=True, slots=True)
class GameSummary:
    """What the game list shows about one game."""

    game_id: str
    player_one: str
    player_two: str
    moves: int
    next_player: str | None
    result: GameResult | None
    started_at: datetime
    updated_at: datetime

    @property
    def is_finished(self) -> bool:
        """Return whether the game has ended."""
        return self.result is not None
