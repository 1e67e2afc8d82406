"""What every projection of the game streams shares: the codec and the stream names."""

from __future__ import annotations

from connect_four.domain.events import GameEvent
from connect_four.eventsourcing.codec import EventCodec
from connect_four.eventsourcing.events import RecordedEvent


class GameStreamProjection:
    """A projection that folds the `game-{id}` streams; subclasses say how."""

    def __init__(self, codec: EventCodec[GameEvent], stream_prefix: str) -> None:
        self.codec = codec
        self.stream_prefix = stream_prefix

    def game_id(self, record: RecordedEvent) -> str:
        """Return the id of the game whose stream holds the record."""
        return record.stream[len(self.stream_prefix) :]
