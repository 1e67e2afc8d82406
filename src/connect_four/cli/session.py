"""One game played from this terminal: draw, ask, move, or wait for the other seat.

Every move is stored the moment it is made, so leaving (q, end of input,
Ctrl-C) loses nothing: the session only tells the user how to come back.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Final, Literal, assert_never

from connect_four.cli.answers import QUIT_WORDS, RESIGN_WORDS, Request, parse_answer
from connect_four.cli.errors import INTERRUPTED, InputClosedError, InvalidAnswerError
from connect_four.cli.terminal import Terminal
from connect_four.domain.board import Column, Token
from connect_four.domain.events import MoveMade
from connect_four.domain.exceptions import (
    ColumnFullError,
    ConnectFourError,
    InvalidMoveError,
)
from connect_four.domain.game import Game, Move
from connect_four.domain.result import GameResult
from connect_four.eventsourcing.errors import ConcurrencyError
from connect_four.presentation import (
    describe_result,
    ending_of,
    generate_board_string,
    token_symbol,
    winning_cells,
)

if TYPE_CHECKING:
    from connect_four.ai.advice import EngineAdvisor
    from connect_four.ai.opponent import ComputerOpponent, Hint
    from connect_four.application.service import ConnectFourApp

HINT_SCALE: Final = (
    "  (+n: you can win, the larger the sooner; 0: a draw with best play;"
    " -n: you lose against best play, the larger the later; win, draw, loss:"
    " only the result is known; ?: too deep to work out in time)"
)
"""Told once per game, the first time the player asks for hints."""
OUTCOMES: Final = {1: "win", 0: "draw", -1: "loss"}
TERMINAL_HINT_SECONDS: Final = 2.0
"""The search a hint may take in the terminal, where no one else waits for it."""
POLL_SECONDS: Final = 0.2
"""How often a seat waiting for the other player looks for their move."""


class GameSession:
    """Play one stored game until it ends or the user leaves.

    `seat` is the one player this terminal plays, the other moving elsewhere;
    None means both human players share this terminal. A `computer` plays the
    seat named `computer.name`, through the app like anyone else.
    """

    def __init__(
        self,
        app: ConnectFourApp,
        terminal: Terminal,
        game_id: str,
        resume_hint: str,
        seat: str | None = None,
        computer: ComputerOpponent | None = None,
    ) -> None:
        self._app = app
        self._terminal = terminal
        self._game_id = game_id
        self._resume_hint = resume_hint
        self._seat = seat
        self._computer = computer
        self._scale_explained = False
        self._advisor: EngineAdvisor | None = None

    def run(self) -> int:
        """Play until the game ends or the user leaves; return the exit status."""
        try:
            return self._play()
        except InputClosedError:
            self._leave()
            return 0
        except KeyboardInterrupt:
            self._terminal.say()
            self._leave()
            return INTERRUPTED

    def _play(self) -> int:
        shown_version: int | None = None
        while True:
            # Reload before every turn: a move made in another terminal counts.
            game = self._app.load_game(self._game_id)
            if game.version != shown_version:
                self._show(game)
                shown_version = game.version
            if game.next_player is None:
                self._announce_end(game)
                return 0
            player = game.next_player
            if self._computer is not None and player == self._computer.name:
                self._computer_moves(game, player, self._computer)
            elif self._seat is not None and player != self._seat:
                if self._wait_for(game, player) is Request.QUIT:
                    self._leave()
                    return 0
            else:
                answer = self._ask_move(game, player)
                if answer is Request.QUIT:
                    self._leave()
                    return 0
                if answer is Request.RESIGN:
                    self._resign(game, player)
                else:
                    self._move(player, answer)

    def _show(self, game: Game) -> None:
        say = self._terminal.say
        say()
        moves = played(game)
        board = game.board
        say(
            generate_board_string(
                board,
                colour=self._terminal.colour,
                last_move=moves[-1].column if moves else None,
                winning=winning_cells(board) if game.is_finished else (),
            )
        )
        if moves:
            last = moves[-1]
            say(f"Move {len(moves)}: {last.player} played {last.column.value}.")

    def _symbol(self, game: Game, player: str) -> str:
        token = Token.RED if player == game.player_one else Token.YELLOW
        return token_symbol(token, colour=self._terminal.colour)

    def _ask_move(
        self, game: Game, player: str
    ) -> Column | Literal[Request.QUIT, Request.RESIGN]:
        keys = "A-G, ? hints, q quits"
        prompt = f"{player} ({self._symbol(game, player)}), your move [{keys}]: "
        while True:
            try:
                answer = parse_answer(self._terminal.ask(prompt))
            except (InvalidAnswerError, InvalidMoveError) as exc:
                self._complain(str(exc))
                continue
            if answer is Request.HINTS:
                self._show_hints(game)
                continue
            if answer is Request.RESIGN and not self._confirm_resign(game, player):
                continue
            return answer

    def _confirm_resign(self, game: Game, player: str) -> bool:
        other = game.player_two if player == game.player_one else game.player_one
        answer = self._terminal.ask(f"Resign and let {other} win, {player}? [y/N]: ")
        return answer.strip().casefold() in ("y", "yes")

    def _resign(self, game: Game, player: str) -> None:
        try:
            self._app.resign(self._game_id, player)
        except (ConnectFourError, ConcurrencyError) as exc:
            self._complain(f"The game cannot be resigned now: {exc}")

    def _move(self, player: str, column: Column) -> None:
        try:
            self._app.make_move(self._game_id, Move(player, column))
        except ColumnFullError as exc:
            self._complain(f"Column {exc.column} is full; please choose another one")
        except InvalidMoveError as exc:
            self._complain(f"That move cannot be made: {exc}")
        except ConcurrencyError:
            self._complain("The game changed in another terminal; here it is now")

    def _wait_for(self, game: Game, player: str) -> Literal[Request.QUIT] | None:
        """Wait for the other seat's move; return QUIT if the user asks to leave.

        Anything else typed meanwhile is dropped, and the user told so: a move
        is only ever made at this seat's own prompt, after the board is shown.
        """
        self._terminal.say(
            f"Waiting for {player} ({self._symbol(game, player)}) to move..."
            " (q or Ctrl-C leaves; the game is saved; resign gives up)"
        )
        app = self._app
        while app.load_game(self._game_id).version == game.version:
            typed = self._terminal.typed_while_waiting(POLL_SECONDS)
            if typed is None or not typed.strip():
                continue
            if typed.strip().casefold() in QUIT_WORDS:
                return Request.QUIT
            if typed.strip().casefold() in RESIGN_WORDS and self._seat is not None:
                if self._confirm_resign(game, self._seat):
                    self._resign(game, self._seat)
                    return None
                continue
            self._complain(
                f"It is {player}'s turn: {typed.strip()!r} was ignored;"
                " type your move when asked"
            )
        self._terminal.forget_typed()
        return None

    def _computer_moves(
        self, game: Game, player: str, computer: ComputerOpponent
    ) -> None:
        from connect_four.ai.opponent import computer_move_metadata

        self._terminal.say(f"{player} is thinking...")
        choice = computer.choose([move.column for move in played(game)])
        self._app.make_move(
            self._game_id,
            Move(player, choice.column),
            metadata=computer_move_metadata(computer.level, choice),
        )

    def _show_hints(self, game: Game) -> None:
        self._terminal.say("Working out hints...")
        hints = self._hints([move.column for move in played(game)])
        scores = "  ".join(
            f"{column.value} {hint_text(hint.score, hint.exact)}"
            for column, hint in sorted(hints.items())
        )
        self._terminal.say(f"Hints (higher is better for you): {scores}")
        if not self._scale_explained:
            self._terminal.say(HINT_SCALE)
            self._scale_explained = True

    def _hints(self, moves: list[Column]) -> Mapping[Column, Hint]:
        """Return each column's worth: the computer's engine, or one of our own."""
        if self._computer is not None:
            return self._computer.hints(moves)
        if self._advisor is None:
            from connect_four.ai.advice import EngineAdvisor

            # A player at the terminal waits for hints as for the computer's.
            self._advisor = EngineAdvisor(hint_seconds=TERMINAL_HINT_SECONDS)
        return self._advisor.hints(moves)

    def _announce_end(self, game: Game) -> None:
        if game.forfeit is not None and game.result is not None:
            ending = ending_of(game.forfeit)
            message = describe_result(
                game.result, str(game.player_one), str(game.player_two), ending
            )
            self._terminal.say(self._terminal.emphasis(f"Game over. {message}."))
            return
        match game.result:
            case GameResult.PLAYER_ONE_WON:
                message = f"{game.player_one} wins!"
            case GameResult.PLAYER_TWO_WON:
                message = f"{game.player_two} wins!"
            case GameResult.TIED | None:
                message = "It's a draw: the board is full."
            case _:
                assert_never(game.result)
        self._terminal.say(self._terminal.emphasis(f"Game over. {message}"))

    def _complain(self, message: str) -> None:
        self._terminal.say(self._terminal.warning(f"  {message}."))

    def _leave(self) -> None:
        self._terminal.say(f"saved — resume with: {self._resume_hint}")


def hint_text(score: int | None, exact: bool) -> str:
    """Return a hint as shown: "+3", "draw", "?" and the like."""
    if score is None:
        return "?"
    if exact:
        return f"{score:+d}"
    return OUTCOMES[(score > 0) - (score < 0)]


def played(game: Game) -> list[MoveMade]:
    """Return the moves made so far in a game, oldest first."""
    return [event for event in game.events if isinstance(event, MoveMade)]
