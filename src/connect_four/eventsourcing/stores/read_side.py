"""Open the read side that belongs with an event store URL.

Where the events are in a SQL database, the projections are kept in the same
database (the same SQLite file, the same PostgreSQL schema), so that a
projection's documents and its checkpoint are committed together next to the
events they came from. `memory:` gets projections in memory. KurrentDB is not
a SQL database: give it a `sqlite://` or `postgresql://` URL for its read
models instead.
"""

from __future__ import annotations

from connect_four.eventsourcing.errors import InvalidStoreURLError
from connect_four.eventsourcing.projection_storage import ProjectionStorage
from connect_four.eventsourcing.subscriptions import AppendNotifier


def open_projection_storage(url: str) -> ProjectionStorage:
    """Open the projection storage in the database a store URL names.

    Raises:
        InvalidStoreURLError: the URL names no database that can hold read models.
        StoreUnavailableError: the database cannot be opened.
    """
    scheme, _, rest = url.partition(":")
    scheme = scheme.lower()
    if scheme == "memory":
        from connect_four.eventsourcing.stores.memory_projections import (
            InMemoryProjectionStorage,
        )

        return InMemoryProjectionStorage()
    if scheme == "sqlite":
        from connect_four.eventsourcing.stores.sqlite_projections import (
            SQLiteProjectionStorage,
        )

        path = rest.removeprefix("//")
        if not path:
            raise InvalidStoreURLError(url, "it names no file")
        return SQLiteProjectionStorage(path)
    if scheme in ("postgresql", "postgres"):
        from connect_four.eventsourcing.stores.postgres import parse_url
        from connect_four.eventsourcing.stores.postgres_projections import (
            PostgresProjectionStorage,
        )

        conninfo, schema, _ = parse_url(url)
        return PostgresProjectionStorage(conninfo, schema)
    raise InvalidStoreURLError(
        url, "read models need memory:, sqlite:///path.db or postgresql://..."
    )


def holds_read_models(url: str) -> bool:
    """Return whether the database a store URL names can hold read models too."""
    scheme = url.partition(":")[0].lower()
    return scheme in ("memory", "sqlite", "postgresql", "postgres")


def open_append_notifier(url: str) -> AppendNotifier | None:
    """Return the store's own append notification, or None where followers poll.

    Raises:
        StoreUnavailableError: the database cannot be reached.
    """
    scheme = url.partition(":")[0].lower()
    if scheme in ("postgresql", "postgres"):
        from connect_four.eventsourcing.stores.postgres import parse_url
        from connect_four.eventsourcing.stores.postgres_notifier import (
            PostgresAppendNotifier,
        )

        conninfo, schema, _ = parse_url(url)
        return PostgresAppendNotifier(conninfo, schema)
    return None
