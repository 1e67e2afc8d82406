"""Every error of the event-sourcing core, under one root: `EventSourcingError`.

The aggregate, the codec, the repository, the projections, migration and every
event store raise these, and only these, so a caller can catch the core's
errors with one `except`. Each error carries its facts as attributes and builds
its own message, so that callers can react to the facts and users can read the
message.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from connect_four.eventsourcing.events import RecordedEvent


class EventSourcingError(Exception):
    """Root of every error raised by the core and the stores."""


class ConcurrencyError(EventSourcingError):
    """The stream was not at the version the writer expected."""

    def __init__(self, stream: str, expected: object, actual: int | None) -> None:
        self.stream = stream
        self.expected = expected
        self.actual = actual
        shown = "no stream" if actual is None else f"position {actual}"
        super().__init__(
            f"stream {stream!r} was expected at {expected}, but it is at {shown}"
        )


class AggregateNotFoundError(EventSourcingError):
    """No events exist for the requested aggregate."""

    def __init__(self, stream: str) -> None:
        self.stream = stream
        super().__init__(f"stream {stream!r} holds no events")


class UnreadableEventError(EventSourcingError):
    """A stored event cannot be turned back into a domain event.

    It names the stream, the position and the stored type, and the store when
    the code that found the damage knows it (`store`, empty otherwise).
    """

    def __init__(
        self, stream: str, position: int, type_: str, reason: str, store: str = ""
    ) -> None:
        self.stream = stream
        self.position = position
        self.type = type_
        self.reason = reason
        self.store = store
        self.global_position: int | None = None
        """The event's place in the log, when the reader knows it."""
        where = f" in {store}" if store else ""
        super().__init__(
            f"cannot read event {type_!r} at position {position} "
            f"of stream {stream!r}{where}: {reason}"
        )

    @classmethod
    def from_record(cls, record: RecordedEvent, reason: str) -> UnreadableEventError:
        """Return the error that names a stored event by stream, position and type."""
        return cls(record.stream, record.stream_position, record.type, reason)

    def in_store(self, store: str) -> UnreadableEventError:
        """Return this error naming the store as well, unless it already does."""
        if self.store or not store:
            return self
        return UnreadableEventError(
            self.stream, self.position, self.type, self.reason, store
        )


class DamagedStreamError(UnreadableEventError):
    """A stream's stored events cannot be its history: a gap, or a broken rule.

    Each event may decode, yet together they cannot have been written by this
    program: positions that skip, or a history the aggregate's rules forbid (a
    move after the end, a win never declared). The stream refuses new commands
    until it is repaired.
    """


class InvalidEventIdError(EventSourcingError):
    """An event to append has an id that is not a UUID in canonical form."""

    def __init__(self, stream: str, event_id: object) -> None:
        self.stream = stream
        self.event_id = event_id
        super().__init__(
            f"cannot append to stream {stream!r}: event id {event_id!r} is not a"
            " UUID in canonical lower-case form (like"
            " '0f8fad5b-d9cb-469f-a165-70867728950e')"
        )


class DuplicateEventIdError(EventSourcingError):
    """An event to append has an id that the store already holds."""

    def __init__(self, stream: str, event_id: str) -> None:
        self.stream = stream
        self.event_id = event_id
        super().__init__(
            f"cannot append to stream {stream!r}: the store already holds an event"
            f" with id {event_id!r} (event ids are unique in a store)"
        )


class AppendTooLargeError(EventSourcingError):
    """An append holds more events or bytes than the store takes in one call."""

    def __init__(self, stream: str, size: int, limit: int | None, unit: str) -> None:
        self.stream = stream
        self.size = size
        self.limit = limit
        """The most the store takes, or None if it did not say."""
        self.unit = unit
        most = "less" if limit is None else f"at most {limit} {unit}"
        super().__init__(
            f"cannot append {size} {unit} to stream {stream!r} in one call:"
            f" the store takes {most}; split the append"
        )


class ForeignDatabaseError(EventSourcingError):
    """The database holds other tables and not this program's: refused, untouched."""

    def __init__(self, store: str, tables: list[str]) -> None:
        self.store = store
        self.tables = tables
        shown = ", ".join(tables[:5]) + (", ..." if len(tables) > 5 else "")
        super().__init__(
            f"{store} belongs to another program (it holds the tables {shown} and"
            " no connect-four events): refusing to add tables to it; choose a new"
            " file or schema"
        )


class StoreUnavailableError(EventSourcingError):
    """The store cannot be reached, opened or written to."""

    def __init__(self, store: str, reason: str) -> None:
        self.store = store
        # Drivers' words may run over several lines (libpq's "server closed
        # the connection unexpectedly\n\tThis probably means ..."): the user
        # gets one.
        self.reason = " ".join(reason.split())
        super().__init__(f"event store {store} is unavailable: {self.reason}")


class InvalidStoreURLError(EventSourcingError):
    """A store URL names no store this program knows."""

    def __init__(self, url: str, reason: str) -> None:
        self.url = url
        self.reason = reason
        super().__init__(f"cannot open event store {url!r}: {reason}")


