"""The `Game` aggregate: the rules of Connect Four over its events."""

from __future__ import annotations

import copy
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Self, assert_never

from connect_four.domain.board import Board, BoardState, Column, Token
from connect_four.domain.events import (
    Forfeit,
    GameEvent,
    GameFinished,
    GameStarted,
    MoveMade,
    PlayerResigned,
    WinClaimed,
)
from connect_four.domain.exceptions import (
    ClaimOnOwnTurnError,
    ClaimTooEarlyError,
    ColumnFullError,
    GameAlreadyStartedError,
    GameNotStartedError,
    GameOverError,
    NotAPlayerError,
    NotYourTurnError,
    SamePlayerError,
    UnknownColumnError,
)
from connect_four.domain.names import check_name, same_player
from connect_four.domain.result import GameResult
from connect_four.eventsourcing.aggregate import Aggregate
from connect_four.eventsourcing.errors import ImpossibleEventError


@dataclass(frozen=True, slots=True)
class Move:
    """A player's wish to drop a token into a column."""

    player: str
    column: Column


class Game(Aggregate[GameEvent]):
    """A game of Connect Four between two named players."""

    def __init__(self, id: str | None = None) -> None:
        super().__init__(str(uuid.uuid4()) if id is None else id)
        self.player_one: str | None = None
        self.player_two: str | None = None
        self.next_player: str | None = None
        self.result: GameResult | None = None
        self.forfeit: Forfeit | None = None
        """How the game ended if not on the board: a resignation or a claimed win."""
        self._board = Board()

    @property
    def has_started(self) -> bool:
        """Return whether the game has started."""
        return self.player_one is not None

    @property
    def is_finished(self) -> bool:
        """Return whether the game has ended."""
        return self.result is not None

    @property
    def board(self) -> BoardState:
        """Return a fresh copy of the board's tokens, bottom first."""
        return self._board.state

    def clone(self) -> Self:
        """Return an independent copy: the board and event lists are copied too.

        The names and the result are immutable values and can be shared.
        """
        twin = copy.copy(self)
        twin.historical_events = list(self.historical_events)
        twin.uncommitted_events = list(self.uncommitted_events)
        twin._board = self._board.copy()
        return twin

    def start_game(self, player_one: str, player_two: str) -> None:
        """Start the game between two differently named players.

        Raises:
            GameAlreadyStartedError: the game has started before.
            InvalidPlayersError: a name is unusable, or both names are the same.
        """
        if self.has_started:
            raise GameAlreadyStartedError(self.id)
        check_name(player_one)
        check_name(player_two)
        if same_player(player_one, player_two):
            raise SamePlayerError(player_two)
        self.record(GameStarted(player_one, player_two))

    def make_move(self, move: Move) -> None:
        """Drop the player's token, and finish the game if it connects or fills.

        Raises:
            InvalidMoveError: the move breaks a rule; the subclass says which.
        """
        if self.player_one is None:
            raise GameNotStartedError(self.id)
        if self.result is not None:
            raise GameOverError(self.id)
        player = move.player
        if player != self.next_player:
            if player not in (self.player_one, self.player_two):
                raise NotAPlayerError(player)
            raise NotYourTurnError(player, str(self.next_player))
        try:
            column = Column(move.column)
        except ValueError:
            raise UnknownColumnError(move.column) from None
        if not self._board.has_room(column):
            raise ColumnFullError(column)
        self.record(MoveMade(player, column))
        token = Token.RED if player == self.player_one else Token.YELLOW
        if self._board.has_connected(token):
            won = GameResult.PLAYER_ONE_WON
            self.record(
                GameFinished(won if token is Token.RED else GameResult.PLAYER_TWO_WON)
            )
        elif self._board.is_full():
            self.record(GameFinished(GameResult.TIED))

    def resign(self, player: str) -> None:
        """Give the game up for `player`, on any turn; the other player wins.

        Raises:
            GameNotStartedError: the game has not started.
            GameOverError: the game is over already.
            NotAPlayerError: `player` is not playing in this game.
        """
        self._check_in_play(player)
        self.record(PlayerResigned(player))
        self.record(GameFinished(self._forfeit_result(player, resigned=True)))

    def claim_win(self, player: str, waited: timedelta, limit: timedelta) -> None:
        """Win for `player`: the opponent has not moved on their turn for `limit`.

        `waited` is how long the game has been waiting for the opponent's
        move (the caller reads the clock; the game keeps no time).

        Raises:
            GameNotStartedError: the game has not started.
            GameOverError: the game is over already.
            NotAPlayerError: `player` is not playing in this game.
            ClaimOnOwnTurnError: it is `player`'s own turn.
            ClaimTooEarlyError: the opponent has waited less than `limit`.
        """
        opponent = self._check_in_play(player)
        if player == self.next_player:
            raise ClaimOnOwnTurnError(player)
        if waited < limit:
            raise ClaimTooEarlyError(player, opponent, limit - waited)
        self.record(WinClaimed(player))
        self.record(GameFinished(self._forfeit_result(player, resigned=False)))

    def _check_in_play(self, player: str) -> str:
        """Return the other player's name if `player` plays this unfinished game."""
        if self.player_one is None or self.player_two is None:
            raise GameNotStartedError(self.id)
        if self.result is not None:
            raise GameOverError(self.id)
        if player not in (self.player_one, self.player_two):
            raise NotAPlayerError(player)
        return self.player_two if player == self.player_one else self.player_one

    def _forfeit_result(self, player: str, *, resigned: bool) -> GameResult:
        """Return the result when `player` resigns (or claims the win)."""
        first = player == self.player_one
        if first != resigned:
            return GameResult.PLAYER_ONE_WON
        return GameResult.PLAYER_TWO_WON

    def apply(self, event: GameEvent) -> None:
        """Change the game's state by one event.

        Raises:
            ImpossibleEventError: the event cannot follow the game's history,
                which happens only when stored events were damaged or edited.
        """
        match event:
            case GameStarted(player_one=player_one, player_two=player_two):
                if self.player_one is not None:
                    raise ImpossibleEventError("the game has already started")
                self.player_one = player_one
                self.player_two = player_two
                self.next_player = player_one
            case MoveMade(player=player, column=column):
                if player != self.next_player or player is None:
                    raise ImpossibleEventError(f"{player!r} cannot move now")
                first = player == self.player_one
                try:
                    self._board.drop(column, Token.RED if first else Token.YELLOW)
                except ColumnFullError as error:
                    raise ImpossibleEventError(str(error)) from error
                self.next_player = self.player_two if first else self.player_one
            case GameFinished(result=result):
                forfeit = self.forfeit
                if forfeit is None:
                    if self.next_player is None:
                        raise ImpossibleEventError("the game is not in progress")
                    if result is not self._decided():
                        raise ImpossibleEventError(
                            f"the board does not show the result {result}"
                        )
                elif self.result is not None:
                    raise ImpossibleEventError("the game is over already")
                elif result is not self._forfeit_result(
                    forfeit.player, resigned=isinstance(forfeit, PlayerResigned)
                ):
                    raise ImpossibleEventError(
                        f"{type(forfeit).__name__} by {forfeit.player} cannot"
                        f" end in {result}"
                    )
                self.result = result
                self.next_player = None
            case PlayerResigned() | WinClaimed():
                self._apply_forfeit(event)
            case _:
                assert_never(event)

    def _apply_forfeit(self, event: Forfeit) -> None:
        """Stop the play on a resignation or a claimed win; `GameFinished` follows."""
        if self.next_player is None:
            raise ImpossibleEventError("the game is not in progress")
        if event.player not in (self.player_one, self.player_two):
            raise ImpossibleEventError(f"{event.player!r} is not playing")
        if isinstance(event, WinClaimed) and event.player == self.next_player:
            raise ImpossibleEventError(f"{event.player!r} cannot claim on their turn")
        self.forfeit = event
        self.next_player = None

    def check_history(self) -> None:
        """Raise if the game was decided, but its history never says it finished.

        A move that connects four or fills the board is stored with its
        `GameFinished` in one append. Tokens are never taken back, so a board
        that shows a result in a game without one means that `GameFinished`
        is missing, whether more moves followed it or not. Checking the end of
        a load costs two bitboard tests, instead of one on every move.

        Raises:
            ImpossibleEventError: the board shows a result the game lacks;
                `position` is the move that decided it, when it can be found.
        """
        if self.result is not None or self.player_one is None:
            return
        if self.forfeit is not None:
            error = ImpossibleEventError(
                f"{type(self.forfeit).__name__} is not followed by GameFinished"
            )
            error.position = self.version
            raise error
        if self._decided() is None:
            return
        error = ImpossibleEventError(
            "this move decided the game, but no GameFinished follows it"
        )
        error.position = self._deciding_position()
        raise error

    def _deciding_position(self) -> int | None:
        """Return the stream position of the move that decided the game, if known.

        Replays the history on a scratch board; only a damaged game gets here.
        """
        history = self.historical_events
        if len(history) != self.version + 1:
            return None  # loaded from a snapshot: the early events are not here
        scratch = Game(self.id)
        for position, event in enumerate(history):
            scratch.apply(event)
            if isinstance(event, MoveMade) and scratch._decided() is not None:
                return position
        return None

    def _decided(self) -> GameResult | None:
        """Return the result the board shows, if it shows one."""
        if self._board.has_connected(Token.RED):
            return GameResult.PLAYER_ONE_WON
        if self._board.has_connected(Token.YELLOW):
            return GameResult.PLAYER_TWO_WON
        return GameResult.TIED if self._board.is_full() else None
