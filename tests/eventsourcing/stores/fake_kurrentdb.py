"""An in-process stand-in for `kurrentdbclient.KurrentDBClient`, for tests.

It keeps streams and a commit-ordered log the way KurrentDB does: stream
revisions from 0, sparse and increasing commit positions, system events in
`$` streams that filters must keep out, the client's `StreamState`s and its
exceptions (`WrongCurrentVersionError`, `NotFoundError`, and, given a
`max_append_size`, the `MaximumAppendSizeExceededError` a server raises for an
append over its `MaxAppendSize`). Every call is
recorded by name, so tests can check which calls a caller made.
"""

from __future__ import annotations

import re
import sys
import threading
import uuid
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from typing import Literal

from kurrentdbclient import DEFAULT_EXCLUDE_FILTER, NewEvent, RecordedEvent, StreamState
from kurrentdbclient.exceptions import (
    MaximumAppendSizeExceededError,
    NotFoundError,
    WrongCurrentVersionError,
)

_FIRST_COMMIT_POSITION = 1024


class FakeKurrentDBClient:
    """Hold streams in memory and answer the calls the stores make."""

    def __init__(self, max_append_size: int | None = None) -> None:
        self.max_append_size = max_append_size
        self.calls: list[str] = []
        self.closed = False
        self._streams: dict[str, list[RecordedEvent]] = {}
        self._log: list[RecordedEvent] = []
        self._next_position = _FIRST_COMMIT_POSITION
        self._lock = threading.Lock()
        # The database's own bookkeeping, which every reader must filter out.
        self._record("$stats-127.0.0.1:2113", [NewEvent("$statsCollected", b"{}")])

    def append_to_stream(
        self,
        stream_name: str,
        *,
        events: NewEvent | Iterable[NewEvent],
        current_version: int | StreamState,
    ) -> int:
        """Append events if the stream is at `current_version`."""
        self.calls.append("append_to_stream")
        new_events = [events] if isinstance(events, NewEvent) else list(events)
        size = sum(len(event.data) + len(event.metadata) for event in new_events)
        if self.max_append_size is not None and size > self.max_append_size:
            # The client's words for the server's MaximumAppendSizeExceeded.
            raise MaximumAppendSizeExceededError(f"Max size is {self.max_append_size}")
        with self._lock:
            recorded = self._streams.get(stream_name, [])
            actual = len(recorded) - 1 if recorded else StreamState.NO_STREAM
            retried = _retried(recorded, new_events, current_version)
            if retried is not None:
                return retried
            if not _is_expected(current_version, actual):
                raise WrongCurrentVersionError(
                    f"stream {stream_name} is at {actual}",
                    stream_name=stream_name,
                    actual_version=actual,
                    expected_version=current_version,
                )
            return self._record(stream_name, new_events)

    def get_stream(
        self,
        stream_name: str,
        *,
        stream_position: int | None = None,
        backwards: bool = False,
        limit: int = sys.maxsize,
    ) -> tuple[RecordedEvent, ...]:
        """Return a stream's events, as KurrentDB's `get_stream` does."""
        self.calls.append("get_stream")
        return self._read_stream(stream_name, stream_position, backwards, limit)

    def read_stream(
        self,
        stream_name: str,
        *,
        stream_position: int | None = None,
        backwards: bool = False,
        limit: int = sys.maxsize,
    ) -> tuple[RecordedEvent, ...]:
        """Return a stream's events, as KurrentDB's `read_stream` does."""
        self.calls.append("read_stream")
        return self._read_stream(stream_name, stream_position, backwards, limit)

    def read_all(
        self,
        *,
        commit_position: int | None = None,
        backwards: bool = False,
        filter_exclude: Sequence[str] = DEFAULT_EXCLUDE_FILTER,
        filter_include: Sequence[str] = (),
        filter_by_stream_name: bool = False,
        limit: int = sys.maxsize,
    ) -> tuple[RecordedEvent, ...]:
        """Return `$all` from a commit position on (inclusive), filtered."""
        self.calls.append("read_all")
        with self._lock:
            log = list(reversed(self._log)) if backwards else list(self._log)
        if commit_position is not None:
            start = commit_position
            log = [
                e
                for e in log
                if (
                    e.commit_position <= start
                    if backwards
                    else e.commit_position >= start
                )
            ]
        passes = _filter(filter_exclude, filter_include, filter_by_stream_name)
        return tuple(e for e in log if passes(e))[:limit]

    def get_current_version(
        self, stream_name: str
    ) -> int | Literal[StreamState.NO_STREAM]:
        """Return the revision of a stream's last event, or NO_STREAM."""
        self.calls.append("get_current_version")
        with self._lock:
            recorded = self._streams.get(stream_name)
        return recorded[-1].stream_position if recorded else StreamState.NO_STREAM

    def get_commit_position(
        self,
        *,
        filter_exclude: Sequence[str] = DEFAULT_EXCLUDE_FILTER,
        filter_include: Sequence[str] = (),
        filter_by_stream_name: bool = False,
    ) -> int:
        """Return the commit position of the newest event the filter passes."""
        self.calls.append("get_commit_position")
        passes = _filter(filter_exclude, filter_include, filter_by_stream_name)
        with self._lock:
            matching = [e.commit_position for e in self._log if passes(e)]
        return matching[-1] if matching else 0

    def close(self) -> None:
        """Mark the client closed."""
        self.calls.append("close")
        self.closed = True

    def _record(self, stream_name: str, events: Sequence[NewEvent]) -> int:
        recorded = self._streams.setdefault(stream_name, [])
        now = datetime.now(UTC)
        for event in events:
            record = RecordedEvent(
                type=event.type,
                data=event.data,
                metadata=event.metadata,
                content_type=event.content_type,
                id=event.id if isinstance(event.id, uuid.UUID) else uuid.UUID(event.id),
                stream_name=stream_name,
                stream_position=len(recorded),
                commit_position=self._next_position,
                prepare_position=self._next_position,
                recorded_at=now,
            )
            recorded.append(record)
            self._log.append(record)
            self._next_position += 64 + len(event.data) + len(event.metadata)
        return recorded[-1].commit_position

    def _read_stream(
        self,
        stream_name: str,
        stream_position: int | None,
        backwards: bool,
        limit: int,
    ) -> tuple[RecordedEvent, ...]:
        with self._lock:
            recorded = list(self._streams.get(stream_name, []))
        if not recorded:
            raise NotFoundError(f"Stream {stream_name!r} not found")
        if backwards:
            recorded.reverse()
        if stream_position is not None:
            start = stream_position
            recorded = [
                e
                for e in recorded
                if (
                    e.stream_position <= start
                    if backwards
                    else e.stream_position >= start
                )
            ]
        return tuple(recorded[:limit])