class UnreadableDocumentError(EventSourcingError):
    """A read model's stored document is not the JSON object it was written as.

    Read models hold nothing the events do not: rebuilding the projection
    from the log writes the document again, which the message says how to do.
    """

    def __init__(self, projection: str, key: str, reason: str) -> None:
        self.projection = projection
        self.key = key
        self.reason = reason
        named = f" ({key})" if key else ""
        super().__init__(
            f"read model {projection!r} holds a document{named} that cannot be"
            f" read: {reason}; run `connect-four projections rebuild {projection}`"
            " to build it again from the events"
        )


class ImpossibleEventError(EventSourcingError):
    """A stored event cannot follow the events before it.

    `apply` raises it when history breaks the aggregate's rules (a corrupted or
    hand-edited stream, say). `load_from_history` fills in `position`, the
    event's stream position, so the repository can name the culprit.
    """

    def __init__(self, reason: str) -> None:
        self.reason = reason
        self.position: int | None = None
        super().__init__(reason)


class SessionClosedError(EventSourcingError):
    """A session was used after its commit."""

    def __init__(self) -> None:
        super().__init__("this document session has been committed already")


class UnknownProjectionError(EventSourcingError):
    """No read model of that name is stored."""

    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__(f"there is no projection {name!r}")


class ProjectionSchemaError(EventSourcingError):
    """The read models' tables were made by a newer version of this program."""

    def __init__(self, where: str, found: int, known: int) -> None:
        self.where = where
        self.found = found
        self.known = known
        super().__init__(
            f"the read models in {where} have schema version {found}, but this"
            f" version of connect-four knows only up to {known}: upgrade it"
        )


class SlotBehindError(EventSourcingError):
    """A rebuilt slot may not serve yet: the serving slot has read further."""

    def __init__(self, name: str, checkpoint: int, serving: int) -> None:
        self.name = name
        self.checkpoint = checkpoint
        self.serving = serving
        super().__init__(
            f"the rebuilt projection {name!r} is at global position {checkpoint},"
            f" behind the serving one at {serving}: it must catch up first"
        )


class CheckpointConflictError(EventSourcingError):
    """Another runner moved the slot's checkpoint first; nothing was written."""

    def __init__(self, name: str, generation: int, expected: int) -> None:
        self.name = name
        self.generation = generation
        self.expected = expected
        super().__init__(
            f"projection {name!r} (generation {generation}) is no longer at"
            f" checkpoint {expected}: another runner committed first"
        )


class UnknownPositionError(EventSourcingError):
    """A read model was asked to begin after a position the log has not reached."""

    def __init__(self, position: int, head: int) -> None:
        self.position = position
        self.head = head
        super().__init__(
            f"there is no global position {position} yet: the newest event is at {head}"
        )


class ProjectionStoppedError(EventSourcingError):
    """A projection met an event it cannot read; it stopped before it."""

    def __init__(self, name: str, checkpoint: int, cause: UnreadableEventError) -> None:
        self.name = name
        self.checkpoint = checkpoint
        self.cause = cause
        super().__init__(
            f"projection {name!r} stopped; its checkpoint stays at global"
            f" position {checkpoint}: {cause}"
        )


class ReadOnlyStoreError(EventSourcingError):
    """Something tried to append to a read-only view of a store."""

    def __init__(self, stream: str) -> None:
        self.stream = stream
        super().__init__(
            f"cannot append to {stream!r}: this view of the store is read-only"
        )


class DamagedCopyError(EventSourcingError):
    """A SQLite file fails SQLite's own integrity check."""

    def __init__(self, path: str, report: str) -> None:
        self.path = path
        self.report = report
        super().__init__(f"{path} is damaged or not a SQLite database: {report}")


class MigrationSourceChangedError(EventSourcingError):
    """Events were added to the source while it was being copied."""

    def __init__(self, copied_up_to: int, now_at: int) -> None:
        self.copied_up_to = copied_up_to
        self.now_at = now_at
        super().__init__(
            "the source changed during the copy: its log grew from global"
            f" position {copied_up_to} to {now_at}. Everything up to"
            f" {copied_up_to} was copied and verified; stop the programs writing"
            " to the source and run the same command again to copy the rest"
        )


class MigrationSourceIdError(EventSourcingError):
    """A source event's id is not a UUID: no store of this program can hold it."""

    def __init__(self, event: RecordedEvent, count: int) -> None:
        self.stream = event.stream
        self.position = event.stream_position
        self.event_id = event.id
        self.count = count
        others = f" ({count - 1} more like it)" if count > 1 else ""
        super().__init__(
            f"the source's event at position {event.stream_position} of stream"
            f" {event.stream!r} has the id {event.id!r}, which is not a UUID"
            f"{others}; nothing was copied"
        )


class MigrationMismatchError(EventSourcingError):
    """After the copy, the two stores do not hold the same events."""

    def __init__(self, position: int, reason: str) -> None:
        self.position = position
        self.reason = reason
        super().__init__(
            f"the copy differs from the source at event {position}: {reason}"
        )


class MigrationRefusedError(EventSourcingError):
    """The target already holds a stream of the source, with other events."""

    def __init__(self, stream: str, reason: str) -> None:
        self.stream = stream
        self.reason = reason
        super().__init__(
            f"refusing to copy into a store that already holds stream {stream!r}:"
            f" {reason}"
        )
