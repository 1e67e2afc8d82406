"""A client double of exactly the tutorial's shape: two calls, no keyword extras.

`append_to_stream(stream_name, *, current_version, events)` and
`get_stream(stream_name)`, keeping streams in a dict the way the tutorial's
in-memory test client emulates the tiny bit of KurrentDB it needs. Any other
call, or any other keyword argument, fails as it would on that double.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from kurrentdbclient import NewEvent, RecordedEvent, StreamState
from kurrentdbclient.exceptions import NotFoundError, WrongCurrentVersionError


class TwoCallClient:
    """Hold streams in memory behind `append_to_stream` and `get_stream` only."""

    __slots__ = ("_commit_position", "_streams")

    def __init__(self) -> None:
        self._streams: dict[str, list[RecordedEvent]] = {}
        self._commit_position = 0

    def append_to_stream(
        self,
        stream_name: str,
        /,
        *,
        current_version: int | StreamState,
        events: Iterable[NewEvent],
    ) -> int:
        """Append events if the stream is at `current_version`."""
        recorded = self._streams.setdefault(stream_name, [])
        actual: int | StreamState = (
            len(recorded) - 1 if recorded else StreamState.NO_STREAM
        )
        if current_version is StreamState.EXISTS:
            ok = bool(recorded)
        else:
            ok = current_version in (StreamState.ANY, actual)
        if not ok:
            raise WrongCurrentVersionError(
                f"stream {stream_name} is at {actual}",
                stream_name=stream_name,
                actual_version=actual,
                expected_version=current_version,
            )
        for event in events:
            self._commit_position += 1
            recorded.append(
                RecordedEvent(
                    type=event.type,
                    data=event.data,
                    metadata=event.metadata,
                    content_type=event.content_type,
                    id=event.id,
                    stream_name=stream_name,
                    stream_position=len(recorded),
                    commit_position=self._commit_position,
                    prepare_position=self._commit_position,
                    recorded_at=datetime.now(UTC),
                )
            )
        return self._commit_position

    def get_stream(self, stream_name: str) -> tuple[RecordedEvent, ...]:
        """Return every event of a stream, oldest first."""
        if not self._streams.get(stream_name):
            raise NotFoundError(f"Stream {stream_name!r} not found")
        return tuple(self._streams[stream_name])
