"""The seed's store: KurrentDB (formerly EventStoreDB) through `kurrentdbclient`.

Streams, positions and expected versions map one to one: a stream here is a
KurrentDB stream, stream positions are KurrentDB's stream revisions (from 0),
an exact expected version is the client's `current_version` and the
`StreamState`s are the client's own, so KurrentDB itself applies the
expected-version rule of `store.check_expected_version` (which the store calls
itself only for an empty append, where KurrentDB checks nothing). Metadata travels
as the event's metadata.

The global log is KurrentDB's `$all`, read in commit order with the database's
own events (types starting with `$`, persistent-subscription and projection
records) filtered out by the server. A global position is the event's commit
position: increasing, but not dense, which the protocol allows. KurrentDB
writes an append's events together and makes them readable in `$all` only
once committed, so a reader that follows the log misses none.

An optional namespace lets several stores share one database: it prefixes
every stream name on the way in, is removed on the way out, and restricts the
global log to the namespace's streams. Without one, stream names are stored
exactly as given, so games live in the seed's `game-{id}` streams.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Final, Literal, Protocol
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import kurrentdbclient
from kurrentdbclient import DEFAULT_EXCLUDE_FILTER, KurrentDBClient, StreamState
from kurrentdbclient import exceptions as kurrent

from connect_four.eventsourcing import store as protocol
from connect_four.eventsourcing.errors import (
    AppendTooLargeError,
    ConcurrencyError,
    InvalidStoreURLError,
    StoreUnavailableError,
)
from connect_four.eventsourcing.events import NewEvent, RecordedEvent
from connect_four.eventsourcing.store import (
    AppendResult,
    ExpectedVersion,
    check_event_ids,
    check_expected_version,
)

NAMESPACE_OPTION: Final = "namespace"
"""The store URL's own query option; every other option goes to the client."""

_STATES: Final = {
    protocol.StreamState.NO_STREAM: StreamState.NO_STREAM,
    protocol.StreamState.ANY: StreamState.ANY,
    protocol.StreamState.EXISTS: StreamState.EXISTS,
}
# KurrentDB requires a creation time on every event; this stands in should a
# server ever leave it out, rather than inventing the present.
_UNKNOWN_TIME: Final = datetime.fromtimestamp(0, UTC)
_UNAVAILABLE: Final = (
    kurrent.ServiceUnavailableError,
    kurrent.DeadlineExceededError,
    kurrent.DiscoveryFailedError,
    kurrent.UnauthenticatedError,
    kurrent.AccessDeniedError,
    kurrent.NodeIsNotLeaderError,
)

_TOO_LARGE: Final = (
    kurrent.MaximumAppendSizeExceededError,
    kurrent.RecordMaxSizeExceededError,
    kurrent.TransactionMaxSizeExceededError,
)
"""The client's errors for an append larger than the server takes."""


def _size_limit(error: Exception) -> int | None:
    """Return the largest append the server said it takes, if it said."""
    max_size = getattr(error, "max_size", None)
    if isinstance(max_size, int):
        return max_size
    # The batch append's error says only "Max size is N".
    found = re.search(r"\d+", str(error))
    return int(found.group()) if found else None


