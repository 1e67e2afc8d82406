"""The `Game` aggregate on `eventsourcing.domain.Aggregate`.

The library gives the aggregate its id, version, pending events and the
`trigger_event` / `collect_events` pair; an event is a nested class whose
`apply` changes the state, and the creation event builds the aggregate by
calling `__init__`. Our core's counterpart is `connect_four.domain.game`.

A game ends on the board (`MoveMade`, then `Finished`) or off it: a player
resigns (`Resigned`, then `Finished`) or claims the win from an opponent gone
too long on their turn (`WinClaimed`, then `Finished`), each pair triggered by
one command and so saved together, as our core records them.
"""

from __future__ import annotations

from datetime import timedelta

from eventsourcing.domain import Aggregate

from connect_four.domain.board import Board, Column, Token
from connect_four.domain.exceptions import (
    ClaimOnOwnTurnError,
    ClaimTooEarlyError,
    ColumnFullError,
    GameOverError,
    NotAPlayerError,
    NotYourTurnError,
    UnknownColumnError,
)
from connect_four.domain.game import Game as CoreGame
from connect_four.domain.game import Move
from connect_four.domain.result import GameResult


class Game(Aggregate):
    """A game of Connect Four between two named players, on the library's base."""

    # Stream positions from 0, as in EventStoreDB and in our core (the
    # library's default is 1).
    INITIAL_VERSION = 0

    class Started(Aggregate.Created):
        """Two players started a game; player one moves first."""

        player_one: str
        player_two: str

    class MoveMade(Aggregate.Event):
        """A player dropped a token into a column (its letter)."""

        player: str
        column: str

        def apply(self, aggregate: Game) -> None:
            """Drop the token and pass the turn."""
            aggregate.drop(self.player, Column(self.column))

    class Finished(Aggregate.Event):
        """The game ended with a result (the `GameResult`'s value)."""

        result: str

        def apply(self, aggregate: Game) -> None:
            """Record the result; nobody moves any more."""
            aggregate.result = GameResult(self.result)
            aggregate.next_player = None

    class Forfeit(Aggregate.Event):
        """The game ends other than on the board; `Finished` follows."""

        player: str

        def apply(self, aggregate: Game) -> None:
            """Stop the play: nobody moves any more."""
            aggregate.forfeit = self
            aggregate.next_player = None

    class Resigned(Forfeit):
        """A player gave the game up; the other player wins."""

    class WinClaimed(Forfeit):
        """A player claimed the win from an opponent gone too long on their turn."""

    def __init__(self, player_one: str, player_two: str) -> None:
        # The library calls this when `Started` is applied, on every load too.
        self.player_one: str | None = player_one
        self.player_two: str | None = player_two
        self.next_player: str | None = player_one
        self.result: GameResult | None = None
        self.forfeit: Game.Forfeit | None = None
        """How the game ended if not on the board: a resignation or a claimed win."""
        self._board = Board()

    @classmethod
    def start(cls, player_one: str, player_two: str) -> Game:
        """Start a game between two differently named players.

        Raises:
            InvalidPlayersError: a name is unusable, or both names are the same.
        """
        # The name rules live in one place, the core's Game: ask it, not a copy.
        CoreGame().start_game(player_one, player_two)
        return cls._create(cls.Started, player_one=player_one, player_two=player_two)

    @property
    def has_started(self) -> bool:
        """Return whether the game has started (it always has: `Started` made it)."""
        return self.player_one is not None

    @property
    def is_finished(self) -> bool:
        """Return whether the game has ended."""
        return self.result is not None

    @property
    def board(self) -> dict[Column, list[Token]]:
        """Return a fresh copy of the board's tokens, bottom first."""
        return self._board.state

    def make_move(self, move: Move) -> None:
        """Drop the player's token, and finish the game if it connects or fills.

        Raises:
            InvalidMoveError: the move breaks a rule; the subclass says which.
        """
        if self.result is not None:
            raise GameOverError(str(self.id))
        if move.player != self.next_player:
            if move.player not in (self.player_one, self.player_two):
                raise NotAPlayerError(move.player)
            raise NotYourTurnError(move.player, str(self.next_player))
        try:
            column = Column(move.column)
        except ValueError:
            raise UnknownColumnError(move.column) from None
        if not self._board.has_room(column):
            raise ColumnFullError(column)
        self.trigger_event(self.MoveMade, player=move.player, column=column.value)
        token = Token.RED if move.player == self.player_one else Token.YELLOW
        if self._board.has_connected(token):
            won = (
                GameResult.PLAYER_ONE_WON
                if token is Token.RED
                else GameResult.PLAYER_TWO_WON
            )
            self.trigger_event(self.Finished, result=won.value)
        elif self._board.is_full():
            self.trigger_event(self.Finished, result=GameResult.TIED.value)

    def resign(self, player: str) -> None:
        """Give the game up for `player`, on any turn; the other player wins.

        Raises:
            GameOverError: the game is over already.
            NotAPlayerError: `player` is not playing in this game.
        """
        opponent = self._opponent_in_play(player)
        self.trigger_event(self.Resigned, player=player)
        self.trigger_event(self.Finished, result=self._win_for(opponent).value)

    def claim_win(self, player: str, waited: timedelta, limit: timedelta) -> None:
        """Win for `player`: the opponent has not moved on their turn for `limit`.

        Raises:
            GameOverError: the game is over already.
            NotAPlayerError: `player` is not playing in this game.
            ClaimOnOwnTurnError: it is `player`'s own turn.
            ClaimTooEarlyError: the opponent has waited less than `limit`.
        """
        opponent = self._opponent_in_play(player)
        if player == self.next_player:
            raise ClaimOnOwnTurnError(player)
        if waited < limit:
            raise ClaimTooEarlyError(player, opponent, limit - waited)
        self.trigger_event(self.WinClaimed, player=player)
        self.trigger_event(self.Finished, result=self._win_for(player).value)

    def _opponent_in_play(self, player: str) -> str:
        """Return the other player's name if `player` plays this unfinished game."""
        if self.result is not None:
            raise GameOverError(str(self.id))
        if player not in (self.player_one, self.player_two):
            raise NotAPlayerError(player)
        return str(self.player_two if player == self.player_one else self.player_one)

    def _win_for(self, player: str) -> GameResult:
        """Return the result in which `player` wins."""
        if player == self.player_one:
            return GameResult.PLAYER_ONE_WON
        return GameResult.PLAYER_TWO_WON

    def drop(self, player: str, column: Column) -> None:
        """Drop a player's token and pass the turn (state only; no rule checked)."""
        first = player == self.player_one
        self._board.drop(column, Token.RED if first else Token.YELLOW)
        self.next_player = self.player_two if first else self.player_one
