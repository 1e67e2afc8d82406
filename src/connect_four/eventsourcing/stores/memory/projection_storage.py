"""Read models in process memory: the fake `ProjectionStorage` for tests and demos.

Documents are kept as JSON text, as the databases keep them, so a projection
that works here works there; it passes the same contract tests. A session
holds one writer lock from `begin` to its commit (slot changes take it too):
in one process that is the plainest way to give a session the documents its
checkpoint implies, where the databases read from a snapshot instead.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Sequence
from datetime import UTC, datetime

from connect_four.eventsourcing.buffered_session import (
    BufferedSession,
    DocumentCache,
    DocumentChange,
    StoredDocument,
)
from connect_four.eventsourcing.codec import JSONObject
from connect_four.eventsourcing.documents import decode_document
from connect_four.eventsourcing.errors import (
    CheckpointConflictError,
    SlotBehindError,
    UnknownProjectionError,
)
from connect_four.eventsourcing.projection_storage import DocumentQuery, DocumentSession
from connect_four.eventsourcing.slots import Slot

_Documents = dict[tuple[str, str], StoredDocument]


class InMemoryProjectionStorage:
    """Keep slots and their documents in dicts, behind one lock."""

    def __init__(self) -> None:
        self._slots: dict[tuple[str, int], Slot] = {}
        self._documents: dict[tuple[str, int], _Documents] = {}
        self._lock = threading.Lock()
        """Guards the dicts for the moment of one read or write."""
        self._writer = threading.Lock()
        """Held by a session from begin to commit, and by every slot change."""

    def serving_slot(self, name: str) -> Slot:
        """Return the slot that serves reads, creating an empty one if none."""
        with self._lock:
            serving = self._serving(name)
        if serving is not None:
            return serving
        with self._writer, self._lock:
            serving = self._serving(name)
            if serving is None:
                serving = self._create(name, active=True, after=0)
            return serving

    def slots(self) -> list[Slot]:
        """Return every slot of every projection, by name then generation."""
        with self._lock:
            return [self._slots[key] for key in sorted(self._slots)]

    def find_slot(self, name: str, generation: int) -> Slot | None:
        """Return one slot as it is stored now, or None if it is gone."""
        with self._lock:
            return self._slots.get((name, generation))

    def start_rebuild(self, name: str, after: int = 0) -> Slot:
        """Return the projection's inactive slot, creating an empty one if none."""
        with self._writer, self._lock:
            for slot in self._slots.values():
                if slot.name == name and not slot.active:
                    return slot
            return self._create(name, active=False, after=after)

    def promote(self, slot: Slot) -> None:
        """Make an inactive slot the serving one and drop the others, atomically."""
        with self._writer, self._lock:
            stored = self._slots.get((slot.name, slot.generation))
            if stored is None:
                raise UnknownProjectionError(slot.name)
            serving = self._serving(slot.name)
            if serving is not None and serving.checkpoint > stored.checkpoint:
                raise SlotBehindError(slot.name, stored.checkpoint, serving.checkpoint)
            for key in [key for key in self._slots if key[0] == slot.name]:
                if key[1] != slot.generation:
                    del self._slots[key]
                    del self._documents[key]
            self._slots[slot.name, slot.generation] = _replace(stored, active=True)

    def begin(self, slot: Slot, cache: DocumentCache | None = None) -> DocumentSession:
        """Start a unit of work on a slot at its checkpoint, holding the slot."""
        self._writer.acquire()
        with self._lock:
            stored = self._slots.get((slot.name, slot.generation))
        if stored is None or stored.checkpoint != slot.checkpoint:
            self._writer.release()
            raise CheckpointConflictError(slot.name, slot.generation, slot.checkpoint)
        return BufferedSession(slot, _Claim(self, slot), cache)

    def get(self, name: str, collection: str, key: str) -> JSONObject | None:
        """Return a document of a projection's serving slot, or None."""
        with self._lock:
            serving = self._serving(name)
            if serving is None:
                return None
            stored = self._documents[name, serving.generation].get((collection, key))
        return None if stored is None else decode_document(stored.value, name)

    def find(self, name: str, query: DocumentQuery) -> list[JSONObject]:
        """Return documents of a projection's serving slot, by descending sort key."""
        with self._lock:
            serving = self._serving(name)
            if serving is None:
                return []
            documents = self._documents[name, serving.generation]
            wanted = set(query.tags)
            found = [
                (stored.sort_key, key, stored)
                for (collection, key), stored in documents.items()
                if collection == query.collection and wanted.issubset(stored.tags)
            ]
        found.sort(key=lambda item: (item[0], item[1]), reverse=True)
        end = None if query.limit is None else query.offset + query.limit
        return [
            decode_document(stored.value, name)
            for _, _, stored in found[query.offset : end]
        ]

    def close(self) -> None:
        """Do nothing: memory needs no releasing."""

    def _serving(self, name: str) -> Slot | None:
        for slot in self._slots.values():
            if slot.name == name and slot.active:
                return slot
        return None

    def _create(self, name: str, *, active: bool, after: int) -> Slot:
        generation = 1 + max(
            (key[1] for key in self._slots if key[0] == name), default=0
        )
        slot = Slot(name, generation, active, after, None, after)
        self._slots[name, generation] = slot
        self._documents[name, generation] = {}
        return slot

    def _load(self, slot: Slot, collection: str, key: str) -> StoredDocument | None:
        with self._lock:
            documents = self._documents.get((slot.name, slot.generation), {})
            return documents.get((collection, key))


class _Claim:
    """A session's hold on a slot: the storage's writer lock, released at the end."""

    def __init__(self, storage: InMemoryProjectionStorage, slot: Slot) -> None:
        self._storage = storage
        self._slot = slot
        self._key = (slot.name, slot.generation)

    def load(self, collection: str, key: str) -> StoredDocument | None:
        """Return a document of the slot as stored, or None."""
        return self._storage._load(self._slot, collection, key)

    def write(self, changes: Sequence[DocumentChange], checkpoint: int) -> Slot:
        """Write the changes, move the checkpoint and let the slot go."""
        storage = self._storage
        try:
            with storage._lock:
                documents = storage._documents[self._key]
                for change in changes:
                    if change.document is None:
                        documents.pop((change.collection, change.key), None)
                    else:
                        documents[change.collection, change.key] = change.document
                stored = storage._slots[self._key]
                updated = dataclasses.replace(
                    stored, checkpoint=checkpoint, updated_at=datetime.now(UTC)
                )
                storage._slots[self._key] = updated
                return updated
        finally:
            storage._writer.release()

    def release(self, error: BaseException | None) -> None:
        """Let the slot go; nothing was written."""
        self._storage._writer.release()


def _replace(slot: Slot, *, active: bool) -> Slot:
    return dataclasses.replace(slot, active=active)
