"""Where projections keep their read models: documents and a checkpoint, together.

A read model is a set of JSON documents, grouped in collections. Each document
has a key, a sort key (read models list newest or best first) and tags to find
it by (`player:ann`, `status:finished`). A projection changes documents inside
a `DocumentSession`; `commit(checkpoint)` then writes the changed documents and
the projection's new checkpoint in one transaction, so that after a crash the
read model is exactly the fold of the events up to its checkpoint: no event is
lost and none counted twice.

A session begins only if the slot is still at the checkpoint it starts from,
reads every document as the slot stood at that checkpoint, and commits only if
the checkpoint has not moved meanwhile. Any number of processes may therefore
run a projection's runner at once: each page is folded from the documents its
checkpoint implies, only one runner's commit of it counts, and a runner that
finds the slot moved on simply reads on from there.

Every projection name has one *active* slot that serves reads. A rebuild fills
a second, inactive slot (from position zero, or from a chosen global position)
while the active one keeps serving; `promote` then swaps them in one
transaction, once the new slot is at least as far as the serving one, and
drops the old one. A reader therefore sees the old read model or the new one,
each whole, and never a read model that has gone back in time.

Stores that are SQL databases keep these tables next to their events (see
`stores/sql/projection_storage.py`); `stores/memory/projection_storage.py` is the fake.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import Protocol

from connect_four.eventsourcing.buffered_session import DocumentCache
from connect_four.eventsourcing.codec import JSONObject
from connect_four.eventsourcing.slots import Slot


@dataclass(frozen=True, slots=True)
class DocumentQuery:
    """Which documents of a collection to list, in descending sort-key order."""

    collection: str
    tags: Sequence[str] = ()
    """Only documents that carry every one of these tags."""
    limit: int | None = None
    offset: int = 0


class Documents(Protocol):
    """The documents of one slot, as a projection reads and changes them."""

    def get(self, collection: str, key: str) -> JSONObject | None:
        """Return a document, or None if it does not exist."""
        ...

    def put(
        self,
        collection: str,
        key: str,
        value: JSONObject,
        *,
        sort_key: float = 0.0,
        tags: Collection[str] = (),
    ) -> None:
        """Create or replace a document."""
        ...

    def delete(self, collection: str, key: str) -> None:
        """Remove a document if it exists."""
        ...

    @property
    def starts_after(self) -> int:
        """Return the global position the read model began after (0: the beginning).

        A read model begun later meets events of streams that began before
        it, whose first events it never saw.
        """
        ...


class DocumentSession(Documents, Protocol):
    """A unit of work on one slot, at its checkpoint: changes are kept until `commit`.

    `get` returns the same dict for the same key throughout the session, with
    the session's own changes applied, so a projection may change it in place
    and then `put` it. Leaving the `with` block without a commit abandons the
    session: nothing is written and the slot is let go.
    """

    def __enter__(self) -> DocumentSession:
        """Return the session itself."""
        ...

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Abandon the session unless it has been committed."""
        ...

    @property
    def slot(self) -> Slot:
        """Return the slot as it was when the session began."""
        ...

    def commit(self, checkpoint: int) -> Slot:
        """Write the changes and move the checkpoint, in one transaction.

        Raises:
            CheckpointConflictError: another session committed the slot since
                this one began; nothing was written.
        """
        ...


class ProjectionStorage(Protocol):
    """The tables (or dicts) that hold every projection's slots and documents."""

    def serving_slot(self, name: str) -> Slot:
        """Return the slot that serves reads, creating an empty one if none."""
        ...

    def slots(self) -> list[Slot]:
        """Return every slot of every projection, by name then generation."""
        ...

    def find_slot(self, name: str, generation: int) -> Slot | None:
        """Return one slot as it is stored now, or None if it is gone."""
        ...

    def start_rebuild(self, name: str, after: int = 0) -> Slot:
        """Return the projection's inactive slot, creating an empty one if none.

        A new slot begins after global position `after` (its `origin`). An
        interrupted rebuild is resumed rather than started over, whatever
        `after` says: its documents are consistent with its checkpoint.
        """
        ...

    def promote(self, slot: Slot) -> None:
        """Make an inactive slot the serving one and drop the others, atomically.

        Raises:
            UnknownProjectionError: the slot no longer exists.
            SlotBehindError: the serving slot has read further than this one.
        """
        ...

    def begin(self, slot: Slot, cache: DocumentCache | None = None) -> DocumentSession:
        """Start a unit of work on a slot at its checkpoint.

        A storage may make it wait while another session of the slot is open
        (memory does). A `cache` that a runner passes to every session it
        begins spares reading again the documents its own last commit wrote.

        Raises:
            CheckpointConflictError: the slot's stored checkpoint is no longer
                `slot.checkpoint` (another runner committed first), or the
                slot is gone.
        """
        ...

    def get(self, name: str, collection: str, key: str) -> JSONObject | None:
        """Return a document of a projection's serving slot, or None."""
        ...

    def find(self, name: str, query: DocumentQuery) -> list[JSONObject]:
        """Return documents of a projection's serving slot, by descending sort key.

        Documents with equal sort keys come in descending key order. A
        projection that has never run has no documents.
        """
        ...

    def close(self) -> None:
        """Release connections."""
        ...
