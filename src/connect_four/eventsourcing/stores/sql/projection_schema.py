"""The projection tables' schema, in numbered steps run once per database.

Opening the read models used to run `CREATE TABLE/INDEX IF NOT EXISTS` every
time. Even when there is nothing to create, PostgreSQL's `CREATE INDEX` takes a
`SHARE` lock on its table first, so a process opening the read models beside a
running projection could deadlock with it (the opener holding `projection_documents`
and wanting `projection_tags`, the runner the other way round).

So the schema is a list of steps, and the database records the number of the
last one it has run in `schema_versions`. An open only reads that number. When
it is behind, the opener takes the database's migration lock (PostgreSQL: an
advisory lock; SQLite: its write lock), reads the number again (another
process may have just migrated), runs the missing steps and records the new
number, all in one transaction. A database newer than this code is refused
rather than guessed at.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final, Protocol

from connect_four.eventsourcing.errors import ProjectionSchemaError

PART: Final = "projections"
"""The row of `schema_versions` that these tables' version is kept in."""

VERSIONS_TABLE: Final = """CREATE TABLE IF NOT EXISTS schema_versions (
    part TEXT PRIMARY KEY,
    version INTEGER NOT NULL
)"""

STEPS: Final[tuple[tuple[str, ...], ...]] = (
    # 1: the tables as they have been since read models were first stored.
    # `IF NOT EXISTS`, so that a database that has them from before this table
    # of versions existed is simply recorded at version 1.
    (
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
    ),
    # 2: a slot may begin after a chosen global position rather than at zero.
    ("ALTER TABLE projection_slots ADD COLUMN origin BIGINT NOT NULL DEFAULT 0",),
    # 3: lists come in (sort_key, key) order; an index in exactly that order
    # lets a filtered page stop after its last row instead of sorting every
    # document first (see `projection_statements.HAS_TAG`). `IF NOT
    # EXISTS` for databases a development build of this index made on open.
    (
        """CREATE INDEX IF NOT EXISTS projection_documents_by_sort_key_and_key
    ON projection_documents (name, generation, collection, sort_key, key)""",
    ),
)

LATEST: Final = len(STEPS)

_READ_VERSION: Final = "SELECT version FROM schema_versions WHERE part = ?"
_RECORD_VERSION: Final = (
    "INSERT INTO schema_versions (part, version) VALUES (?, ?)"
    " ON CONFLICT (part) DO UPDATE SET version = excluded.version"
)


class SchemaConnection(Protocol):
    """What a migration needs from a connection."""

    def query(self, sql: str, params: Sequence[object] = ()) -> list[tuple[Any, ...]]:
        """Run a statement and return its rows."""
        ...

    def execute(self, sql: str, params: Sequence[object] = ()) -> int:
        """Run a statement and return how many rows it changed."""
        ...


def recorded_version(db: SchemaConnection, has_versions_table: bool) -> int:
    """Return the version the database records (0: none yet)."""
    if not has_versions_table:
        return 0
    rows = db.query(_READ_VERSION, (PART,))
    return int(rows[0][0]) if rows else 0


def check_version(version: int, where: str) -> bool:
    """Return whether a database at `version` needs migrating.

    Raises:
        ProjectionSchemaError: the database is newer than this code.
    """
    if version > LATEST:
        raise ProjectionSchemaError(where, version, LATEST)
    return version < LATEST


def migrate(db: SchemaConnection, where: str) -> int:
    """Run the steps the database lacks, under a lock the caller holds.

    Returns the version the database was at.

    Raises:
        ProjectionSchemaError: the database is newer than this code.
    """
    db.execute(VERSIONS_TABLE)
    version = recorded_version(db, has_versions_table=True)
    if not check_version(version, where):
        return version
    for step in STEPS[version:]:
        for statement in step:
            db.execute(statement)
    db.execute(_RECORD_VERSION, (PART, LATEST))
    return version
