"""The computer opponent on the web: seat two of a game, played by the server.

The AI (`connect_four.ai.players`) is imported only when a game against it is
opened or played, so the web app starts without it. The computer moves
through `ConnectFourApp` as a person does; what its search said about the
move goes into the event's metadata, never into its data.
"""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Sequence
from typing import Protocol

from connect_four.domain.board import Column
from connect_four.web.errors import InvalidFieldError

logger = logging.getLogger(__name__)


class Choice(Protocol):
    """The column a computer player picked, and how it judged it."""

    @property
    def column(self) -> Column: ...

    @property
    def score(self) -> int | None: ...

    @property
    def depth(self) -> int: ...


class ComputerOpponent(Protocol):
    """What the web needs of `connect_four.ai.players.ComputerPlayer`."""

    @property
    def name(self) -> str: ...

    def choose(self, moves: Sequence[Column]) -> Choice: ...


def levels() -> tuple[str, ...]:
    """Return the computer's levels, weakest first; none if the AI is not installed."""
    try:
        from connect_four.ai.players import LEVELS
    except ImportError:
        return ()
    return tuple(LEVELS)


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
        known = levels()
        if level not in known:
            reason = "is not available: the AI is not installed"
            if known:
                reason = "must be one of " + ", ".join(known)
            raise InvalidFieldError("computer", reason)
        with self._lock:
            player = self._players.get(level)
            if player is None:
                from connect_four.ai.players import ComputerPlayer

                player = ComputerPlayer(level, random.Random(self._seed))
                self._players[level] = player
            return player
