"""`ConnectFourApp`: the commands and queries that clients call."""

from __future__ import annotations

from dataclasses import dataclass

from connect_four.application.ports import IGameRepository
from connect_four.domain.board import BoardState
from connect_four.domain.game import Game, Move
from connect_four.domain.result import GameResult
from connect_four.eventsourcing.errors import ConcurrencyError


@dataclass(frozen=True, slots=True)
class GameState:
    """What a client may know about a game."""

    player_one: str | None
    player_two: str | None
    next_player: str | None
    is_finished: bool
    result: GameResult | None
    board: BoardState


class ConnectFourApp:
    """Create games, make moves and read a game's state, through a repository."""

    def __init__(self, game_repository: IGameRepository) -> None:
        self._games = game_repository

    def create_game(self, player_one: str, player_two: str) -> str:
        """Start a new game and return its id.

        Raises:
            InvalidPlayersError: a name is unusable or both are the same.
        """
        game = Game()
        game.start_game(player_one, player_two)
        self._games.add(game)
        return game.id

    def make_move(self, game_id: str, move: Move) -> None:
        """Make a move in a game.

        If another writer changed the game between loading and storing, the
        move is checked once more against the fresh state: the caller then gets
        the true reason it cannot be made (say, it is no longer their turn), or
        the move is stored if it is still legal.

        Raises:
            UnknownGameError: there is no such game.
            InvalidMoveError: the move breaks a rule; the subclass says which.
            ConcurrencyError: the game changed again during the retry.
        """
        game = self._games.get(game_id)
        game.make_move(move)
        try:
            self._games.add(game)
        except ConcurrencyError:
            game = self._games.get(game_id)
            game.make_move(move)
            self._games.add(game)

    def get_game(self, game_id: str) -> GameState:
        """Return the current state of a game.

        Raises:
            UnknownGameError: there is no such game.
        """
        game = self._games.get(game_id)
        return GameState(
            player_one=game.player_one,
            player_two=game.player_two,
            next_player=game.next_player,
            is_finished=game.is_finished,
            result=game.result,
            board=game.board,
        )

    def load_game(self, game_id: str) -> Game:
        """Return the game aggregate itself, for clients that show its history.

        Raises:
            UnknownGameError: there is no such game.
        """
        return self._games.get(game_id)
