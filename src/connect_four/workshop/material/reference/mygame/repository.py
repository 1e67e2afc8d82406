"""Exercises 3 and 4: src/connect_four/persistence/game_repository.py over
src/connect_four/eventsourcing/repository.py, with the codec of
src/connect_four/persistence/codec.py."""

from connect_four.domain.events import GameEvent
from connect_four.eventsourcing.events import NewEvent, RecordedEvent
from connect_four.persistence.codec import GAME_STREAM_PREFIX, game_codec
from connect_four.persistence.game_repository import EventSourcedGameRepository

STREAM_PREFIX = GAME_STREAM_PREFIX
_CODEC = game_codec()


def encode(event: GameEvent) -> NewEvent:
    """Return the event as a store takes it."""
    return NewEvent(*_CODEC.encode(event))


def decode(record: RecordedEvent) -> GameEvent:
    """Return the game event a stored record holds."""
    return _CODEC.decode(record)


GameRepository = EventSourcedGameRepository

__all__ = ["STREAM_PREFIX", "GameRepository", "decode", "encode"]
