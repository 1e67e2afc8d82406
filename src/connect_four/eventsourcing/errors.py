"""Errors of the event-sourcing core and of every event store.

Each error carries its facts as attributes and builds its own message, so that
callers can react to the facts and users can read the message.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from connect_four.eventsourcing.events import RecordedEvent


class EventSourcingError(Exception):
    """Root of every error raised by the core and the stores."""


class ConcurrencyError(EventSourcingError):
    """The stream was not at the version the writer expected."""

    def __init__(self, stream: str, expected: object, actual: int | None) -> None:
        self.stream = stream
        self.expected = expected
        self.actual = actual
        shown = "no stream" if actual is None else f"position {actual}"
        super().__init__(
            f"stream {stream!r} was expected at {expected}, but it is at {shown}"
        )


class AggregateNotFoundError(EventSourcingError):
    """No events exist for the requested aggregate."""

    def __init__(self, stream: str) -> None:
        self.stream = stream
        super().__init__(f"stream {stream!r} holds no events")


class UnreadableEventError(EventSourcingError):
    """A stored event cannot be turned back into a domain event."""

    def __init__(self, stream: str, position: int, type_: str, reason: str) -> None:
        self.stream = stream
        self.position = position
        self.type = type_
        self.reason = reason
        super().__init__(
            f"cannot read event {type_!r} at position {position} "
            f"of stream {stream!r}: {reason}"
        )

    @classmethod
    def from_record(cls, record: RecordedEvent, reason: str) -> UnreadableEventError:
        """Return the error that names a stored event by stream, position and type."""
        return cls(record.stream, record.stream_position, record.type, reason)


class StoreUnavailableError(EventSourcingError):
    """The store cannot be reached, opened or written to."""

    def __init__(self, store: str, reason: str) -> None:
        self.store = store
        self.reason = reason
        super().__init__(f"event store {store} is unavailable: {reason}")


class InvalidStoreURLError(EventSourcingError):
    """A store URL names no store this program knows."""

    def __init__(self, url: str, reason: str) -> None:
        self.url = url
        self.reason = reason
        super().__init__(f"cannot open event store {url!r}: {reason}")