def _retried(
    recorded: list[RecordedEvent],
    events: list[NewEvent],
    expected: int | StreamState,
) -> int | None:
    """Return the commit position of an append already made, as the server does.

    KurrentDB recognises a retried append (the same event ids, written right
    after the same expected version) and answers it without writing again.
    """
    if isinstance(expected, StreamState) and expected is not StreamState.NO_STREAM:
        return None
    first = 0 if expected is StreamState.NO_STREAM else int(expected) + 1
    stored = recorded[first : first + len(events)]
    ids = [e.id if isinstance(e.id, uuid.UUID) else uuid.UUID(e.id) for e in events]
    if not events or [e.id for e in stored] != ids:
        return None
    return stored[-1].commit_position


def _is_expected(expected: int | StreamState, actual: int | StreamState) -> bool:
    if expected is StreamState.ANY:
        return True
    if expected is StreamState.EXISTS:
        return actual is not StreamState.NO_STREAM
    return expected == actual


def _filter(
    exclude: Sequence[str], include: Sequence[str], by_stream_name: bool
) -> Callable[[RecordedEvent], bool]:
    """Build the server's filter from the regular expressions the client sends."""
    if include:
        pattern = re.compile("^" + "|".join(include) + "$")
    else:
        pattern = re.compile("^(?!(" + "|".join(p + "$" for p in exclude) + "))")

    def passes(event: RecordedEvent) -> bool:
        return bool(pattern.match(event.stream_name if by_stream_name else event.type))

    return passes
