"""What the application needs from the outside world: its ports."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

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


class CommandRepository(IGameRepository, Protocol):
    """The game repository as `ConnectFourApp`'s commands use it.

    The seed's port, plus what a full repository offers a command: metadata
    stored with the new events, and a load that may come from a cache.
    `EventSourcedGameRepository` is one; `SeedRepositoryCommands` presents
    any plain `IGameRepository` through it.
    """

    def get_for_command(self, game_id: str) -> Game:
        """Return the game for a command that will append to it.

        The game may be a cached, stale copy: the command's append then
        fails with a `ConcurrencyError`, and `ConnectFourApp` decides the
        command again on a fresh load (`get`).

        Raises:
            UnknownGameError: there is no such game.
        """
        ...

    def add(self, game: Game, metadata: Mapping[str, object] | None = None) -> None:
        """Store the game's uncommitted events with the given metadata.

        Raises:
            ConcurrencyError: the game changed since it was loaded.
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

    def follow(self, game: Game, records: Sequence[RecordedEvent]) -> Game:
        """Apply records read after the game's version, checked as any load; return it.

        Raises:
            UnreadableEventError: a stored event cannot be decoded, or breaks
                the rules of the game.
        """
        ...
