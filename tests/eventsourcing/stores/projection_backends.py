"""Open an event store together with the projection storage that lives beside it.

Each kind is a database that holds both: memory, a SQLite file, a PostgreSQL
schema (a fresh one per test, dropped afterwards; skipped without
`CONNECT_FOUR_TEST_POSTGRES_URL`, failed under CI).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from connect_four.eventsourcing.projection_storage import ProjectionStorage
from connect_four.eventsourcing.store import EventStore
from connect_four.eventsourcing.stores.memory.event_store import InMemoryEventStore
from connect_four.eventsourcing.stores.memory.projection_storage import (
    InMemoryProjectionStorage,
)
from connect_four.eventsourcing.stores.sqlite.event_store import SQLiteEventStore
from connect_four.eventsourcing.stores.sqlite.projection_storage import (
    SQLiteProjectionStorage,
)
from tests.eventsourcing.stores.backends import (
    drop_postgres_schema,
    new_schema_name,
    open_postgres,
    postgres_url,
)

STORAGE_KINDS = ("memory", "sqlite", "postgres")


@dataclass
class Database:
    """An event store and its projection storage, and a way to open more handles."""

    url: str
    store: EventStore
    storage: ProjectionStorage
    open_storage: Callable[[], ProjectionStorage]
    """Open another handle on the same projection tables, as a second process would."""


@contextmanager
def open_database(kind: str, tmp_path: Path) -> Iterator[Database]:
    """Yield a fresh, empty database of the given kind and close it afterwards."""
    opened: list[ProjectionStorage] = []

    def track(storage: ProjectionStorage) -> ProjectionStorage:
        opened.append(storage)
        return storage

    schema = ""
    store: EventStore
    if kind == "memory":
        store = InMemoryEventStore()
        shared = InMemoryProjectionStorage()
        url = "memory:"

        def open_storage() -> ProjectionStorage:
            return shared

    elif kind == "sqlite":
        path = tmp_path / "events.db"
        store = SQLiteEventStore(path)
        url = f"sqlite:///{path}"

        def open_storage() -> ProjectionStorage:
            return track(SQLiteProjectionStorage(path))

    elif kind == "postgres":
        schema = new_schema_name()
        store = open_postgres(schema)
        url = _with_schema(postgres_url(), schema)
        open_storage = _postgres_opener(schema, track)
    else:
        pytest.fail(f"unknown storage kind {kind}")
    try:
        yield Database(url, store, open_storage(), open_storage)
    finally:
        for storage in opened:
            storage.close()
        store.close()
        if schema:
            drop_postgres_schema(schema)


def _postgres_opener(
    schema: str, track: Callable[[ProjectionStorage], ProjectionStorage]
) -> Callable[[], ProjectionStorage]:
    from connect_four.eventsourcing.stores.postgresql.event_store import parse_url
    from connect_four.eventsourcing.stores.postgresql.projection_storage import (
        PostgresProjectionStorage,
    )

    conninfo, _, _ = parse_url(postgres_url())

    def open_storage() -> ProjectionStorage:
        return track(PostgresProjectionStorage(conninfo, schema, pool_size=2))

    return open_storage


def _with_schema(url: str, schema: str) -> str:
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}schema={schema}"
