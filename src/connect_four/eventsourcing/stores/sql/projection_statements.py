"""The SQL statements of the projection tables, in syntax SQLite and PostgreSQL share.

They are written once, with `?` placeholders and only syntax both databases
understand (`ON CONFLICT ... DO UPDATE`, scalar subqueries, `LIMIT ... OFFSET`); the
PostgreSQL storage turns the placeholders into psycopg's `%s`.
"""

from __future__ import annotations

from typing import Final

SLOT_COLUMNS: Final = "name, generation, active, checkpoint, updated_at, origin"
ALL_SLOTS: Final = (
    f"SELECT {SLOT_COLUMNS} FROM projection_slots ORDER BY name, generation"
)
SERVING_SLOT: Final = (
    f"SELECT {SLOT_COLUMNS} FROM projection_slots WHERE name = ? AND active = 1"
)
REBUILD_SLOT: Final = (
    f"SELECT {SLOT_COLUMNS} FROM projection_slots WHERE name = ? AND active = 0"
)
ONE_SLOT: Final = (
    f"SELECT {SLOT_COLUMNS} FROM projection_slots WHERE name = ? AND generation = ?"
)
LAST_GENERATION: Final = "SELECT max(generation) FROM projection_slots WHERE name = ?"
INSERT_SLOT: Final = (
    "INSERT INTO projection_slots"
    " (name, generation, active, checkpoint, updated_at, origin)"
    " VALUES (?, ?, ?, ?, NULL, ?)"
)
# A session's first statement: it finds the slot only while it is at the
# session's checkpoint, and (as the first read of the session's transaction)
# fixes the snapshot every document of the session is then read from.
AT_CHECKPOINT: Final = (
    "SELECT 1 FROM projection_slots"
    " WHERE name = ? AND generation = ? AND checkpoint = ?"
)
MOVE_CHECKPOINT: Final = (
    "UPDATE projection_slots SET checkpoint = ?, updated_at = ?"
    " WHERE name = ? AND generation = ? AND checkpoint = ?"
)
ACTIVATE: Final = (
    "UPDATE projection_slots SET active = CASE WHEN generation = ? THEN 1 ELSE 0 END"
    " WHERE name = ?"
)
DROP_OTHERS: Final = tuple(
    f"DELETE FROM {table} WHERE name = ? AND generation <> ?"
    for table in ("projection_tags", "projection_documents", "projection_slots")
)
LOAD_DOCUMENT: Final = (
    "SELECT sort_key, tags, value FROM projection_documents"
    " WHERE name = ? AND generation = ? AND collection = ? AND key = ?"
)
DELETE_DOCUMENT: Final = (
    "DELETE FROM projection_documents"
    " WHERE name = ? AND generation = ? AND collection = ? AND key = ?"
)
DELETE_TAGS: Final = (
    "DELETE FROM projection_tags"
    " WHERE name = ? AND generation = ? AND collection = ? AND key = ?"
)
UPSERT_DOCUMENT: Final = (
    "INSERT INTO projection_documents"
    " (name, generation, collection, key, sort_key, tags, value)"
    " VALUES (?, ?, ?, ?, ?, ?, ?)"
    " ON CONFLICT (name, generation, collection, key) DO UPDATE"
    " SET sort_key = excluded.sort_key, tags = excluded.tags, value = excluded.value"
)
INSERT_TAG: Final = (
    "INSERT INTO projection_tags (name, generation, collection, tag, key)"
    " VALUES (?, ?, ?, ?, ?)"
)
SERVING: Final = (
    "(SELECT s.generation FROM projection_slots s WHERE s.name = ? AND s.active = 1)"
)
GET_SERVING: Final = (
    "SELECT value FROM projection_documents"
    f" WHERE name = ? AND generation = {SERVING} AND collection = ? AND key = ?"
)
FIND: Final = (
    "SELECT d.value FROM projection_documents d"
    f" WHERE d.name = ? AND d.generation = {SERVING} AND d.collection = ?"
)
# A tag is looked up by its full key for each document, newest first, until
# the page is full. Not `EXISTS`: PostgreSQL turns that into a join, which
# without table statistics (autovacuum off, or a fresh rebuild) it plans as a
# loop over every tag for every document, minutes at 10,000 games. A scalar
# subquery stays a lookup per row whatever the statistics; the index of
# schema step 3, in (sort_key, key) order, lets the page stop at its last row.
HAS_TAG: Final = (
    " AND (SELECT count(*) FROM projection_tags t WHERE t.name = d.name"
    " AND t.generation = d.generation AND t.collection = d.collection"
    " AND t.key = d.key AND t.tag = ?) > 0"
)
ORDER: Final = " ORDER BY d.sort_key DESC, d.key DESC LIMIT ? OFFSET ?"
NO_LIMIT: Final = 2**62
