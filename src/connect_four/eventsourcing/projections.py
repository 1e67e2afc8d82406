"""Projections: read models folded from the global log, with a durable checkpoint.

A `Projection` says which streams it reads, how to decode their events and how
one event changes its documents. A `ProjectionRunner` feeds it: it reads the
log from the slot's checkpoint through a `CatchUpSubscription`, decodes a page
of events, then applies them inside a `DocumentSession` and commits the
documents together with the new checkpoint. A runner killed at any moment
therefore resumes where the last commit left off.

Any number of runners, in any number of processes, may feed one slot. A
session begins only at the slot's stored checkpoint, reads the documents as
they stood there, and commits only if the checkpoint has not moved: a runner
that finds the slot moved on (a `CheckpointConflictError` from `begin` or
`commit`) has written nothing, and reads on from the new checkpoint. Every
document a page reads is therefore the one its checkpoint implies; a runner
never stops on an event that only looks out of place because another runner
got there first.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final, Generic, Protocol, TypeVar

from connect_four.eventsourcing.buffered_session import DocumentCache
from connect_four.eventsourcing.codec import EventCodec
from connect_four.eventsourcing.errors import (
    CheckpointConflictError,
    ProjectionStoppedError,
    SlotBehindError,
    UnknownPositionError,
    UnreadableDocumentError,
    UnreadableEventError,
)
from connect_four.eventsourcing.events import RecordedEvent
from connect_four.eventsourcing.projection_storage import Documents, ProjectionStorage
from connect_four.eventsourcing.slots import Slot
from connect_four.eventsourcing.store import EventStore
from connect_four.eventsourcing.subscriptions import (
    PAGE_SIZE,
    POLL_INTERVAL,
    AppendNotifier,
    CatchUpSubscription,
)

E = TypeVar("E")

Progress = Callable[[Slot], None]
"""Called with the slot after each committed page."""


class Projection(Protocol[E]):
    """A read model's rules: which events it reads and what each one changes."""

    @property
    def name(self) -> str:
        """Return the name its documents are stored under."""
        ...

    @property
    def stream_prefix(self) -> str:
        """Return the prefix of the streams it reads; other events pass it by."""
        ...

    @property
    def codec(self) -> EventCodec[E]:
        """Return the codec that decodes the events of those streams."""
        ...

    def apply(self, event: E, record: RecordedEvent, documents: Documents) -> None:
        """Change the documents by one event.

        Raises:
            UnreadableEventError: the event does not fit the history before it.
        """
        ...


@dataclass(frozen=True, slots=True)
class ProjectionStatus:
    """How far a projection's slot has read, and how far it is behind."""

    slot: Slot
    head: int
    """The global position of the newest event in the store."""
    lag: int
    """How many events the slot is behind the head (counted up to `LAG_COUNTED`)."""


LAG_COUNTED: Final = 10_000
"""Events counted behind a slot: enough to tell a lagging read model."""


def projection_statuses(
    store: EventStore, storage: ProjectionStorage
) -> list[ProjectionStatus]:
    """Return the status of every stored slot against the store's newest event.

    The lag is in events, not in positions: a store may number its log
    sparsely (PostgreSQL, KurrentDB), and then the events are counted.
    """
    head = store.last_global_position()
    statuses = []
    for slot in storage.slots():
        # In a dense log the difference of positions is the count; a sparse
        # one (a PostgreSQL log spaces transactions 65,536 apart) is counted.
        behind = max(head - slot.checkpoint, 0)
        if behind > LAG_COUNTED:
            try:
                behind = len(store.read_all(slot.checkpoint, LAG_COUNTED))
            except UnreadableEventError:
                # A damaged row stops the projection, which says so; its lag
                # stays the difference of positions, an upper bound.
                behind = head - slot.checkpoint
        statuses.append(ProjectionStatus(slot, head, behind))
    return statuses


