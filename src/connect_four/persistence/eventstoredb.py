"""The seed's `GameRepository(client=...)`: games kept in KurrentDB (EventStoreDB).

The tutorial's own solution persists games through this name, with a
`kurrentdbclient.KurrentDBClient` (or the older `esdbclient`), and its tests
hand it an in-memory double that offers only two calls:
`append_to_stream(stream_name, *, current_version, events)` and
`get_stream(stream_name)`. This repository makes only those two calls, with
only those arguments, so it works with the double and with the real client
alike. It keeps the stored format exactly: streams `game-{id}`, event types
`GameStarted`, `MoveMade` and `GameFinished`, and their JSON data, plus our
core's `PlayerResigned` and `WinClaimed` for a game ended off the board (its
codec is the core's, so such games load here as in every other store). Events
the tutorial's code wrote load here, and games stored here load there (except a
game resigned or won on time, whose `PlayerResigned` or `WinClaimed` before
its `GameFinished` the tutorial's code does not know).

Unlike the tutorial's version, it appends at the exact version it loaded, so
two players moving at once cannot both succeed: the second gets a
`ConcurrencyError`, which the application retries against the fresh game.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Final, Protocol

import kurrentdbclient
from kurrentdbclient import StreamState
from kurrentdbclient.exceptions import NotFoundError, WrongCurrentVersionError

from connect_four.eventsourcing import store as protocol
from connect_four.eventsourcing.errors import ConcurrencyError
from connect_four.eventsourcing.events import NewEvent, RecordedEvent
from connect_four.eventsourcing.store import AppendResult, ExpectedVersion
from connect_four.persistence.game_repository import EventSourcedGameRepository

# A client double may leave the recording time out; this stands in for it
# rather than inventing the present.
_UNKNOWN_TIME: Final = datetime.fromtimestamp(0, UTC)


class StreamClient(Protocol):
    """The two calls the tutorial's repository makes, as its client double has them.

    `kurrentdbclient.KurrentDBClient` offers both (with more keyword arguments,
    which this repository never passes).
    """

    def append_to_stream(
        self,
        stream_name: str,
        /,
        *,
        current_version: int | StreamState,
        events: Iterable[kurrentdbclient.NewEvent],
    ) -> int:
        """Append events at `current_version`; return the last commit position."""
        ...

    def get_stream(
        self, stream_name: str, /
    ) -> Sequence[kurrentdbclient.RecordedEvent]:
        """Return all of a stream's events, oldest first."""
        ...


class ClientStreams:
    """A `StreamStore` over the two calls: what a game repository needs, no more.

    A tail read (`from_position` > 0) reads the whole stream and keeps the
    tail: a game's stream holds at most 43 events, and the double has no way
    to start elsewhere.
    """

    def __init__(self, client: StreamClient) -> None:
        self.client = client

    def append(
        self,
        stream: str,
        events: Sequence[NewEvent],
        expected_version: ExpectedVersion,
    ) -> AppendResult:
        """Append all the events, or none, if the stream is at the expected version.

        Raises:
            ConcurrencyError: the stream is not at `expected_version`.
        """
        if isinstance(expected_version, protocol.StreamState):
            current_version: int | StreamState = _STATES[expected_version]
        else:
            current_version = expected_version
        try:
            commit_position = self.client.append_to_stream(
                stream,
                current_version=current_version,
                events=[
                    kurrentdbclient.NewEvent(
                        type=event.type,
                        data=event.data,
                        metadata=event.metadata,
                        id=uuid.UUID(str(event.id)),
                    )
                    for event in events
                ],
            )
        except WrongCurrentVersionError as exc:
            actual = exc.actual_version
            raise ConcurrencyError(
                stream, expected_version, actual if isinstance(actual, int) else None
            ) from exc
        if isinstance(expected_version, int):
            end = expected_version + len(events)
        elif expected_version is protocol.StreamState.NO_STREAM:
            end = len(events) - 1
        else:
            # Game code never appends at ANY or EXISTS; the stream says where.
            end = self.read_stream(stream)[-1].stream_position
        return AppendResult(end, commit_position)

    def read_stream(self, stream: str, from_position: int = 0) -> list[RecordedEvent]:
        """Return the stream's events from a position on (none if it is unknown)."""
        try:
            recorded = self.client.get_stream(stream)
        except NotFoundError:
            return []
        return [
            RecordedEvent(
                str(event.id),
                stream,
                event.stream_position,
                event.commit_position or 0,
                event.type,
                event.data,
                event.metadata,
                event.recorded_at or _UNKNOWN_TIME,
            )
            for event in recorded
            if event.stream_position >= from_position
        ]


_STATES: Final = {
    protocol.StreamState.NO_STREAM: StreamState.NO_STREAM,
    protocol.StreamState.ANY: StreamState.ANY,
    protocol.StreamState.EXISTS: StreamState.EXISTS,
}


class GameRepository(EventSourcedGameRepository):
    """Persist and load games in KurrentDB through the client's two stream calls.

    Appends use `append_to_stream` with `current_version` set to the version the
    game was loaded at (`NO_STREAM` for a new game); loads use `get_stream`.
    The client's `WrongCurrentVersionError` becomes a `ConcurrencyError`, and an
    unknown stream (`NotFoundError`, or no events) an `UnknownGameError`.
    """

    def __init__(self, client: StreamClient) -> None:
        self.client = client
        super().__init__(ClientStreams(client))
