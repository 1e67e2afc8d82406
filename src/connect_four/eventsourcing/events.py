"""The envelopes that carry events into and out of an event store."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

from connect_four.eventsourcing.ids import new_uuid


def new_event_id() -> str:
    """Return a new random event id: a UUID in its usual text form."""
    return new_uuid()


@dataclass(frozen=True, slots=True)
class NewEvent:
    """An event on its way into a store: type and payload, not yet positioned."""

    type: str
    data: bytes
    metadata: bytes = b"{}"
    id: str = field(default_factory=new_event_id)
    recorded_at: datetime | None = None
    """When the event was first recorded, for a copy (`migrate`) to keep; None
    (every new event) means now. KurrentDB always records its own time."""


class RecordedEvent(NamedTuple):
    """An event as a store recorded it, with its place in the stream and the log.

    A named tuple rather than a dataclass because loading an aggregate builds
    one per stored event: it is immutable all the same, and cheaper to build.

    `stream_position` counts from 0 within the stream, as in EventStoreDB.
    `global_position` totally orders every event of the store; it starts at 1,
    so that 0 can mean "before the first event" in a checkpoint.
    """

    id: str
    stream: str
    stream_position: int
    global_position: int
    type: str
    data: bytes
    metadata: bytes
    recorded_at: datetime
