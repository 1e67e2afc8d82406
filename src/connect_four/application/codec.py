"""The game's events as stored: the seed's type names and exact JSON data."""

from __future__ import annotations

from connect_four.domain.events import EVENT_TYPES, GameEvent
from connect_four.eventsourcing.codec import EventCodec

GAME_STREAM_PREFIX = "game-"


def game_codec() -> EventCodec[GameEvent]:
    """Return a codec for `GameStarted`, `MoveMade` and `GameFinished`."""
    return EventCodec(EVENT_TYPES)