class StreamsClient(Protocol):
    """The calls this store makes: a subset of `kurrentdbclient.KurrentDBClient`."""

    def append_to_stream(
        self,
        stream_name: str,
        *,
        events: Iterable[kurrentdbclient.NewEvent],
        current_version: int | StreamState,
    ) -> int:
        """Append events at `current_version`; return the last commit position."""
        ...

    def get_stream(
        self, stream_name: str, *, stream_position: int | None = None
    ) -> Sequence[kurrentdbclient.RecordedEvent]:
        """Return a stream's events from a position on."""
        ...

    def read_stream(
        self, stream_name: str, *, backwards: bool = False
    ) -> Iterable[kurrentdbclient.RecordedEvent]:
        """Read a stream's events, oldest or newest first."""
        ...

    def read_all(
        self,
        *,
        commit_position: int | None = None,
        filter_exclude: Sequence[str] = ...,
        filter_include: Sequence[str] = (),
        filter_by_stream_name: bool = False,
        limit: int = ...,
    ) -> Iterable[kurrentdbclient.RecordedEvent]:
        """Read `$all` from a commit position on (inclusive), filtered."""
        ...

    def get_current_version(
        self, stream_name: str
    ) -> int | Literal[StreamState.NO_STREAM]:
        """Return the position of a stream's last event, or NO_STREAM."""
        ...

    def get_commit_position(
        self,
        *,
        filter_exclude: Sequence[str] = ...,
        filter_include: Sequence[str] = (),
        filter_by_stream_name: bool = False,
    ) -> int:
        """Return the commit position of the newest event the filter lets through."""
        ...

    def close(self) -> None:
        """Close the connection."""
        ...


