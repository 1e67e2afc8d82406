"""`GameLog`: a game's stored events as they are, for clients that show them."""

from __future__ import annotations

from connect_four.eventsourcing.events import RecordedEvent
from connect_four.eventsourcing.repository import StreamStore
from connect_four.persistence.codec import GAME_STREAM_PREFIX


class GameLog:
    """Read the events of one game's stream, undecoded, as the store holds them."""

    def __init__(self, store: StreamStore) -> None:
        self._store = store

    def records(self, game_id: str) -> list[RecordedEvent]:
        """Return the game's stored events, oldest first (none for no such game)."""
        return self._store.read_stream(GAME_STREAM_PREFIX + game_id)
