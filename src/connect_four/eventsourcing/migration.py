"""Copy every event of one store into another, in global order, and check the copy.

The copy keeps what identifies an event: stream name, stream position, event
id, type, data and metadata, and the time it was first recorded (except in
KurrentDB, which records its own). The target numbers its own global
positions, but in the source's order.

Event ids: every store holds ids as canonical lower-case UUIDs (see
`store.EventStore`), but an older SQLite file may hold an id in upper case or
in braces, or one that is no UUID at all. The plan reads every source id
before anything is copied: ids that are UUIDs in another spelling are copied
and compared in canonical form, and any id that is not a UUID stops the
migration before it writes a thing.

A source stream whose positions skip or repeat (events deleted or written
around the store) stops the migration at the plan too, naming the stream and
position: the target would number the events again, and the copy would
differ from its source.

The source may be in use: the copy takes the events up to the last one the
plan saw, and if the source has more by the end, says so (the copy of that
prefix is complete and checked; running the command again copies the rest).

It never writes over anything: the plan refuses a target that holds any of the
source's streams, except where those streams hold exactly the source's first
events, as an interrupted copy leaves them. Copying then resumes after them.
Every append names the exact position it expects, so even a copy run twice at
once cannot duplicate an event.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from connect_four.eventsourcing.errors import (
    MigrationMismatchError,
    MigrationRefusedError,
    MigrationSourceChangedError,
    MigrationSourceIdError,
)
from connect_four.eventsourcing.events import NewEvent, RecordedEvent
from connect_four.eventsourcing.ids import is_canonical_uuid
from connect_four.eventsourcing.integrity import misplaced
from connect_four.eventsourcing.store import (
    EventStore,
    ExpectedVersion,
    StreamState,
    store_name,
)

PAGE_SIZE = 1000
"""Events read from a global log at a time."""
MAX_BATCH = 500
"""Most events copied in one append."""


@dataclass
class MigrationPlan:
    """What the source holds, and how much of it the target already has."""

    total: int = 0
    streams: dict[str, int] = field(default_factory=dict)
    """Each source stream, with its number of events."""
    copied: dict[str, int] = field(default_factory=dict)
    """Each source stream the target already holds, with its number of events."""
    last_position: int = 0
    """The global position of the source's last event when it was surveyed:
    the copy and its check go this far, and no further."""

    @property
    def already_copied(self) -> int:
        """Return how many of the source's events the target already holds."""
        return sum(self.copied.values())


def read_log(store: EventStore) -> Iterator[RecordedEvent]:
    """Yield every event of a store's global log, in order."""
    after = 0
    while page := store.read_all(after=after, limit=PAGE_SIZE):
        yield from page
        after = page[-1].global_position


def plan_migration(source: EventStore, target: EventStore) -> MigrationPlan:
    """Survey the source and check that the target may receive its events.

    Raises:
        MigrationRefusedError: the target holds a source stream with events the
            source does not have at those positions, or holds them out of the
            source's order (so it is not an interrupted copy of it).
        MigrationSourceIdError: a source event's id is not a UUID.
        UnreadableEventError: a source row cannot be read, or a source
            stream's positions skip or repeat.
    """
    plan = MigrationPlan()
    not_uuid: list[RecordedEvent] = []
    for event in read_log(source):
        plan.total += 1
        expected = plan.streams.get(event.stream, 0)
        if event.stream_position != expected:
            # The target numbers each stream from 0 without gaps: a source
            # whose positions skip cannot be copied as it is.
            raise misplaced(event, expected, store_name(source))
        plan.streams[event.stream] = event.stream_position + 1
        plan.last_position = event.global_position
        if canonical_id(event.id) is None:
            not_uuid.append(event)
    if not_uuid:
        raise MigrationSourceIdError(not_uuid[0], len(not_uuid))
    if target.last_global_position() == 0:
        return plan
    for stream in plan.streams:
        held = target.read_stream(stream)
        if held:
            _check_prefix(stream, _upto(source.read_stream(stream), plan), held)
            plan.copied[stream] = len(held)
    if plan.copied:
        _check_copied_first(source, plan)
    return plan


def canonical_id(event_id: str) -> str | None:
    """Return an id in canonical lower-case UUID form, or None if it is no UUID."""
    if is_canonical_uuid(event_id):
        return event_id
    try:
        return str(uuid.UUID(str(event_id)))
    except ValueError:
        return None


