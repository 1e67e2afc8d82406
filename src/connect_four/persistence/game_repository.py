"""Games kept in any `EventStore`, in streams named `game-{id}`."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from connect_four.application.errors import UnknownGameError
from connect_four.domain.events import GameEvent
from connect_four.domain.game import Game
from connect_four.eventsourcing.cache import CachingRepository
from connect_four.eventsourcing.codec import EventCodec
from connect_four.eventsourcing.errors import AggregateNotFoundError
from connect_four.eventsourcing.events import RecordedEvent
from connect_four.eventsourcing.repository import Repository, StreamStore
from connect_four.eventsourcing.store import AppendResult
from connect_four.persistence.codec import GAME_STREAM_PREFIX, game_codec

CACHED_GAMES = 1024
"""How many games the repository keeps in memory, so a move replays only news."""


class EventSourcedGameRepository:
    """The `IGameRepository` over the generic repository and any event store."""

    def __init__(self, store: StreamStore, *, cache_size: int = CACHED_GAMES) -> None:
        self.store = store
        self._repository: Repository[Game, GameEvent]
        self._for_command: Callable[[str], Game]
        if cache_size:
            caching = CachingRepository(
                store, game_codec(), Game, GAME_STREAM_PREFIX, cache_size
            )
            self._repository, self._for_command = caching, caching.get_for_command
        else:
            self._repository = Repository(store, game_codec(), Game, GAME_STREAM_PREFIX)
            self._for_command = self._repository.get

    @property
    def codec(self) -> EventCodec[GameEvent]:
        """Return the codec that reads and writes the game's events."""
        return self._repository.codec

    def stream_name(self, game_id: str) -> str:
        """Return the stream that holds a game's events."""
        return self._repository.stream_name(game_id)

    def get(self, game_id: str) -> Game:
        """Load a game from its events.

        Raises:
            UnknownGameError: there is no such game.
            UnreadableEventError: a stored event cannot be decoded, or breaks
                the rules of the game.
        """
        return _found(game_id, lambda: self._repository.get(game_id))

    def get_for_command(self, game_id: str) -> Game:
        """Return a game for a command, from the cache if it is there.

        The copy may be stale; the command's append then fails with a
        `ConcurrencyError` (see `CachingRepository.get_for_command`).

        Raises:
            UnknownGameError: there is no such game.
            UnreadableEventError: a stored event cannot be decoded, or breaks
                the rules of the game.
        """
        return _found(game_id, lambda: self._for_command(game_id))

    def replay(self, game_id: str, records: Sequence[RecordedEvent]) -> Game:
        """Rebuild a game from its whole stream, as the caller read it.

        Raises:
            UnknownGameError: there are no records.
            UnreadableEventError: a stored event cannot be decoded, or breaks
                the rules of the game.
        """
        return _found(game_id, lambda: self._repository.replay(game_id, records))

    def follow(self, game: Game, records: Sequence[RecordedEvent]) -> Game:
        """Apply records read after the game's version, checked as any load; return it.

        Raises:
            UnreadableEventError: a stored event cannot be decoded, or breaks
                the rules of the game.
        """
        return self._repository.follow(game, records)

    def add(self, game: Game, metadata: Mapping[str, object] | None = None) -> None:
        """Store the game's uncommitted events at the version it was loaded at."""
        self.append(game, metadata)

    def append(
        self, game: Game, metadata: Mapping[str, object] | None = None
    ) -> AppendResult | None:
        """Store the game's uncommitted events and say where they landed."""
        return self._repository.add(game, metadata)


def _found(game_id: str, load: Callable[[], Game]) -> Game:
    """Return the game `load` loads; a stream with no events means no such game.

    Raises:
        UnknownGameError: there is no such game.
    """
    try:
        return load()
    except AggregateNotFoundError:
        raise UnknownGameError(game_id) from None
