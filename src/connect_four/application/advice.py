"""`AdviceService`: the engine's word on a game, which stores nothing.

Two questions a player may ask: what is each column worth to me now (hints),
and how good was each move of this game (verdicts, as `connect-four analyse`
gives them). The answers come from an `Advisor` (the AI implements it; the
application never imports the AI) and are read-only: asking stores no event,
so hints and verdicts change nothing anyone else sees.

Worths follow the solver's score scale (docs/ai.md): positive when the player
to move wins, larger the sooner; zero for a draw; negative when they lose.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final, Protocol

from connect_four.application.errors import (
    NoHintsError,
    NoSeatsError,
)
from connect_four.application.tables import TableService
from connect_four.domain.board import COLUMNS, ROWS, Column
from connect_four.domain.events import MoveMade
from connect_four.domain.exceptions import WaitingForOpponentError
from connect_four.domain.game import Game

SCORE_CEILING: Final = (ROWS * COLUMNS + 2) // 2
"""22: a score s > 0 means a win with the winner's (22 - s)-th stone."""
OUTCOMES: Final = {1: "win", 0: "draw", -1: "loss"}


@dataclass(frozen=True, slots=True)
class Worth:
    """What a position or a column is worth to the player to move.

    `score` is the solver's exact score when `exact`; otherwise only its sign
    is known (1, 0 or -1 for a win, a draw or a loss). None: no search
    finished within its budget.
    """

    score: int | None
    exact: bool

    @property
    def outcome(self) -> int | None:
        """Return 1, 0 or -1 for a win, a draw or a loss; None if unknown."""
        return None if self.score is None else (self.score > 0) - (self.score < 0)

    def flipped(self) -> Worth:
        """Return the worth for the other player."""
        return Worth(None if self.score is None else -self.score, self.exact)

    def __str__(self) -> str:
        """Return the worth as `analyse` prints it: "+3", "draw", "?"."""
        if self.score is None:
            return "?"
        if self.exact:
            return f"{self.score:+d}"
        return OUTCOMES[self.outcome or 0]

    def words(self, moves: int) -> str:
        """Return the worth in plain words, in a position of `moves` stones.

        "win in 3" counts the player's own moves, this one included; "lose in
        2" counts the opponent's moves.
        """
        if self.score is None:
            return "unknown: too deep to work out in time"
        if not self.exact:
            return {1: "a win", 0: "a draw", -1: "a loss"}[self.outcome or 0]
        if self.score == 0:
            return "draw"
        own = moves // 2  # the stones the player to move has played
        if self.score > 0:
            return f"win in {SCORE_CEILING - self.score - own}"
        return f"lose in {SCORE_CEILING + self.score - (moves - own)}"


class Verdict(enum.StrEnum):
    """How good a move was, from the worth it kept and the best there was."""

    BEST = "best"
    """It kept the best exact score there was."""
    GOOD = "good"
    """It kept the result (win, draw or loss); the exact scores are unknown."""
    INACCURACY = "inaccuracy"
    """It kept the result, but a slower win or a quicker loss than the best."""
    MISTAKE = "mistake"
    """It turned a win into a draw, or a draw into a loss."""
    BLUNDER = "blunder"
    """It turned a win into a loss."""
    UNKNOWN = "unknown"
    """No search finished in time for the position before or after it."""


@dataclass(frozen=True, slots=True)
class JudgedMove:
    """One move of a game: who played which column, what it kept, what was best."""

    number: int
    player: str
    column: Column
    kept: Worth
    best: Worth

    @property
    def verdict(self) -> Verdict:
        """Return the move's verdict."""
        best, kept = self.best.outcome, self.kept.outcome
        if best is None or kept is None:
            return Verdict.UNKNOWN
        if kept < best:
            return Verdict.BLUNDER if best - kept == 2 else Verdict.MISTAKE
        if not (self.best.exact and self.kept.exact):
            return Verdict.GOOD
        if self.kept.score == self.best.score:
            return Verdict.BEST
        return Verdict.INACCURACY

    @property
    def mistake(self) -> str | None:
        """Return what the move threw away, if it made the result worse."""
        best, kept = self.best.outcome, self.kept.outcome
        if best is None or kept is None or kept >= best:
            return None
        return f"turns a {OUTCOMES[best]} into a {OUTCOMES[kept]}"


