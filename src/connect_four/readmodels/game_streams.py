"""What every projection of the game streams shares: the codec and the stream names."""

from __future__ import annotations

from connect_four.domain.events import GameEvent
from connect_four.eventsourcing.codec import EventCodec
from connect_four.eventsourcing.errors import UnreadableEventError
from connect_four.eventsourcing.events import RecordedEvent
from connect_four.eventsourcing.projection_storage import Documents


class GameStreamProjection:
    """A projection that folds the `game-{id}` streams; subclasses say how."""

    def __init__(self, codec: EventCodec[GameEvent], stream_prefix: str) -> None:
        self.codec = codec
        self.stream_prefix = stream_prefix

    def game_id(self, record: RecordedEvent) -> str:
        """Return the id of the game whose stream holds the record."""
        return record.stream[len(self.stream_prefix) :]

    def unstarted(self, record: RecordedEvent, documents: Documents) -> None:
        """Pass by an event of a game this read model never saw start, if it may.

        A read model that began after a global position (rather than at the
        beginning of the log) meets the later events of games that started
        before that position: it leaves them out. One that began at the
        beginning has seen every `GameStarted`, so such an event is unreadable.

        Raises:
            UnreadableEventError: the read model began at the beginning.
        """
        if documents.starts_after == 0:
            raise UnreadableEventError.from_record(
                record, "the game has no GameStarted before it"
            )
