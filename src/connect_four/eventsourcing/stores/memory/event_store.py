"""An event store in process memory: for tests, demos and benchmarks.

An append checks the expected version with `store.check_expected_version` and
writes under one lock, so the check and the write are one atomic step.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from datetime import UTC, datetime

from connect_four.eventsourcing.errors import DuplicateEventIdError
from connect_four.eventsourcing.events import NewEvent, RecordedEvent
from connect_four.eventsourcing.store import (
    AppendResult,
    ExpectedVersion,
    check_event_ids,
    check_expected_version,
)


class InMemoryEventStore:
    """Keep every stream in a dict and the global log in a list, behind one lock.

    It passes the same contract suite as the database stores, which is what
    makes it a fake the other tests can trust.
    """

    name = "memory:"

    def __init__(self) -> None:
        self._streams: dict[str, list[RecordedEvent]] = {}
        self._log: list[RecordedEvent] = []
        self._ids: set[str] = set()
        self._lock = threading.Lock()

    def append(
        self,
        stream: str,
        events: Sequence[NewEvent],
        expected_version: ExpectedVersion,
    ) -> AppendResult:
        """Append all the events, or none, if the stream is at the expected version."""
        check_event_ids(stream, events)
        with self._lock:
            ids = self._ids
            for event in events:
                if event.id in ids:
                    raise DuplicateEventIdError(stream, event.id)
            recorded = self._streams.get(stream)
            actual = len(recorded) - 1 if recorded else None
            check_expected_version(stream, expected_version, actual)
            if not events:
                return AppendResult(-1 if actual is None else actual, len(self._log))
            if recorded is None:
                recorded = self._streams[stream] = []
            now = datetime.now(UTC)
            position = len(recorded)
            log = self._log
            for event in events:
                record = RecordedEvent(
                    event.id,
                    stream,
                    position,
                    len(log) + 1,
                    event.type,
                    event.data,
                    event.metadata,
                    now if event.recorded_at is None else event.recorded_at,
                )
                recorded.append(record)
                log.append(record)
                ids.add(event.id)
                position += 1
            return AppendResult(position - 1, len(log))

    def read_stream(self, stream: str, from_position: int = 0) -> list[RecordedEvent]:
        """Return the stream's events from a position on, oldest first."""
        recorded = self._streams.get(stream)
        if recorded is None:
            return []
        return recorded[from_position:]

    def read_all(self, after: int = 0, limit: int = 1000) -> list[RecordedEvent]:
        """Return up to `limit` events after a global position, in order."""
        return self._log[after : after + limit]

    def last_global_position(self) -> int:
        """Return the global position of the newest event, or 0."""
        return len(self._log)

    def close(self) -> None:
        """Do nothing: memory needs no releasing."""
