"""The projection tables and their statements, shared by the SQL stores.

Three tables live next to the events: `projection_slots` (one row per
generation of a read model, with its checkpoint), `projection_documents` (the
documents, as JSON text) and `projection_tags` (one row per tag of a document,
to filter by). A page's documents and the slot's new checkpoint are written in
one transaction, and the checkpoint moves only if it is still where the page
began (`UPDATE ... WHERE checkpoint = ?`), so two runners can never both commit
the same events.

The statements are written once, with `?` placeholders and only syntax that
SQLite and PostgreSQL share (`ON CONFLICT ... DO UPDATE`, `EXISTS`, `LIMIT ...
OFFSET`). A subclass supplies the connection: how to read, and how to run a
write transaction, optionally exclusive against other slot changes.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from typing import Any, Final, Protocol

from connect_four.eventsourcing.codec import JSONObject
from connect_four.eventsourcing.document_session import (
    BufferedSession,
    DocumentCache,
    DocumentChange,
    StoredDocument,
)
from connect_four.eventsourcing.projection_storage import (
    CheckpointConflictError,
    DocumentQuery,
    DocumentSession,
    Slot,
    UnknownProjectionError,
)

SCHEMA: Final = (
    """CREATE TABLE IF NOT EXISTS projection_slots (
    name TEXT NOT NULL,
    generation INTEGER NOT NULL,
    active INTEGER NOT NULL,
    checkpoint BIGINT NOT NULL,
    updated_at DOUBLE PRECISION,
    PRIMARY KEY (name, generation)
)""",
    """CREATE TABLE IF NOT EXISTS projection_documents (
    name TEXT NOT NULL,
    generation INTEGER NOT NULL,
    collection TEXT NOT NULL,
    key TEXT NOT NULL,
    sort_key DOUBLE PRECISION NOT NULL,
    tags TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (name, generation, collection, key)
)""",
    """CREATE INDEX IF NOT EXISTS projection_documents_by_sort_key
    ON projection_documents (name, generation, collection, sort_key)""",
    # Lists come in (sort_key, key) order: an index in exactly that order lets
    # a filtered page stop after its last row instead of sorting every
    # document first (see _HAS_TAG).
    """CREATE INDEX IF NOT EXISTS projection_documents_by_sort_key_and_key
    ON projection_documents (name, generation, collection, sort_key, key)""",
    """CREATE TABLE IF NOT EXISTS projection_tags (
    name TEXT NOT NULL,
    generation INTEGER NOT NULL,
    collection TEXT NOT NULL,
    tag TEXT NOT NULL,
    key TEXT NOT NULL,
    PRIMARY KEY (name, generation, collection, tag, key)
)""",
    # A document's tags are replaced by its key: without this index every
    # replacement would scan all the tags of the collection.
    """CREATE INDEX IF NOT EXISTS projection_tags_by_key
    ON projection_tags (name, generation, collection, key)""",
)

_SLOT_COLUMNS = "name, generation, active, checkpoint, updated_at"
_ALL_SLOTS = f"SELECT {_SLOT_COLUMNS} FROM projection_slots ORDER BY name, generation"
_SERVING_SLOT = (
    f"SELECT {_SLOT_COLUMNS} FROM projection_slots WHERE name = ? AND active = 1"
)
_REBUILD_SLOT = (
    f"SELECT {_SLOT_COLUMNS} FROM projection_slots WHERE name = ? AND active = 0"
)
_ONE_SLOT = (
    f"SELECT {_SLOT_COLUMNS} FROM projection_slots WHERE name = ? AND generation = ?"
)
_LAST_GENERATION = "SELECT max(generation) FROM projection_slots WHERE name = ?"
_INSERT_SLOT = (
    "INSERT INTO projection_slots (name, generation, active, checkpoint, updated_at)"
    " VALUES (?, ?, ?, 0, NULL)"
)
_MOVE_CHECKPOINT = (
    "UPDATE projection_slots SET checkpoint = ?, updated_at = ?"
    " WHERE name = ? AND generation = ? AND checkpoint = ?"
)
_ACTIVATE = (
    "UPDATE projection_slots SET active = CASE WHEN generation = ? THEN 1 ELSE 0 END"
    " WHERE name = ?"
)
_DROP_OTHERS = tuple(
    f"DELETE FROM {table} WHERE name = ? AND generation <> ?"
    for table in ("projection_tags", "projection_documents", "projection_slots")
)
_LOAD_DOCUMENT = (
    "SELECT sort_key, tags, value FROM projection_documents"
    " WHERE name = ? AND generation = ? AND collection = ? AND key = ?"
)
_DELETE_DOCUMENT = (
    "DELETE FROM projection_documents"
    " WHERE name = ? AND generation = ? AND collection = ? AND key = ?"
)
_DELETE_TAGS = (
    "DELETE FROM projection_tags"
    " WHERE name = ? AND generation = ? AND collection = ? AND key = ?"
)
_UPSERT_DOCUMENT = (
    "INSERT INTO projection_documents"
    " (name, generation, collection, key, sort_key, tags, value)"
    " VALUES (?, ?, ?, ?, ?, ?, ?)"
    " ON CONFLICT (name, generation, collection, key) DO UPDATE"
    " SET sort_key = excluded.sort_key, tags = excluded.tags, value = excluded.value"
)
_INSERT_TAG = (
    "INSERT INTO projection_tags (name, generation, collection, tag, key)"
    " VALUES (?, ?, ?, ?, ?)"
)
_SERVING = (
    "(SELECT s.generation FROM projection_slots s WHERE s.name = ? AND s.active = 1)"
)
_GET_SERVING = (
    "SELECT value FROM projection_documents"
    f" WHERE name = ? AND generation = {_SERVING} AND collection = ? AND key = ?"
)
_FIND = (
    "SELECT d.value FROM projection_documents d"
    f" WHERE d.name = ? AND d.generation = {_SERVING} AND d.collection = ?"
)
# A tag is looked up by its full key for each document, newest first, until
# the page is full. Not `EXISTS`: PostgreSQL turns that into a join, which
# without table statistics (autovacuum off, or a fresh rebuild) it plans as a
# loop over every tag for every document, minutes at 10,000 games. A scalar
# subquery stays a lookup per row whatever the statistics.
_HAS_TAG = (
    " AND (SELECT count(*) FROM projection_tags t WHERE t.name = d.name"
    " AND t.generation = d.generation AND t.collection = d.collection"
    " AND t.key = d.key AND t.tag = ?) > 0"
)
_ORDER = " ORDER BY d.sort_key DESC, d.key DESC LIMIT ? OFFSET ?"
_NO_LIMIT = 2**62


class SQLConnection(Protocol):
    """What the shared statements need from a database connection."""

    def query(self, sql: str, params: Sequence[object] = ()) -> list[tuple[Any, ...]]:
        """Run a statement and return its rows."""
        ...

    def execute(self, sql: str, params: Sequence[object] = ()) -> int:
        """Run a statement and return how many rows it changed."""
        ...

    def execute_many(self, sql: str, rows: Sequence[Sequence[object]]) -> None:
        """Run a statement once per row of parameters."""
        ...


class SQLProjectionStorage:
    """A `ProjectionStorage` over any SQL database; subclasses bring the connection."""

    def _reading(self) -> AbstractContextManager[SQLConnection]:
        """Return a context that lends a connection for reads."""
        raise NotImplementedError

    def _writing(self, *, exclusive: bool) -> AbstractContextManager[SQLConnection]:
        """Return a context that runs one write transaction, rolled back on error.

        `exclusive` transactions (creating, promoting and dropping slots) must
        not run concurrently with each other.
        """
        raise NotImplementedError

    def serving_slot(self, name: str) -> Slot:
        """Return the slot that serves reads, creating an empty one if none."""
        with self._reading() as db:
            rows = db.query(_SERVING_SLOT, (name,))
        if rows:
            return _slot(rows[0])
        with self._writing(exclusive=True) as db:
            rows = db.query(_SERVING_SLOT, (name,))
            if rows:
                return _slot(rows[0])
            return self._create(db, name, active=True)

    def slots(self) -> list[Slot]:
        """Return every slot of every projection, by name then generation."""
        with self._reading() as db:
            return [_slot(row) for row in db.query(_ALL_SLOTS)]

    def find_slot(self, name: str, generation: int) -> Slot | None:
        """Return one slot as it is stored now, or None if it is gone."""
        with self._reading() as db:
            rows = db.query(_ONE_SLOT, (name, generation))
        return _slot(rows[0]) if rows else None

    def start_rebuild(self, name: str) -> Slot:
        """Return the projection's inactive slot, creating an empty one if none."""
        with self._writing(exclusive=True) as db:
            rows = db.query(_REBUILD_SLOT, (name,))
            if rows:
                return _slot(rows[0])
            return self._create(db, name, active=False)

    def promote(self, slot: Slot) -> None:
        """Make an inactive slot the serving one and drop the others, atomically.

        Raises:
            UnknownProjectionError: the slot no longer exists.
        """
        with self._writing(exclusive=True) as db:
            if not db.query(_ONE_SLOT, (slot.name, slot.generation)):
                raise UnknownProjectionError(slot.name)
            db.execute(_ACTIVATE, (slot.generation, slot.name))
            for statement in _DROP_OTHERS:
                db.execute(statement, (slot.name, slot.generation))

    def begin(self, slot: Slot, cache: DocumentCache | None = None) -> DocumentSession:
        """Start a unit of work on a slot, at its checkpoint."""
        return BufferedSession(slot, self._load, self._write, cache)

    def get(self, name: str, collection: str, key: str) -> JSONObject | None:
        """Return a document of a projection's serving slot, or None."""
        with self._reading() as db:
            rows = db.query(_GET_SERVING, (name, name, collection, key))
        return _decode(rows[0][0]) if rows else None

    def find(self, name: str, query: DocumentQuery) -> list[JSONObject]:
        """Return documents of a projection's serving slot, by descending sort key."""
        sql = _FIND + _HAS_TAG * len(query.tags) + _ORDER
        limit = _NO_LIMIT if query.limit is None else query.limit
        params = (name, name, query.collection, *query.tags, limit, query.offset)
        with self._reading() as db:
            rows = db.query(sql, params)
        return [_decode(row[0]) for row in rows]

    def _create(self, db: SQLConnection, name: str, *, active: bool) -> Slot:
        generation = 1 + (db.query(_LAST_GENERATION, (name,))[0][0] or 0)
        db.execute(_INSERT_SLOT, (name, generation, int(active)))
        return Slot(name, generation, active, 0, None)

    def _load(self, slot: Slot, collection: str, key: str) -> StoredDocument | None:
        with self._reading() as db:
            rows = db.query(
                _LOAD_DOCUMENT, (slot.name, slot.generation, collection, key)
            )
        if not rows:
            return None
        sort_key, tags, value = rows[0]
        return StoredDocument(sort_key, tuple(json.loads(tags)), value)

    def _write(
        self, slot: Slot, changes: Sequence[DocumentChange], checkpoint: int
    ) -> Slot:
        now = time.time()
        base = (slot.name, slot.generation)
        moved = (checkpoint, now, *base, slot.checkpoint)
        with self._writing(exclusive=False) as db:
            if db.execute(_MOVE_CHECKPOINT, moved) != 1:
                raise CheckpointConflictError(*base, slot.checkpoint)
            retagged = [(*base, c.collection, c.key) for c in changes if c.tags_changed]
            deleted = [(*base, c.collection, c.key) for c in changes if not c.document]
            if retagged:
                db.execute_many(_DELETE_TAGS, retagged)
            if deleted:
                db.execute_many(_DELETE_DOCUMENT, deleted)
            written = [c for c in changes if c.document]
            if written:
                db.execute_many(_UPSERT_DOCUMENT, [_row(base, c) for c in written])
            tags = [
                (*base, c.collection, tag, c.key)
                for c in written
                if c.document and c.tags_changed
                for tag in c.document.tags
            ]
            if tags:
                db.execute_many(_INSERT_TAG, tags)
            active = db.query(_ONE_SLOT, base)[0][2]
        return Slot(*base, bool(active), checkpoint, datetime.fromtimestamp(now, UTC))


def _row(base: tuple[str, int], change: DocumentChange) -> tuple[object, ...]:
    document = change.document
    if document is None:
        raise ValueError("a deleted document has no row")
    tags = json.dumps(document.tags, ensure_ascii=False)
    return (
        *base,
        change.collection,
        change.key,
        document.sort_key,
        tags,
        document.value,
    )


def _slot(row: tuple[Any, ...]) -> Slot:
    name, generation, active, checkpoint, updated_at = row
    when = None if updated_at is None else datetime.fromtimestamp(updated_at, UTC)
    return Slot(name, generation, bool(active), checkpoint, when)


def _decode(text: str) -> JSONObject:
    value: JSONObject = json.loads(text)
    return value