class KurrentDBEventStore:
    """Store events in KurrentDB streams, through a `KurrentDBClient`."""

    def __init__(
        self,
        client: StreamsClient,
        namespace: str = "",
        *,
        name: str = "KurrentDB",
        owns_client: bool = False,
    ) -> None:
        self.client = client
        self.namespace = namespace
        self.name = name
        self._owns_client = owns_client

    @classmethod
    def from_url(cls, url: str) -> KurrentDBEventStore:
        """Open the store a `kurrentdb://host:2113?tls=false` or `esdb://` URL names.

        `namespace=NAME` in the query prefixes every stream name with `NAME`.

        Raises:
            InvalidStoreURLError: the client does not accept the URL.
            StoreUnavailableError: the client cannot be created.
        """
        parts = urlsplit(url)
        query = parse_qsl(parts.query, keep_blank_values=True)
        namespace = "".join(v for k, v in query if k.lower() == NAMESPACE_OPTION)
        options = [(k, v) for k, v in query if k.lower() != NAMESPACE_OPTION]
        # Every kurrentdbclient release reads esdb:// (kurrentdb:// only newer
        # ones), and the two mean the same.
        scheme = parts.scheme.lower().replace("kurrentdb", "esdb")
        client_url = urlunsplit(parts._replace(scheme=scheme, query=urlencode(options)))
        name = urlunsplit(
            parts._replace(netloc=parts.netloc.rpartition("@")[2], query="")
        )
        try:
            client = KurrentDBClient(client_url)
        except ValueError as exc:
            raise InvalidStoreURLError(url, str(exc)) from exc
        except _UNAVAILABLE as exc:
            raise StoreUnavailableError(name, str(exc)) from exc
        return cls(client, namespace, name=name, owns_client=True)

    def __repr__(self) -> str:
        return f"KurrentDBEventStore({self.name!r}, namespace={self.namespace!r})"

    @contextmanager
    def _translate_errors(
        self,
        stream: str = "",
        expected: ExpectedVersion = protocol.StreamState.ANY,
        size: int = 0,
    ) -> Iterator[None]:
        """Turn the client's errors into the store's own, in this one place.

        `size` is the bytes of data and metadata an append carries, for the
        error that says the server refused that many.
        """
        try:
            yield
        except _TOO_LARGE as exc:
            raise AppendTooLargeError(stream, size, _size_limit(exc), "bytes") from exc
        except kurrent.WrongCurrentVersionError as exc:
            actual = exc.actual_version
            raise ConcurrencyError(
                stream, expected, actual if isinstance(actual, int) else None
            ) from exc
        except _UNAVAILABLE as exc:
            raise StoreUnavailableError(
                self.name, str(exc) or type(exc).__name__
            ) from exc

    def append(
        self,
        stream: str,
        events: Sequence[NewEvent],
        expected_version: ExpectedVersion,
    ) -> AppendResult:
        """Append all the events, or none, if the stream is at the expected version.

        Raises:
            ConcurrencyError: the stream is not at `expected_version`.
            AppendTooLargeError: the server takes fewer bytes in one append
                (KurrentDB's `MaxAppendSize`, 1 MiB by default).
            StoreUnavailableError: the server cannot be reached.
        """
        check_event_ids(stream, events)
        if not events:
            # KurrentDB checks no version for an empty append: check it here.
            actual = self._stream_end(stream)
            check_expected_version(stream, expected_version, actual)
            end = -1 if actual is None else actual
            return AppendResult(end, self.last_global_position())
        new_events = [
            kurrentdbclient.NewEvent(
                type=event.type,
                data=event.data,
                metadata=event.metadata,
                id=uuid.UUID(str(event.id)),
            )
            for event in events
        ]
        current_version = (
            _STATES[expected_version]
            if isinstance(expected_version, protocol.StreamState)
            else expected_version
        )
        size = sum(len(event.data) + len(event.metadata) for event in events)
        with self._translate_errors(stream, expected_version, size):
            commit_position = self.client.append_to_stream(
                self.namespace + stream,
                events=new_events,
                current_version=current_version,
            )
        if isinstance(expected_version, int):
            end = expected_version + len(events)
        elif expected_version is protocol.StreamState.NO_STREAM:
            end = len(events) - 1
        else:
            end = self._position_of(stream, new_events[-1].id)
        return AppendResult(end, commit_position)

    def read_stream(self, stream: str, from_position: int = 0) -> list[RecordedEvent]:
        """Return the stream's events from a position on, oldest first."""
        with self._translate_errors():
            try:
                recorded = self.client.get_stream(
                    self.namespace + stream, stream_position=from_position or None
                )
            except kurrent.NotFoundError:
                return []
        return [self._record(event) for event in recorded]

    def read_all(self, after: int = 0, limit: int = 1000) -> list[RecordedEvent]:
        """Return up to `limit` events after a global position, in order."""
        exclude, include, by_stream_name = self._log_filter()
        # Reading from a commit position includes the event at it: ask for one
        # more, and drop what was already seen.
        with self._translate_errors():
            page = self.client.read_all(
                commit_position=after or None,
                limit=limit + 1,
                filter_exclude=exclude,
                filter_include=include,
                filter_by_stream_name=by_stream_name,
            )
            fresh = [event for event in page if event.commit_position > after]
        return [self._record(event) for event in fresh[:limit]]

    def last_global_position(self) -> int:
        """Return the global position of the newest event, or 0."""
        exclude, include, by_stream_name = self._log_filter()
        with self._translate_errors():
            return self.client.get_commit_position(
                filter_exclude=exclude,
                filter_include=include,
                filter_by_stream_name=by_stream_name,
            )

    def close(self) -> None:
        """Close the client, if this store created it."""
        if self._owns_client:
            self.client.close()

    def _log_filter(self) -> tuple[Sequence[str], Sequence[str], bool]:
        """Return the server-side filter of `$all`: a namespace, or no system events."""
        if self.namespace:
            return (), (re.escape(self.namespace) + ".*",), True
        return DEFAULT_EXCLUDE_FILTER, (), False

    def _stream_end(self, stream: str) -> int | None:
        with self._translate_errors():
            version = self.client.get_current_version(self.namespace + stream)
        return None if version is StreamState.NO_STREAM else int(version)

    def _position_of(self, stream: str, event_id: uuid.UUID) -> int:
        """Find where an event just appended landed (for ANY and EXISTS appends)."""
        with self._translate_errors():
            for event in self.client.read_stream(
                self.namespace + stream, backwards=True
            ):
                if event.id == event_id:
                    return int(event.stream_position)
        raise StoreUnavailableError(self.name, f"appended event {event_id} vanished")

    def _record(self, event: kurrentdbclient.RecordedEvent) -> RecordedEvent:
        return RecordedEvent(
            str(event.id),
            event.stream_name.removeprefix(self.namespace),
            event.stream_position,
            event.commit_position,
            event.type,
            event.data,
            event.metadata,
            event.recorded_at or _UNKNOWN_TIME,
        )
