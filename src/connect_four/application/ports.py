"""What the application needs from the outside world: its ports."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

from connect_four.domain.game import Game
from connect_four.eventsourcing.events import RecordedEvent


class IGameRepository(Protocol):
    """Where games are kept: the seed's port, implemented by each adapter."""

    def add(self, game: Game) -> None:
        """Store the game's uncommitted events.

        Raises:
            ConcurrencyError: the game changed since it was loaded.
        """
        ...

    def get(self, game_id: str) -> Game:
        """Load a game from its events.

        Raises:
            UnknownGameError: there is no such game.
        """
        ...


@runtime_checkable
class LoadsGamesForCommands(Protocol):
    """A game repository that may hand a command a cached, possibly stale game.

    A stale game is caught by the command's append, which then fails with a
    `ConcurrencyError`; `ConnectFourApp` decides the command again on a fresh
    load. Repositories without this method are always read fresh.
    """

    def get_for_command(self, game_id: str) -> Game:
        """Return the game for a command that will append to it.

        Raises:
            UnknownGameError: there is no such game.
        """
        ...


class GameHistories(Protocol):
    """Games rebuilt from whole streams a caller read, for the table service."""

    def stream_name(self, game_id: str) -> str:
        """Return the stream that holds a game's events."""
        ...

    def replay(self, game_id: str, records: Sequence[RecordedEvent]) -> Game:
        """Rebuild a game from its whole stream, as the caller read it.

        Raises:
            UnknownGameError: there are no records.
            UnreadableEventError: a stored event cannot be decoded.
        """
        ...
