"""The computer opponent as the application's `ComputerPlayers`: one player per level.

The AI's engine (`connect_four.ai.players`) is imported only when a game
against it is opened or played, so the clients start without it (see
`connect_four.ai.opponent`). What its search said about a move goes into the
event's metadata, never into its data.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Sequence

from connect_four.ai.opponent import (
    ComputerOpponent,
    computer_move_metadata,
    load_computer,
)
from connect_four.application.tables import ComputerChoice
from connect_four.domain.board import Column


class Computers:
    """One computer player per level, each used by one thread at a time."""

    def __init__(
        self, seed: int | None = None, players: Sequence[ComputerOpponent] = ()
    ) -> None:
        self._seed = seed
        # Players loaded already (the terminal's) serve instead of new ones.
        self._players = {player.level: player for player in players}
        self._lock = threading.Lock()

    def name(self, level: str) -> str:
        """Return the name the computer plays under at a level.

        Raises:
            ComputerUnavailableError: there is no such level, or no AI at all.
        """
        return self._player(level).name

    def choose(self, level: str, moves: Sequence[Column]) -> ComputerChoice:
        """Return the computer's choice after the moves so far.

        Raises:
            ComputerUnavailableError: there is no such level, or no AI at all.
        """
        player = self._player(level)
        # The engine keeps search tables between moves: one search at a time.
        with self._lock:
            choice = player.choose(moves)
        return ComputerChoice(choice.column, computer_move_metadata(level, choice))

    def _player(self, level: str) -> ComputerOpponent:
        with self._lock:
            player = self._players.get(level)
            if player is None:
                player = load_computer(level, random.Random(self._seed))
                self._players[level] = player
            return player
