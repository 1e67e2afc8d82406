"""Given: the application service the terminal game plays through.

It is the seed's `ConnectFourApp`: commands load a game, decide and store it;
the query returns a plain `GameState`. You do not change this file; it uses
your `Game` and whichever repository it is given.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from connect_four.application import UnknownGameError
from connect_four.domain.board import BoardState
from connect_four.domain.result import GameResult
from mygame.game import Game, Move


@dataclass(frozen=True)
class GameState:
    """What a client may know about a game."""

    player_one: str | None
    player_two: str | None
    next_player: str | None
    is_finished: bool
    result: GameResult | None
    board: BoardState


class InMemoryGameRepository:
    """Keep game objects in a dict: enough to play before exercise 3."""

    def __init__(self) -> None:
        self._games: dict[str, Game] = {}

    def add(self, game: Game) -> None:
        """Keep the game."""
        self._games[game.id] = game

    def get(self, game_id: str) -> Game:
        """Return a kept game.

        Raises:
            UnknownGameError: no such game.
        """
        try:
            return self._games[game_id]
        except KeyError:
            raise UnknownGameError(game_id) from None


class GameRepositoryLike(Protocol):
    """What the app needs of a repository: `add(game)` and `get(game_id)`."""

    def add(self, game: Game) -> None:
        """Store the game's new events."""
        ...

    def get(self, game_id: str) -> Game:
        """Load a game."""
        ...


class ConnectFourApp:
    """Create games, make moves and read a game's state, through a repository."""

    def __init__(self, game_repository: GameRepositoryLike) -> None:
        self._games = game_repository

    def create_game(self, player_one: str, player_two: str) -> str:
        """Start a new game and return its id."""
        game = Game()
        game.start_game(player_one, player_two)
        self._games.add(game)
        return game.id

    def make_move(self, game_id: str, move: Move) -> None:
        """Make a move in a game."""
        game = self._games.get(game_id)
        game.make_move(move)
        self._games.add(game)

    def get_game(self, game_id: str) -> GameState:
        """Return the current state of a game."""
        game = self._games.get(game_id)
        return GameState(
            game.player_one,
            game.player_two,
            game.next_player,
            game.is_finished,
            game.result,
            game.board,
        )
