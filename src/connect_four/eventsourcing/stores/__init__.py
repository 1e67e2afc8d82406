"""The event stores, and `open_store(url)`: the one place that names them all.

Each backend is a folder here (`memory/`, `sqlite/`, `postgresql/`,
`kurrentdb/`) holding its event store, projection storage, snapshots and
connection side by side; `sql/` holds what the two SQL backends share.

Server stores import their drivers only when opened, so the CLI starts fast and
the embedded store needs nothing beyond the standard library.

Where the events are in a SQL database, the projections are kept in the same
database (the same SQLite file, the same PostgreSQL schema), so that a
projection's documents and its checkpoint are committed together next to the
events they came from. `memory:` gets projections in memory. KurrentDB is not
a SQL database: give it a `sqlite://` or `postgresql://` URL for its read
models instead.
"""

from __future__ import annotations

import importlib.metadata
import shlex
import sys
from urllib.parse import urlsplit, urlunsplit

from connect_four.eventsourcing.errors import (
    InvalidStoreURLError,
    StoreUnavailableError,
)
from connect_four.eventsourcing.projection_storage import ProjectionStorage
from connect_four.eventsourcing.store import EventStore
from connect_four.eventsourcing.stores.sqlite.url import (
    is_sqlite_url as is_sqlite_url,
)
from connect_four.eventsourcing.stores.sqlite.url import (
    sqlite_path as sqlite_path,
)
from connect_four.eventsourcing.stores.sqlite.url import (
    sqlite_url as sqlite_url,
)
from connect_four.eventsourcing.subscriptions import AppendNotifier

SCHEMES = (
    "memory:",
    "sqlite:///path/to/file.db",
    "postgresql://...",
    "kurrentdb://...",
)


def open_store(url: str) -> EventStore:
    """Open the event store a URL names.

    `memory:`; `sqlite:///absolute/path.db` or `sqlite://relative.db`;
    `postgresql://...`; `kurrentdb://...` or `esdb://...`.

    Raises:
        InvalidStoreURLError: the URL names no known store.
        StoreUnavailableError: the store cannot be opened.
    """
    scheme = url.partition(":")[0].lower()
    if scheme == "memory":
        from connect_four.eventsourcing.stores.memory.event_store import (
            InMemoryEventStore,
        )

        return InMemoryEventStore()
    if scheme == "sqlite":
        from connect_four.eventsourcing.stores.sqlite.event_store import (
            SQLiteEventStore,
        )

        return SQLiteEventStore(sqlite_path(url))
    if scheme in ("postgresql", "postgres"):
        try:
            from connect_four.eventsourcing.stores.postgresql.event_store import (
                PostgresEventStore,
            )
        except ImportError as exc:
            raise _missing_driver(url, "postgres", exc) from exc
        return PostgresEventStore.from_url(url)
    if scheme in ("kurrentdb", "esdb", "kdb"):
        try:
            from connect_four.eventsourcing.stores.kurrentdb.event_store import (
                KurrentDBEventStore,
            )
        except ImportError as exc:
            raise _missing_driver(url, "kurrentdb", exc) from exc
        return KurrentDBEventStore.from_url(url)
    raise InvalidStoreURLError(url, "unknown scheme; use one of " + ", ".join(SCHEMES))


def display_url(url: str) -> str:
    """Return a store URL as it was given, but with any password hidden."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    user = parts.username or ""
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit(parts._replace(netloc=f"{user}:***@{host}"))


def install_command(extra: str) -> str:
    """Return a command that installs an extra's packages into this Python.

    `pip install 'connect-four[postgres]'` only works where the package is
    published; the extra's own requirements, installed by this interpreter's
    pip, work from a clone, a venv or anywhere else.
    """
    marker = f'extra == "{extra}"'
    try:
        requirements = importlib.metadata.requires("connect-four") or []
    except importlib.metadata.PackageNotFoundError:
        requirements = []
    wanted = [
        requirement.partition(";")[0].strip()
        for requirement in requirements
        if marker in requirement.replace("'", '"')
    ]
    if not wanted:
        return f"pip install 'connect-four[{extra}]'"
    return shlex.join([sys.executable, "-m", "pip", "install", *wanted])


def _missing_driver(url: str, extra: str, exc: ImportError) -> StoreUnavailableError:
    """Say which optional dependency a server store needs."""
    return StoreUnavailableError(
        display_url(url),
        f"its driver is not installed ({exc.name or exc});"
        f" install it with: {install_command(extra)}",
    )


def open_projection_storage(url: str) -> ProjectionStorage:
    """Open the projection storage in the database a store URL names.

    Raises:
        InvalidStoreURLError: the URL names no database that can hold read models.
        StoreUnavailableError: the database cannot be opened.
    """
    scheme = url.partition(":")[0].lower()
    if scheme == "memory":
        from connect_four.eventsourcing.stores.memory.projection_storage import (
            InMemoryProjectionStorage,
        )

        return InMemoryProjectionStorage()
    if scheme == "sqlite":
        from connect_four.eventsourcing.stores.sqlite.projection_storage import (
            SQLiteProjectionStorage,
        )

        return SQLiteProjectionStorage(sqlite_path(url))
    if scheme in ("postgresql", "postgres"):
        from connect_four.eventsourcing.stores.postgresql.event_store import parse_url
        from connect_four.eventsourcing.stores.postgresql.projection_storage import (
            PostgresProjectionStorage,
        )

        conninfo, schema, _ = parse_url(url)
        return PostgresProjectionStorage(conninfo, schema)
    raise InvalidStoreURLError(
        url, "read models need memory:, sqlite://path.db or postgresql://..."
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
        from connect_four.eventsourcing.stores.postgresql.event_store import parse_url
        from connect_four.eventsourcing.stores.postgresql.notifier import (
            PostgresAppendNotifier,
        )

        conninfo, schema, _ = parse_url(url)
        return PostgresAppendNotifier(conninfo, schema)
    return None