@dataclass(frozen=True, slots=True)
class Hints:
    """Each legal column's worth to the player whose turn it is."""

    game_id: str
    player: str
    moves: int
    """The stones on the board: the plain words depend on them."""
    columns: Mapping[Column, Worth]

    def words(self, column: Column) -> str:
        """Return a column's worth in plain words ("win in 3", "draw")."""
        return self.columns[column].words(self.moves)


class Advisor(Protocol):
    """The engine, as advice needs it (`connect_four.ai.advice` implements it)."""

    def hints(self, moves: Sequence[Column]) -> Mapping[Column, Worth]:
        """Return each legal column's worth to the player to move after `moves`.

        Raises:
            AdvisorBusyError: other requests keep the engine busy.
        """
        ...

    def judge(self, moves: Sequence[Column]) -> Sequence[Worth]:
        """Return the worth of each position of the game to its player to move.

        One worth per position: the empty board, then after each move; a
        finished position is worth a loss (or a draw) to the player to move.

        Raises:
            AdvisorBusyError: other requests keep the engine busy.
        """
        ...


class AdviceService:
    """Hints for the player to move and verdicts on every move, storing nothing."""

    def __init__(self, tables: TableService, advisor: Advisor) -> None:
        self._tables = tables
        self._advisor = advisor

    def hints(self, game_id: str) -> Hints:
        """Return the hints for the player whose turn it is (any client's game).

        Raises:
            UnknownGameError: there is no such game.
            WaitingForOpponentError: seat two is still free.
            NoHintsError: the game is over.
            AdvisorBusyError: the engine is busy with other requests.
        """
        return self._hints(self._game(game_id))

    def hints_for_seat(self, game_id: str, token: str) -> Hints:
        """Return the hints for the holder of a seat token, if it is their turn.

        Raises:
            UnknownGameError: there is no such game.
            NoSeatsError: the game was not opened with seats.
            SeatTokenRejectedError: the token holds no seat in the game.
            WaitingForOpponentError: seat two is still free.
            NoHintsError: the game is over, or it is the other player's turn.
            AdvisorBusyError: the engine is busy with other requests.
        """
        seated = self._tables.look(game_id)
        if seated.table is None:
            raise NoSeatsError(game_id)
        holder = self._tables.holder(seated.table, token)
        game = seated.game
        if game is None:
            raise WaitingForOpponentError(game_id)
        if not game.is_finished and game.next_player != holder.player:
            raise NoHintsError(game_id, f"it is {game.next_player}'s turn")
        return self._hints(game)

    def verdicts(self, game_id: str) -> list[JudgedMove]:
        """Return every move of a game so far with the engine's verdict on it.

        A game still waiting for its second player has no moves: none.

        Raises:
            UnknownGameError: there is no such game.
            AdvisorBusyError: the engine is busy with other requests.
        """
        game = self._tables.look(game_id).game
        made = [] if game is None else _moves(game)
        if not made:
            return []
        worths = self._advisor.judge([move.column for move in made])
        return [
            JudgedMove(number, move.player, move.column, worths[number].flipped(), best)
            for number, (move, best) in enumerate(
                zip(made, worths[:-1], strict=True), start=1
            )
        ]

    def _game(self, game_id: str) -> Game:
        game = self._tables.look(game_id).game
        if game is None:
            raise WaitingForOpponentError(game_id)
        return game

    def _hints(self, game: Game) -> Hints:
        if game.is_finished or game.next_player is None:
            raise NoHintsError(game.id, "the game is over")
        made = [move.column for move in _moves(game)]
        columns = self._advisor.hints(made)
        return Hints(
            game.id, game.next_player, len(made), dict(sorted(columns.items()))
        )


def _moves(game: Game) -> list[MoveMade]:
    return [event for event in game.events if isinstance(event, MoveMade)]
