"""`BufferedSession`: the unit of work every `ProjectionStorage` hands out.

It remembers each document it has read or been given (an identity map) and
the changes made to them, and passes the changes to its storage only at
`commit`. A page of a thousand events that touches the same game a dozen times
thus costs one read and one write of that game, not a dozen of each.

The session works on a `SlotClaim`: the storage's transaction on one slot,
begun when the session begins (after checking that the slot is still at the
checkpoint the session starts from) and ended by the commit or when the
session is abandoned. Every document is read in that transaction, from the
slot as it stood at that checkpoint, and the commit writes only if the
checkpoint has not moved since: a document read is always the one the
session's checkpoint implies.

A runner that commits page after page may also hand each session a
`DocumentCache`: the documents as its own last commit left them. They are
still exactly what is stored as long as the slot's checkpoint is the one that
commit set, because every write to a slot's documents moves its checkpoint;
a session that begins anywhere else empties the cache first.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import Protocol

from connect_four.eventsourcing.codec import JSONObject
from connect_four.eventsourcing.documents import decode_document
from connect_four.eventsourcing.errors import SessionClosedError
from connect_four.eventsourcing.slots import Slot

_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


@dataclass(frozen=True, slots=True)
class StoredDocument:
    """A document as a storage keeps it: JSON text, a sort key and sorted tags."""

    sort_key: float
    tags: tuple[str, ...]
    value: str


@dataclass(frozen=True, slots=True)
class DocumentChange:
    """One document to write (or delete, when `document` is None) at commit."""

    collection: str
    key: str
    document: StoredDocument | None
    tags_changed: bool
    """Whether the stored tags must be replaced (always true for a new document)."""


class SlotClaim(Protocol):
    """A storage's transaction on one slot for one session, begun at its checkpoint."""

    def load(self, collection: str, key: str) -> StoredDocument | None:
        """Return a document of the slot as stored, or None."""
        ...

    def write(self, changes: Sequence[DocumentChange], checkpoint: int) -> Slot:
        """Write the changes and move the checkpoint, if it has not moved; end.

        Raises:
            CheckpointConflictError: another runner committed the slot first;
                nothing was written.
        """
        ...

    def release(self, error: BaseException | None) -> None:
        """Let the slot go without writing anything.

        `error` is what made the session give up, if anything: a storage may
        raise its own error for a driver's instead.
        """
        ...


@dataclass(slots=True)
class _Entry:
    value: JSONObject | None
    sort_key: float
    tags: tuple[str, ...]
    stored_tags: tuple[str, ...] | None
    """The tags as stored; None when unknown (a document put without a get)."""
    changed: bool


class DocumentCache:
    """The documents of one slot as one runner's last commit left them.

    A session takes them all when it begins (so a session that is abandoned
    half-way leaves nothing half-changed behind) and gives them back, with
    its own, when its commit succeeds.
    """

    def __init__(self, limit: int = 100_000) -> None:
        self._limit = limit
        self._slot: tuple[str, int, int] | None = None
        self._entries: dict[tuple[str, str], _Entry] = {}

    def __len__(self) -> int:
        return len(self._entries)

    def take(self, slot: Slot) -> dict[tuple[str, str], _Entry]:
        """Return the entries if they are the slot's as it is now, and forget them."""
        entries = self._entries
        valid = self._slot == (slot.name, slot.generation, slot.checkpoint)
        self._entries = {}
        self._slot = None
        return entries if valid else {}

    def keep(self, slot: Slot, entries: dict[tuple[str, str], _Entry]) -> None:
        """Remember the entries as a commit that moved the slot to `slot` left them."""
        if len(entries) > self._limit:
            return
        for entry in entries.values():
            entry.stored_tags = entry.tags
            entry.changed = False
        self._entries = entries
        self._slot = (slot.name, slot.generation, slot.checkpoint)


class BufferedSession:
    """Keep a projection's changes in memory until they are committed at once."""

    def __init__(
        self, slot: Slot, claim: SlotClaim, cache: DocumentCache | None = None
    ) -> None:
        self._slot = slot
        self._claim = claim
        self._cache = cache
        self._known = {} if cache is None else cache.take(slot)
        self._entries: dict[tuple[str, str], _Entry] = {}
        self._closed = False

    def __enter__(self) -> BufferedSession:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Abandon the session, writing nothing, unless it has been committed."""
        if not self._closed:
            self._closed = True
            self._claim.release(error)

    @property
    def slot(self) -> Slot:
        """Return the slot as it was when the session began."""
        return self._slot

    @property
    def starts_after(self) -> int:
        """Return the global position the slot's read model began after."""
        return self._slot.origin

    def get(self, collection: str, key: str) -> JSONObject | None:
        """Return a document, or None if it does not exist."""
        entry = self._entries.get((collection, key))
        if entry is None:
            entry = self._entries[collection, key] = self._read(collection, key)
        return entry.value

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
        self._check_open()
        entry = self._entry(collection, key)
        ordered = tuple(sorted(set(tags)))
        if entry is None:
            self._entries[collection, key] = _Entry(
                value, sort_key, ordered, None, True
            )
            return
        entry.value = value
        entry.sort_key = sort_key
        entry.tags = ordered
        entry.changed = True

    def delete(self, collection: str, key: str) -> None:
        """Remove a document if it exists."""
        self._check_open()
        entry = self._entry(collection, key)
        if entry is None:
            self._entries[collection, key] = _Entry(None, 0.0, (), None, True)
            return
        entry.value = None
        entry.tags = ()
        entry.changed = True

    def commit(self, checkpoint: int) -> Slot:
        """Write the changes and move the checkpoint, in one transaction.

        Raises:
            CheckpointConflictError: the slot's checkpoint moved since the
                session began, or the slot is gone.
        """
        self._check_open()
        self._closed = True
        changes = [
            _change(collection, key, entry)
            for (collection, key), entry in self._entries.items()
            if entry.changed
        ]
        committed = self._claim.write(changes, checkpoint)
        if self._cache is not None:
            self._known.update(self._entries)
            self._cache.keep(committed, self._known)
        return committed

    def _entry(self, collection: str, key: str) -> _Entry | None:
        """Return the entry this session or the cache has for a document, if any."""
        entry = self._entries.get((collection, key))
        if entry is None:
            entry = self._known.get((collection, key))
            if entry is not None:
                self._entries[collection, key] = entry
        return entry

    def _read(self, collection: str, key: str) -> _Entry:
        self._check_open()
        known = self._known.get((collection, key))
        if known is not None:
            return known
        stored = self._claim.load(collection, key)
        if stored is None:
            return _Entry(None, 0.0, (), (), False)
        value = decode_document(stored.value, self._slot.name, f"{collection} {key}")
        return _Entry(value, stored.sort_key, stored.tags, stored.tags, False)

    def _check_open(self) -> None:
        if self._closed:
            raise SessionClosedError


def _change(collection: str, key: str, entry: _Entry) -> DocumentChange:
    if entry.value is None:
        return DocumentChange(collection, key, None, True)
    document = StoredDocument(entry.sort_key, entry.tags, _encode(entry.value))
    return DocumentChange(collection, key, document, entry.tags != entry.stored_tags)
