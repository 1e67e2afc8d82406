"""The computer opponent on the web: seat two of a game, played by the server.

The AI's engine (`connect_four.ai.players`) is imported only when a game
against it is opened or played, so the web app starts without it (see
`connect_four.ai.opponent`). The computer moves through `ConnectFourApp` as a
person does; what its search said about the move goes into the event's
metadata, never into its data.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Sequence

from connect_four.ai.opponent import (
    AIModuleMissingError,
    Choice,
    ComputerOpponent,
    UnknownComputerLevelError,
    load_computer,
)
from connect_four.domain.board import Column
from connect_four.web.errors import InvalidFieldError


class Computers:
    """One computer player per level, each used by one thread at a time."""

    def __init__(self, seed: int | None = None) -> None:
        self._seed = seed
        self._players: dict[str, ComputerOpponent] = {}
        self._lock = threading.Lock()

    def name(self, level: str) -> str:
        """Return the name the computer plays under at a level.

        Raises:
            InvalidFieldError: there is no such level, or no AI at all.
        """
        return self._player(level).name

    def choose(self, level: str, moves: Sequence[Column]) -> Choice:
        """Return the computer's choice after the moves so far.

        Raises:
            InvalidFieldError: there is no such level, or no AI at all.
        """
        player = self._player(level)
        # The engine keeps search tables between moves: one search at a time.
        with self._lock:
            return player.choose(moves)

    def _player(self, level: str) -> ComputerOpponent:
        with self._lock:
            player = self._players.get(level)
            if player is None:
                try:
                    player = load_computer(level, random.Random(self._seed))
                except AIModuleMissingError:
                    reason = "is not available: the AI is not installed"
                    raise InvalidFieldError("computer", reason) from None
                except UnknownComputerLevelError as exc:
                    reason = "must be one of " + ", ".join(exc.levels)
                    raise InvalidFieldError("computer", reason) from None
                self._players[level] = player
            return player