class ProjectionRunner(Generic[E]):
    """Keep one projection's slot up to date with the global log."""

    def __init__(
        self,
        store: EventStore,
        storage: ProjectionStorage,
        projection: Projection[E],
        *,
        page_size: int = PAGE_SIZE,
        poll_interval: float = POLL_INTERVAL,
        notifier: AppendNotifier | None = None,
    ) -> None:
        self.projection = projection
        self._store = store
        self._storage = storage
        self._page_size = page_size
        self._poll_interval = poll_interval
        self._notifier = notifier
        self._stopped = threading.Event()
        self._subscription: CatchUpSubscription | None = None
        self._cache = DocumentCache()

    def catch_up(self, progress: Progress | None = None) -> Slot:
        """Fold every event not yet in the serving slot into it; return the slot.

        Raises:
            ProjectionStoppedError: an event cannot be read; the checkpoint stays
                before the page that holds it.
        """
        return self._follow(self._serving_slot, live=False, progress=progress)

    def run(self, progress: Progress | None = None) -> Slot:
        """Catch up, then follow the log live until `stop()`; return the slot.

        Raises:
            ProjectionStoppedError: an event cannot be read.
        """
        return self._follow(self._serving_slot, live=True, progress=progress)

    def rebuild(self, progress: Progress | None = None, *, after: int = 0) -> Slot:
        """Fill a new slot from global position `after`, then make it the serving one.

        The serving slot keeps answering reads (and other runners keep it
        current) until the new slot has caught up with the log and with the
        serving slot; the swap is one transaction. If the serving slot has
        moved on meanwhile, the new one catches up again and retries.

        Raises:
            UnknownPositionError: `after` is past the newest stored event.
            ProjectionStoppedError: an event cannot be read; the new slot is
                kept, unpromoted, for a later rebuild to resume.
        """
        head = self._store.last_global_position()
        if after > head:
            raise UnknownPositionError(after, head)
        name = self.projection.name
        first = self._storage.start_rebuild(name, after)

        def current() -> Slot | None:
            return self._storage.find_slot(name, first.generation)

        while not self._stopped.is_set():
            slot = self._follow(current, live=False, progress=progress)
            if slot.active:
                # Promoted already (by a rebuild beside this one), or gone.
                break
            try:
                self._storage.promote(slot)
            except SlotBehindError:
                continue
            break
        return self._serving_slot()

    def stop(self) -> None:
        """Ask a running `run`, `catch_up` or `rebuild` to end after its page."""
        self._stopped.set()
        subscription = self._subscription
        if subscription is not None:
            subscription.stop()

    def _serving_slot(self) -> Slot:
        return self._storage.serving_slot(self.projection.name)

    def _follow(
        self,
        current: Callable[[], Slot | None],
        *,
        live: bool,
        progress: Progress | None,
    ) -> Slot:
        slot = current()
        while slot is not None:
            subscription = CatchUpSubscription(
                self._store,
                slot.checkpoint,
                page_size=self._page_size,
                poll_interval=self._poll_interval,
                notifier=self._notifier,
            )
            self._subscription = subscription
            if self._stopped.is_set():
                return slot
            try:
                for page in subscription.pages(live=live):
                    slot = self._apply(slot, page)
                    if progress is not None:
                        progress(slot)
            except CheckpointConflictError:
                # Another runner committed this slot first: go on from
                # wherever it got to.
                slot = current()
            else:
                return slot
        return self._serving_slot()

    def _apply(self, slot: Slot, page: list[RecordedEvent]) -> Slot:
        projection = self.projection
        prefix = projection.stream_prefix
        decode = projection.codec.decode
        apply = projection.apply
        try:
            # Decoding needs no documents: it is done before the session begins.
            events = [
                (decode(record), record)
                for record in page
                if record.stream.startswith(prefix)
            ]
        except UnreadableEventError as exc:
            raise ProjectionStoppedError(projection.name, slot.checkpoint, exc) from exc
        # The session takes the cache; it is given back only by a commit.
        with self._storage.begin(slot, self._cache) as session:
            try:
                for event, record in events:
                    apply(event, record, session)
            except UnreadableEventError as exc:
                raise ProjectionStoppedError(
                    projection.name, slot.checkpoint, exc
                ) from exc
            except (KeyError, TypeError, ValueError) as exc:
                # A stored document edited by hand into another shape (a
                # field missing, or of another type) fails the fold that
                # reads it; nothing of the page is written.
                raise _unfoldable(projection.name, record, exc) from exc
            return session.commit(page[-1].global_position)


def _unfoldable(
    projection: str, record: RecordedEvent, error: Exception
) -> UnreadableDocumentError:
    """Return the error for a stored document an event could not be folded into."""
    what = f"missing the field {error}" if isinstance(error, KeyError) else str(error)
    return UnreadableDocumentError(
        projection,
        f"the one event {record.stream_position} of stream {record.stream!r} changes",
        f"folding that event into it failed ({what})",
    )
