"""The projection tables and their statements, shared by the SQL stores.

Three tables live next to the events: `projection_slots` (one row per
generation of a read model, with its checkpoint), `projection_documents` (the
documents, as JSON text) and `projection_tags` (one row per tag of a document,
to filter by); `sql/projection_schema.py` creates them, once per database.

A session is one transaction from `begin` to `commit`. Its first statement
finds the slot at the checkpoint the session starts from and fixes the
snapshot that the session reads every document from, so a runner never folds
an event into documents that another runner has already moved past. Its
commit moves the checkpoint with `UPDATE ... WHERE checkpoint = ?` and writes
the documents in the same transaction; if another runner committed the slot
since the snapshot, nothing is written and the runner reads on from there.
No lock is held while a page is folded.

The statements are in `sql/projection_statements.py`. A subclass supplies the
connection: how to read, how to run a session, how to run a write transaction
(exclusive against commits and other slot changes, or not) and how to
migrate the schema.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from typing import Any, Protocol

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
    UnreadableDocumentError,
)
from connect_four.eventsourcing.projection_storage import DocumentQuery, DocumentSession
from connect_four.eventsourcing.slots import Slot
from connect_four.eventsourcing.stores.sql import projection_schema as schema
from connect_four.eventsourcing.stores.sql import projection_statements as statements


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


class SessionConnection(SQLConnection, Protocol):
    """A connection in a session's transaction."""

    def start_writing(self) -> None:
        """Turn the session's snapshot into a transaction that may write."""
        ...


class SQLProjectionStorage:
    """A `ProjectionStorage` over any SQL database; subclasses bring the connection."""

    def _reading(self) -> AbstractContextManager[SQLConnection]:
        """Return a context that lends a connection for reads."""
        raise NotImplementedError

    def _writing(self, *, exclusive: bool) -> AbstractContextManager[SQLConnection]:
        """Return a context that runs one write transaction, rolled back on error.

        `exclusive` transactions (creating, promoting and dropping slots) must
        not run concurrently with each other nor with any session's commit.
        """
        raise NotImplementedError

    def _session(self) -> AbstractContextManager[SessionConnection]:
        """Return a context that runs a session's transaction, rolled back on error.

        It reads from one snapshot of the database until `start_writing`;
        after that the session's writes must either all commit, or fail if
        another transaction changed the slot since the snapshot was taken.
        """
        raise NotImplementedError

    def _migrating(self) -> AbstractContextManager[SQLConnection]:
        """Return a context that runs one transaction under the migration lock."""
        raise NotImplementedError

    def _has_table(self, db: SQLConnection, table: str) -> bool:
        """Return whether the database holds a table of that name."""
        raise NotImplementedError

    def _set_up(self, where: str) -> None:
        """Bring the tables to the latest schema if they are not there yet.

        Raises:
            ProjectionSchemaError: the tables are newer than this code.
        """
        with self._reading() as db:
            versions = self._has_table(db, "schema_versions")
            version = schema.recorded_version(db, has_versions_table=versions)
        if schema.check_version(version, where):
            with self._migrating() as db:
                schema.migrate(db, where)

    def serving_slot(self, name: str) -> Slot:
        """Return the slot that serves reads, creating an empty one if none."""
        with self._reading() as db:
            rows = db.query(statements.SERVING_SLOT, (name,))
        if rows:
            return _slot(rows[0])
        with self._writing(exclusive=True) as db:
            rows = db.query(statements.SERVING_SLOT, (name,))
            if rows:
                return _slot(rows[0])
            return self._create(db, name, active=True, after=0)

    def slots(self) -> list[Slot]:
        """Return every slot of every projection, by name then generation."""
        with self._reading() as db:
            return [_slot(row) for row in db.query(statements.ALL_SLOTS)]

    def find_slot(self, name: str, generation: int) -> Slot | None:
        """Return one slot as it is stored now, or None if it is gone."""
        with self._reading() as db:
            rows = db.query(statements.ONE_SLOT, (name, generation))
        return _slot(rows[0]) if rows else None

    def start_rebuild(self, name: str, after: int = 0) -> Slot:
        """Return the projection's inactive slot, creating an empty one if none."""
        with self._writing(exclusive=True) as db:
            rows = db.query(statements.REBUILD_SLOT, (name,))
            if rows:
                return _slot(rows[0])
            return self._create(db, name, active=False, after=after)

    def promote(self, slot: Slot) -> None:
        """Make an inactive slot the serving one and drop the others, atomically.

        Raises:
            UnknownProjectionError: the slot no longer exists.
            SlotBehindError: the serving slot has read further than this one.
        """
        with self._writing(exclusive=True) as db:
            rows = db.query(statements.ONE_SLOT, (slot.name, slot.generation))
            if not rows:
                raise UnknownProjectionError(slot.name)
            promoted = _slot(rows[0])
            for row in db.query(statements.SERVING_SLOT, (slot.name,)):
                try:
                    old = _slot(row)
                except UnreadableDocumentError:
                    continue  # a damaged slot is what a rebuild replaces
                if old.generation != promoted.generation and (
                    old.checkpoint > promoted.checkpoint
                ):
                    raise SlotBehindError(
                        slot.name, promoted.checkpoint, old.checkpoint
                    )
            db.execute(statements.ACTIVATE, (slot.generation, slot.name))
            for statement in statements.DROP_OTHERS:
                db.execute(statement, (slot.name, slot.generation))

    def begin(self, slot: Slot, cache: DocumentCache | None = None) -> DocumentSession:
        """Start a unit of work on a slot at its checkpoint, holding the slot."""
        return BufferedSession(slot, _Claim(self, slot), cache)

    def get(self, name: str, collection: str, key: str) -> JSONObject | None:
        """Return a document of a projection's serving slot, or None."""
        with self._reading() as db:
            rows = db.query(statements.GET_SERVING, (name, name, collection, key))
        return (
            decode_document(rows[0][0], name, f"{collection} {key}") if rows else None
        )

    def find(self, name: str, query: DocumentQuery) -> list[JSONObject]:
        """Return documents of a projection's serving slot, by descending sort key."""
        sql = statements.FIND + statements.HAS_TAG * len(query.tags) + statements.ORDER
        limit = statements.NO_LIMIT if query.limit is None else query.limit
        params = (name, name, query.collection, *query.tags, limit, query.offset)
        with self._reading() as db:
            rows = db.query(sql, params)
        return [decode_document(row[0], name) for row in rows]

    def _create(
        self, db: SQLConnection, name: str, *, active: bool, after: int
    ) -> Slot:
        generation = 1 + (db.query(statements.LAST_GENERATION, (name,))[0][0] or 0)
        db.execute(
            statements.INSERT_SLOT, (name, generation, int(active), after, after)
        )
        return Slot(name, generation, active, after, None, after)


