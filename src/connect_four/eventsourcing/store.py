"""The `EventStore` protocol that every store implements, and its one concurrency rule.

Optimistic concurrency, stated once: an append names the position the writer
last saw (its *expected version*: an exact position, "no stream" or "stream
exists"), and the store writes all its events, or none, only if the stream is
still there when it writes. `check_expected_version` below is the rule in
code. Every store applies exactly this rule, checked atomically with the
write, and raises `ConcurrencyError` otherwise: the memory and SQLite stores
call the function (SQLite inside the write transaction that holds its write
lock); PostgreSQL's append function and KurrentDB itself enforce the same
rule inside the database, each store's module docstring saying how. The
contract suite (tests/eventsourcing/stores/test_contract.py) checks every
expected-version state, racing writers included, on every store.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from typing import NamedTuple, Protocol, TypeAlias

from connect_four.eventsourcing.errors import (
    ConcurrencyError,
    DuplicateEventIdError,
    InvalidEventIdError,
)
from connect_four.eventsourcing.events import NewEvent, RecordedEvent
from connect_four.eventsourcing.ids import is_canonical_uuid


class StreamState(enum.Enum):
    """Expected-version states that are not an exact stream position."""

    NO_STREAM = "no stream"
    """The stream must not exist yet: the aggregate is new."""
    ANY = "any"
    """Append whatever the stream holds. Only for KurrentDB parity: game code
    never uses it, since it would let two writers overwrite each other."""
    EXISTS = "stream exists"
    """The stream must hold at least one event."""

    def __str__(self) -> str:
        return self.value


ExpectedVersion: TypeAlias = int | StreamState
"""An exact position (of the stream's last event) or a `StreamState`."""


class AppendResult(NamedTuple):
    """Where an append left the stream and the global log."""

    stream_position: int
    global_position: int


class EventStore(Protocol):
    """An append-only log of streams, with a total order over all of them.

    Event ids: every event's id is a UUID in canonical lower-case text form
    (`0f8fad5b-d9cb-469f-a165-70867728950e`), unique in the store. An append
    whose ids are not all canonical is refused before anything is written
    (`InvalidEventIdError`); one that carries an id the store already holds
    (in any stream, or twice in the same append) is refused as well
    (`DuplicateEventIdError`), except that a store may recognise a retried
    append, the same events at the same place, and report it done without
    writing again, as KurrentDB does.
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
            InvalidEventIdError: an event's id is not a canonical UUID.
            DuplicateEventIdError: an event's id is already stored.
        """
        ...

    def read_stream(self, stream: str, from_position: int = 0) -> list[RecordedEvent]:
        """Return the stream's events from a position on, oldest first (or none).

        Raises:
            UnreadableEventError: a stored row is damaged (a column of the
                wrong type, an impossible time).
        """
        ...

    def read_all(self, after: int = 0, limit: int = 1000) -> list[RecordedEvent]:
        """Return up to `limit` events whose global position is after `after`, in order.

        A reader that follows the log page by page, passing the last global
        position it saw, sees every event exactly once, even under concurrent
        appends.
        """
        ...

    def last_global_position(self) -> int:
        """Return the global position of the newest event, or 0 for an empty store."""
        ...

    def close(self) -> None:
        """Release connections and files."""
        ...


def check_expected_version(
    stream: str, expected: ExpectedVersion, actual: int | None
) -> None:
    """Raise if a stream whose last position is `actual` is not as expected.

    `actual` is None when the stream does not exist. This is the rule every
    store applies inside its write (see the module docstring).

    Raises:
        ConcurrencyError: the stream is not at `expected`.
    """
    if expected is StreamState.ANY:
        return
    if expected is StreamState.NO_STREAM:
        ok = actual is None
    elif expected is StreamState.EXISTS:
        ok = actual is not None
    else:
        ok = actual == expected
    if not ok:
        raise ConcurrencyError(stream, expected, actual)


def check_event_ids(stream: str, events: Sequence[NewEvent]) -> None:
    """Refuse events whose ids are not canonical UUIDs or repeat within the append.

    Every store calls this before it writes anything. It costs a regular
    expression match per event, next to an append's round trip or fsync.

    Raises:
        InvalidEventIdError: an id is not a UUID in canonical lower-case form.
        DuplicateEventIdError: two of the events share an id.
    """
    for event in events:
        if not is_canonical_uuid(event.id):
            raise InvalidEventIdError(stream, event.id)
    if len(events) > 1:
        seen: set[str] = set()
        for event in events:
            if event.id in seen:
                raise DuplicateEventIdError(stream, event.id)
            seen.add(event.id)


def store_name(store: object) -> str:
    """Name a store for messages: its `name` if it has one, else its repr."""
    name = getattr(store, "name", None)
    return name if isinstance(name, str) else repr(store)