def read_planned(source: EventStore, plan: MigrationPlan) -> Iterator[RecordedEvent]:
    """Yield the source's events up to the last one the plan surveyed."""
    for event in read_log(source):
        if event.global_position > plan.last_position:
            return
        yield event


def _upto(events: list[RecordedEvent], plan: MigrationPlan) -> list[RecordedEvent]:
    return [e for e in events if e.global_position <= plan.last_position]


def copy_events(
    source: EventStore,
    target: EventStore,
    plan: MigrationPlan,
    progress: Callable[[int], None] = lambda copied: None,
) -> int:
    """Append the source's events the target lacks, in order; return how many.

    `progress` is called with the number of events copied so far.

    Raises:
        ConcurrencyError: someone else wrote to one of the streams meanwhile.
    """
    copied = 0
    batch: list[RecordedEvent] = []
    for event in read_planned(source, plan):
        if event.stream_position < plan.copied.get(event.stream, 0):
            continue
        if batch and (event.stream != batch[0].stream or len(batch) >= MAX_BATCH):
            copied += _append(target, batch)
            progress(copied)
            batch = []
        batch.append(event)
    if batch:
        copied += _append(target, batch)
        progress(copied)
    return copied


def verify_migration(
    source: EventStore, target: EventStore, plan: MigrationPlan
) -> int:
    """Check that the target holds the source's events, in order; return the count.

    The target may hold other streams too: only the source's are compared.

    Raises:
        MigrationMismatchError: an event differs, is missing or is out of order.
    """
    theirs = (e for e in read_log(target) if e.stream in plan.streams)
    count = 0
    for count, mine in enumerate(read_planned(source, plan), start=1):
        copy = next(theirs, None)
        if copy is None:
            raise MigrationMismatchError(count, f"the target lacks {_name(mine)}")
        if _identity(copy) != _identity(mine):
            raise MigrationMismatchError(
                count, f"expected {_name(mine)}, found {_name(copy)}"
            )
    extra = next(theirs, None)
    if extra is not None:
        raise MigrationMismatchError(count + 1, f"the target has {_name(extra)} too")
    return count


def check_source_unchanged(source: EventStore, plan: MigrationPlan) -> None:
    """Raise if the source's log grew after the plan surveyed it.

    Raises:
        MigrationSourceChangedError: the source holds events the copy left out.
    """
    now_at = source.last_global_position()
    if now_at != plan.last_position:
        raise MigrationSourceChangedError(plan.last_position, now_at)


def _append(target: EventStore, batch: list[RecordedEvent]) -> int:
    first = batch[0].stream_position
    expected: ExpectedVersion = StreamState.NO_STREAM if first == 0 else first - 1
    target.append(
        batch[0].stream,
        [
            NewEvent(
                e.type, e.data, e.metadata, canonical_id(e.id) or e.id, e.recorded_at
            )
            for e in batch
        ],
        expected,
    )
    return len(batch)


def _identity(event: RecordedEvent) -> tuple[object, ...]:
    return (
        event.stream,
        event.stream_position,
        canonical_id(event.id),
        event.type,
        event.data,
        event.metadata,
    )


def _name(event: RecordedEvent) -> str:
    return f"{event.type} at position {event.stream_position} of {event.stream!r}"


def _check_prefix(
    stream: str, source: list[RecordedEvent], held: list[RecordedEvent]
) -> None:
    if len(held) > len(source):
        raise MigrationRefusedError(
            stream, f"it has {len(held)} events, the source only {len(source)}"
        )
    for mine, theirs in zip(source, held, strict=False):
        if _identity(mine) != _identity(theirs):
            raise MigrationRefusedError(
                stream,
                f"its event at position {theirs.stream_position} did not come"
                " from the source",
            )


def _check_copied_first(source: EventStore, plan: MigrationPlan) -> None:
    """Refuse unless the copied events are the source's first ones, in log order."""
    gap: RecordedEvent | None = None
    for event in read_planned(source, plan):
        held = event.stream_position < plan.copied.get(event.stream, 0)
        if not held and gap is None:
            gap = event
        elif held and gap is not None:
            raise MigrationRefusedError(
                event.stream,
                f"it holds {_name(event)} but not the earlier {_name(gap)},"
                " so it is not an interrupted copy of the source",
            )
