"""The generic `Repository`: load aggregates from, and store them in, an event store."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Generic, Protocol, TypeVar

from connect_four.eventsourcing.aggregate import NEW, Aggregate
from connect_four.eventsourcing.cache import AggregateCache
from connect_four.eventsourcing.codec import EventCodec
from connect_four.eventsourcing.errors import (
    AggregateNotFoundError,
    DamagedStreamError,
    ImpossibleEventError,
    UnreadableEventError,
)
from connect_four.eventsourcing.events import NewEvent, RecordedEvent
from connect_four.eventsourcing.snapshots import Snapshot, Snapshotting
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

    With `snapshotting`, it loads from the newest snapshot plus the events
    after it, and takes a new snapshot whenever an append crosses a multiple
    of `snapshotting.every` events (see `snapshots`).

    With `cache_size`, it keeps copies of the aggregates it last loaded or
    stored: `get` then replays only the events stored since, and
    `get_for_command` reads nothing at all (see `cache`).
    """

    def __init__(
        self,
        store: StreamStore,
        codec: EventCodec[E],
        factory: Callable[[str], A],
        stream_prefix: str,
        snapshotting: Snapshotting[A] | None = None,
        cache_size: int = 0,
    ) -> None:
        self.store = store
        self.codec = codec
        self._factory = factory
        self._prefix = stream_prefix
        self._snapshotting = snapshotting
        self._cache: AggregateCache[A] | None = (
            AggregateCache(cache_size) if cache_size else None
        )

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
        cache = self._cache
        aggregate = None if cache is None else cache.take(stream)
        if aggregate is None:
            aggregate = self._from_snapshot(aggregate_id, stream)
        if aggregate is None:
            records = self.store.read_stream(stream)
            if not records:
                raise AggregateNotFoundError(stream)
            aggregate = self._factory(aggregate_id)
        else:
            records = self.store.read_stream(stream, aggregate.version + 1)
        self._load(aggregate, records)
        if cache is not None:
            cache.keep(stream, aggregate)
        return aggregate

    def get_for_command(self, aggregate_id: str) -> A:
        """Return an aggregate for a command that will append to it, from the cache.

        A cached copy is returned as it is, without reading the store: it may
        miss events another writer appended since, but then the command's
        append, made at the copy's version, fails with a `ConcurrencyError`,
        and the caller loads with `get` and decides again. Queries, which have
        no append to catch a stale state, use `get`. Without a cached copy,
        this is `get`.

        Raises:
            AggregateNotFoundError: the stream holds no events.
            UnreadableEventError: a stored event cannot be decoded, or cannot
                follow the events before it.
        """
        if self._cache is not None:
            cached = self._cache.take(self._prefix + aggregate_id)
            if cached is not None:
                return cached
        return self.get(aggregate_id)

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
        loaded_at = aggregate.version
        stream = self._prefix + aggregate.id
        result = self.store.append(stream, new_events, expected)
        aggregate.mark_committed()
        if self._cache is not None:
            self._cache.keep(stream, aggregate)
        snapshotting = self._snapshotting
        if snapshotting is not None and snapshotting.is_due(
            loaded_at, aggregate.version
        ):
            self.take_snapshot(aggregate)
        return result

    def take_snapshot(self, aggregate: A) -> None:
        """Store a snapshot of a stored aggregate's state, if its type has opted in."""
        snapshotting = self._snapshotting
        if snapshotting is None or aggregate.uncommitted_events:
            return
        state = snapshotting.snapshotter.take(aggregate)
        snapshotting.store.put(
            Snapshot(
                self._prefix + aggregate.id,
                aggregate.version,
                snapshotting.snapshotter.version,
                _encode_json(state).encode(),
                datetime.now(UTC),
            )
        )

    def _from_snapshot(self, aggregate_id: str, stream: str) -> A | None:
        snapshotting = self._snapshotting
        if snapshotting is None:
            return None
        snapshot = snapshotting.store.get(stream)
        snapshotter = snapshotting.snapshotter
        if snapshot is None or snapshot.version != snapshotter.version:
            return None
        try:
            state = json.loads(snapshot.state)
        except (UnicodeDecodeError, json.JSONDecodeError):
            # A snapshot is only a cache of the events: replay them instead.
            return None
        aggregate = snapshotter.restore(aggregate_id, state)
        aggregate.version = snapshot.position
        return aggregate
