"""Exercise 7: src/connect_four/persistence/codec.py (the game's upcaster) over
src/connect_four/eventsourcing/codec.py (upcasters run as events are read)."""

from connect_four.domain.events import GameEvent
from connect_four.eventsourcing.events import RecordedEvent
from connect_four.persistence.codec import column_number_to_letter, game_codec

_CODEC = game_codec()


def decode_any_schema(record: RecordedEvent) -> GameEvent:
    """Return the game event a record holds, lifting old shapes first."""
    return _CODEC.decode(record)


__all__ = ["column_number_to_letter", "decode_any_schema"]
