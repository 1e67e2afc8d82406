"""Scan a whole store for damage: rows that cannot be read, streams that cannot be.

A store damaged by hand (a `sqlite3` shell, a SQL console, a restore gone
wrong) fails where a command reads the damaged stream, naming the stream and
the position. This scan finds every such stream at once, without waiting for
a command to meet it, and reads without writing anything.

It runs in two passes. The first follows the global log as a subscription
does, reporting each row the store cannot read (and reading past it, when the
store says where it is) and each stream whose positions skip or repeat. The
second reads every other stream whole and hands it to a check the caller
chooses per stream (the game's repository replays a game's stream against the
rules; the default checks that data and metadata are JSON objects).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

from connect_four.eventsourcing.codec import check_envelope, read_data
from connect_four.eventsourcing.errors import EventSourcingError, UnreadableEventError
from connect_four.eventsourcing.events import RecordedEvent
from connect_four.eventsourcing.store import EventStore, store_name

PAGE_SIZE = 1000
"""Events read from the log at a time."""

StreamCheck = Callable[[str, Sequence[RecordedEvent]], None]
"""Raise `EventSourcingError` if a whole stream, read in order, is damaged."""


@dataclass(frozen=True, slots=True)
class Damage:
    """The first thing wrong with one stream, as the error that says it."""

    stream: str
    message: str


@dataclass
class Survey:
    """What a scan found: how much it read and every damaged stream."""

    events: int = 0
    streams: int = 0
    damage: list[Damage] = field(default_factory=list)
    unreadable_tail: str | None = None
    """Why the scan could not read the log to its end, if it could not."""

    @property
    def is_healthy(self) -> bool:
        """Return whether nothing damaged was found."""
        return not self.damage and self.unreadable_tail is None


def scan_store(
    store: EventStore, check_for: Callable[[str], StreamCheck] | None = None
) -> Survey:
    """Read every event of a store and report each damaged stream once.

    `check_for(stream)` returns the check for a stream's events; without it,
    every event's data and metadata must be JSON objects.
    """
    survey = Survey()
    ends: dict[str, int] = {}
    damaged: dict[str, Damage] = {}
    for item in _log(store, survey):
        if isinstance(item, UnreadableEventError):
            damaged.setdefault(item.stream, Damage(item.stream, str(item)))
            continue
        survey.events += 1
        expected = ends.get(item.stream, 0)
        ends[item.stream] = item.stream_position + 1
        if item.stream_position != expected and item.stream not in damaged:
            damaged[item.stream] = Damage(
                item.stream,
                str(misplaced(item, expected, store_name(store))),
            )
    survey.streams = len(ends.keys() | damaged.keys())
    for stream in ends:
        if stream in damaged:
            continue
        check = json_objects if check_for is None else check_for(stream)
        try:
            check(stream, store.read_stream(stream))
        except EventSourcingError as error:
            damaged[stream] = Damage(stream, str(error))
    survey.damage = sorted(damaged.values(), key=lambda d: d.stream)
    return survey


def json_objects(stream: str, records: Sequence[RecordedEvent]) -> None:
    """Check that each event's data and metadata are JSON objects.

    Raises:
        UnreadableEventError: an event's data or metadata is not.
    """
    for record in records:
        check_envelope(record)
        read_data(record)
        try:
            metadata = json.loads(record.metadata)
        except ValueError as exc:
            raise UnreadableEventError.from_record(
                record, "metadata is not UTF-8 JSON"
            ) from exc
        if not isinstance(metadata, dict):
            raise UnreadableEventError.from_record(
                record, "metadata is not a JSON object"
            )


def _log(
    store: EventStore, survey: Survey
) -> Iterator[RecordedEvent | UnreadableEventError]:
    """Yield the log's events, and an error in place of each unreadable row."""
    after = 0
    while True:
        try:
            page = store.read_all(after, PAGE_SIZE)
        except UnreadableEventError:
            # Read one event at a time up to the damaged row, to read past it.
            try:
                page = store.read_all(after, 1)
            except UnreadableEventError as error:
                yield error
                if error.global_position is None or error.global_position <= after:
                    survey.unreadable_tail = (
                        f"the log cannot be read after global position {after}: {error}"
                    )
                    return
                after = error.global_position
                continue
        if not page:
            return
        yield from page
        after = page[-1].global_position


def misplaced(record: RecordedEvent, expected: int, store: str) -> UnreadableEventError:
    """Return the error for an event that is not at the stream's next position."""
    if record.stream_position > expected:
        reason = (
            f"expected position {expected} here: the stream's positions skip"
            " (events were deleted or written around the store)"
        )
    else:
        reason = "the stream's positions repeat or go back in the log"
    return UnreadableEventError(
        record.stream, record.stream_position, record.type, reason, store
    )
