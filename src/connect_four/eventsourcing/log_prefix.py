"""A store as it was at one global position: the log up to there, read-only.

Every store numbers its events in commit order, so the events up to a global
position are a consistent state of the whole store: no later event is in it,
and no earlier one is missing. Copying that prefix while writers go on gives
a copy of the store as it was at that moment (`connect-four backup` does it
for the server stores).
"""

from __future__ import annotations

from collections.abc import Sequence

from connect_four.eventsourcing.errors import ReadOnlyStoreError
from connect_four.eventsourcing.events import NewEvent, RecordedEvent
from connect_four.eventsourcing.store import AppendResult, EventStore, ExpectedVersion


class LogPrefix:
    """Read a store as if its newest event were the one at `head`."""

    def __init__(self, store: EventStore, head: int) -> None:
        self.store = store
        self.head = head

    def append(
        self,
        stream: str,
        events: Sequence[NewEvent],
        expected_version: ExpectedVersion,
    ) -> AppendResult:
        """Refuse: the view is read-only.

        Raises:
            ReadOnlyStoreError: always.
        """
        raise ReadOnlyStoreError(stream)

    def read_stream(self, stream: str, from_position: int = 0) -> list[RecordedEvent]:
        """Return the stream's events up to the head, from a position on."""
        return [
            event
            for event in self.store.read_stream(stream, from_position)
            if event.global_position <= self.head
        ]

    def read_all(self, after: int = 0, limit: int = 1000) -> list[RecordedEvent]:
        """Return up to `limit` events after a global position, up to the head."""
        if after >= self.head:
            return []
        page = self.store.read_all(after, limit)
        return [event for event in page if event.global_position <= self.head]

    def last_global_position(self) -> int:
        """Return the head (or the store's newest event, if that is older)."""
        return min(self.head, self.store.last_global_position())

    def close(self) -> None:
        """Leave the store open: the view does not own it."""
