"""The envelopes that carry events into and out of an event store."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True, slots=True)
class NewEvent:
    """An event on its way into a store: type and payload, not yet positioned."""

    type: str
    data: bytes
    metadata: bytes = b"{}"
    id: uuid.UUID = field(default_factory=uuid.uuid4)


@dataclass(frozen=True, slots=True)
class RecordedEvent:
    """An event as a store recorded it, with its place in the stream and the log.

    `stream_position` counts from 0 within the stream, as in EventStoreDB.
    `global_position` totally orders every event of the store; it starts at 1,
    so that 0 can mean "before the first event" in a checkpoint.
    """

    id: uuid.UUID
    stream: str
    stream_position: int
    global_position: int
    type: str
    data: bytes
    metadata: bytes
    recorded_at: datetime
