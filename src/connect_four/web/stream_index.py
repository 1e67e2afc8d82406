"""The stream browser's list of streams: each stream's event count and last event.

It reads only the envelope of each event (stream, type, positions, time),
never its data, so it knows nothing of games; the follower feeds it every
event of the log as it hands them to the live pages.
"""

from __future__ import annotations

from dataclasses import dataclass

from connect_four.eventsourcing.codec import JSONObject
from connect_four.eventsourcing.events import RecordedEvent
from connect_four.web.stream_search import StreamQuery, page_of_streams


@dataclass(slots=True)
class StreamSummary:
    """One stream as the stream browser lists it."""

    stream: str
    events: int = 0
    last_type: str = ""
    last_position: int = 0
    updated_at: str = ""

    def view(self) -> JSONObject:
        """Return the summary as the API shows it."""
        return {
            "stream": self.stream,
            "events": self.events,
            "last_type": self.last_type,
            "last_global_position": self.last_position,
            "updated_at": self.updated_at,
        }


class StreamIndex:
    """Count each stream's events as the log goes by."""

    def __init__(self) -> None:
        self._streams: dict[str, StreamSummary] = {}

    def apply(self, record: RecordedEvent) -> None:
        """Count one event of the log."""
        summary = self._streams.get(record.stream)
        if summary is None:
            summary = self._streams[record.stream] = StreamSummary(record.stream)
        summary.events += 1
        summary.last_type = record.type
        summary.last_position = record.global_position
        summary.updated_at = record.recorded_at.isoformat()

    def streams(self, limit: int = 100) -> list[JSONObject]:
        """Return the most recently written streams."""
        chosen = sorted(
            self._streams.values(), key=lambda s: s.last_position, reverse=True
        )
        return [summary.view() for summary in chosen[:limit]]

    def count(self) -> int:
        """Return how many streams the log holds."""
        return len(self._streams)

    def page(self, query: StreamQuery) -> tuple[list[JSONObject], int]:
        """Return a page of the streams `query` matches, newest first, and how many."""
        return page_of_streams(self.streams(len(self._streams)), query)
