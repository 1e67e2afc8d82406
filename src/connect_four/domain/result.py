"""How a game of Connect Four can end."""

from __future__ import annotations

import enum


class GameResult(enum.StrEnum):
    """The outcome of a finished game; stored by name."""

    PLAYER_ONE_WON = "PLAYER_ONE_WON"
    PLAYER_TWO_WON = "PLAYER_TWO_WON"
    TIED = "TIED"