class _Abandoned(Exception):  # noqa: N818 (not an error: a session given up)
    """Thrown into a session's transaction to roll it back."""


class _Claim:
    """A session's transaction: a snapshot at its checkpoint, then its one write."""

    def __init__(self, storage: SQLProjectionStorage, slot: Slot) -> None:
        self._slot = slot
        self._transaction = storage._session()
        self._db = self._transaction.__enter__()
        claim = (slot.name, slot.generation, slot.checkpoint)
        try:
            claimed = bool(self._db.query(statements.AT_CHECKPOINT, claim))
        except BaseException as exc:
            self._end(exc)
            raise
        if not claimed:
            conflict = CheckpointConflictError(*claim)
            self._end(conflict)
            raise conflict

    def load(self, collection: str, key: str) -> StoredDocument | None:
        """Return a document of the slot as this transaction sees it, or None."""
        slot = self._slot
        rows = self._db.query(
            statements.LOAD_DOCUMENT, (slot.name, slot.generation, collection, key)
        )
        if not rows:
            return None
        sort_key, tags, value = rows[0]
        return StoredDocument(sort_key, tuple(json.loads(tags)), value)

    def write(self, changes: Sequence[DocumentChange], checkpoint: int) -> Slot:
        """Write the changes, move the checkpoint and commit."""
        try:
            self._db.start_writing()
            committed = _write(self._db, self._slot, changes, checkpoint)
        except BaseException as exc:
            self._end(exc)
            raise
        self._end(None)
        return committed

    def release(self, error: BaseException | None) -> None:
        """Roll the transaction back."""
        self._end(_Abandoned() if error is None else error)

    def _end(self, error: BaseException | None) -> None:
        # The transaction's context commits when left normally and rolls back
        # when an error passes through it (translating a driver's error into
        # the store's own, which it then raises instead).
        if error is None:
            self._transaction.__exit__(None, None, None)
        else:
            self._transaction.__exit__(type(error), error, error.__traceback__)


def _write(
    db: SQLConnection, slot: Slot, changes: Sequence[DocumentChange], checkpoint: int
) -> Slot:
    base = (slot.name, slot.generation)
    moved = (checkpoint, time.time(), *base, slot.checkpoint)
    if db.execute(statements.MOVE_CHECKPOINT, moved) != 1:
        raise CheckpointConflictError(*base, slot.checkpoint)
    retagged = [(*base, c.collection, c.key) for c in changes if c.tags_changed]
    deleted = [(*base, c.collection, c.key) for c in changes if not c.document]
    if retagged:
        db.execute_many(statements.DELETE_TAGS, retagged)
    if deleted:
        db.execute_many(statements.DELETE_DOCUMENT, deleted)
    written = [c for c in changes if c.document]
    if written:
        db.execute_many(statements.UPSERT_DOCUMENT, [_row(base, c) for c in written])
    tags = [
        (*base, c.collection, tag, c.key)
        for c in written
        if c.document and c.tags_changed
        for tag in c.document.tags
    ]
    if tags:
        db.execute_many(statements.INSERT_TAG, tags)
    return _slot(db.query(statements.ONE_SLOT, base)[0])


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
    """Build a slot from its row, refusing values a hand edit left in it.

    Raises:
        UnreadableDocumentError: a column holds what the store never writes
            there (SQLite keeps any value in any column).
    """
    name, generation, active, checkpoint, updated_at, origin = row
    for column, value in (
        ("generation", generation),
        ("checkpoint", checkpoint),
        ("origin", origin),
    ):
        if type(value) is not int:
            raise _damaged_slot(name, f"its {column} is {value!r}, not a whole number")
    if updated_at is not None and type(updated_at) not in (int, float):
        raise _damaged_slot(name, f"its updated_at is {updated_at!r}, not a time")
    try:
        when = None if updated_at is None else datetime.fromtimestamp(updated_at, UTC)
    except (OverflowError, OSError, ValueError) as exc:
        raise _damaged_slot(name, f"its updated_at {updated_at!r} is no time") from exc
    return Slot(name, generation, bool(active), checkpoint, when, origin)


def _damaged_slot(name: object, reason: str) -> UnreadableDocumentError:
    return UnreadableDocumentError(str(name), "its row in projection_slots", reason)
