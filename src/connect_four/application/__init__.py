"""The application service: the game's commands and queries, over a repository."""

from connect_four.application.errors import UnknownGameError
from connect_four.application.ports import IGameRepository
from connect_four.application.service import ConnectFourApp, GameState

__all__ = ["ConnectFourApp", "GameState", "IGameRepository", "UnknownGameError"]
