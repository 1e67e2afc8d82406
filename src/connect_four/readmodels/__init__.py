"""The read side: projections of the game streams into lists to query (CQRS).

`games` keeps one summary per game, `leaderboard` one record and Elo rating
per player, and `ReadModels` (in `read_side`) runs both and answers queries.
They read events through the core's subscriptions and keep their documents
in a `ProjectionStorage`, never touching a database driver themselves.
"""

from connect_four.readmodels.games import GameStatus, GameSummary
from connect_four.readmodels.leaderboard import Standing
from connect_four.readmodels.read_side import ReadModels

__all__ = ["GameStatus", "GameSummary", "ReadModels", "Standing"]
