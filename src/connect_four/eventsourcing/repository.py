"""The generic `Repository`: load aggregates from, and store them in, an event store."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from typing import Generic, Protocol, TypeVar

from connect_four.eventsourcing.aggregate import NEW, Aggregate
from connect_four.eventsourcing.codec import EventCodec
from connect_four.eventsourcing.errors import (
    AggregateNotFoundError,
    DamagedStreamError,
    ImpossibleEventError,
    UnreadableEventError,
)
from connect_four.eventsourcing.events import NewEvent, RecordedEvent
from connect_four.eventsourcing.store import (
    AppendResult,
    ExpectedVersion,
    StreamState,
    store_name,
)

E = TypeVar("E")
A = TypeVar("A", bound=Aggregate)  # type: ignore[type-arg]  # any event type

_encode_json = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


class StreamStore(Protocol):
    """The part of an `EventStore` a repository uses: one stream at a time.

    Every `EventStore` is one; so is a store over a client that offers only
    stream calls, such as the tutorial's two-call KurrentDB client double.
    """

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
        ...

    def read_stream(self, stream: str, from_position: int = 0) -> list[RecordedEvent]:
        """Return the stream's events from a position on, oldest first (or none)."""
        ...


class Repository(Generic[A, E]):
    """Load an aggregate by replaying its stream; store only its new events.

    Every append names the exact position the aggregate was loaded at (or "no
    stream" for a new one), so two writers that loaded the same version cannot
    both succeed: the second gets a `ConcurrencyError` instead of silently
    interleaving its events.

    This is the plain form: every `get` replays the whole stream. Two
    speed-ups extend it, each in its own module: `CachingRepository` (in
    `cache.py`) keeps copies of the aggregates it last saw, and
    `SnapshottingRepository` (in `snapshots.py`) starts from a snapshot.
    """

    def __init__(
        self,
        store: StreamStore,
        codec: EventCodec[E],
        factory: Callable[[str], A],
        stream_prefix: str,
    ) -> None:
        self.store = store
        self.codec = codec
        self._factory = factory
        self._prefix = stream_prefix

    def stream_name(self, aggregate_id: str) -> str:
        """Return the name of the stream that holds an aggregate's events."""
        return self._prefix + aggregate_id

    def get(self, aggregate_id: str) -> A:
        """Rebuild an aggregate from its stored events.

        Raises:
            AggregateNotFoundError: the stream holds no events.
            UnreadableEventError: a stored event cannot be decoded, or cannot
                follow the events before it.
        """
        stream = self._prefix + aggregate_id
        records = self.store.read_stream(stream)
        if not records:
            raise AggregateNotFoundError(stream)
        aggregate = self._factory(aggregate_id)
        self._load(aggregate, records)
        return aggregate

    def catch_up(self, aggregate: A) -> A:
        """Apply the events stored after the aggregate's version, and return it.

        Raises:
            UnreadableEventError: a stored event cannot be decoded, or cannot
                follow the events before it.
        """
        stream = self._prefix + aggregate.id
        self._load(aggregate, self.store.read_stream(stream, aggregate.version + 1))
        return aggregate

    def replay(self, aggregate_id: str, records: Sequence[RecordedEvent]) -> A:
        """Rebuild an aggregate from its whole stream, as a caller read it.

        For a caller that shows the stored events beside the state, so both
        come from one read; the events are checked exactly as `get` checks them.

        Raises:
            AggregateNotFoundError: there are no records.
            UnreadableEventError: a stored event cannot be decoded, or cannot
                follow the events before it.
        """
        if not records:
            raise AggregateNotFoundError(self._prefix + aggregate_id)
        aggregate = self._factory(aggregate_id)
        self._load(aggregate, records)
        return aggregate

    def follow(self, aggregate: A, records: Sequence[RecordedEvent]) -> A:
        """Apply records a caller read, stored after the aggregate's version; return it.

        For a caller that keeps an aggregate it rebuilt and reads only what
        its stream gained since; the records are checked exactly as `get`
        checks them.

        Raises:
            UnreadableEventError: a stored event cannot be decoded, or cannot
                follow the events before it.
        """
        self._load(aggregate, records)
        return aggregate

    def _load(self, aggregate: A, records: Sequence[RecordedEvent]) -> None:
        """Apply stored events after the aggregate's version, checking them.

        The positions must follow on from the aggregate's version without a
        gap (two comparisons, whatever the length), every event must decode,
        and the history must obey the aggregate's rules.

        Raises:
            UnreadableEventError: an event cannot be decoded.
            DamagedStreamError: the positions skip, or the history breaks a rule.
        """
        if records and (
            records[0].stream_position != aggregate.version + 1
            or records[-1].stream_position - records[0].stream_position
            != len(records) - 1
        ):
            raise self._gap(aggregate.version + 1, records)
        try:
            events = self.codec.decode_all(records)
        except UnreadableEventError as error:
            raise error.in_store(store_name(self.store)) from error
        try:
            aggregate.load_from_history(events)
        except ImpossibleEventError as error:
            position = aggregate.version if error.position is None else error.position
            stream = self._prefix + aggregate.id
            type_ = "?"
            if records and records[0].stream_position <= position:
                type_ = records[position - records[0].stream_position].type
            raise DamagedStreamError(
                stream, position, type_, error.reason, store_name(self.store)
            ) from error

    def _gap(
        self, expected: int, records: Sequence[RecordedEvent]
    ) -> DamagedStreamError:
        """Return the error naming the first position where the stream skips."""
        for record in records:
            if record.stream_position != expected:
                return DamagedStreamError(
                    record.stream,
                    record.stream_position,
                    record.type,
                    f"expected position {expected} here: the stream's positions"
                    " skip (events were deleted or written around the store)",
                    store_name(self.store),
                )
            expected += 1
        record = records[-1]
        return DamagedStreamError(
            record.stream,
            record.stream_position,
            record.type,
            "the stream's positions repeat",
            store_name(self.store),
        )

    def add(
        self, aggregate: A, metadata: Mapping[str, object] | None = None
    ) -> AppendResult | None:
        """Append the aggregate's uncommitted events at its loaded version.

        Returns where the append left the stream, or None if there was nothing
        to store.

        Raises:
            ConcurrencyError: someone else appended to the stream since it loaded.
        """
        pending = aggregate.uncommitted_events
        if not pending:
            return None
        encode = self.codec.encode
        schema_metadata = self.codec.schema_metadata
        shared = _encode_json(metadata).encode() if metadata else b"{}"
        new_events = []
        for event in pending:
            type_name, data = encode(event)
            schema = schema_metadata(type_name)
            encoded = (
                _encode_json({**(metadata or {}), **schema}).encode()
                if schema
                else shared
            )
            new_events.append(NewEvent(type_name, data, encoded))
        expected: ExpectedVersion = (
            StreamState.NO_STREAM if aggregate.version == NEW else aggregate.version
        )
        result = self.store.append(self._prefix + aggregate.id, new_events, expected)
        aggregate.mark_committed()
        return result
