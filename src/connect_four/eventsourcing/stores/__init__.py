"""The event stores, and `open_store(url)`: the one place that names them all.

Server stores import their drivers only when opened, so the CLI starts fast and
the embedded store needs nothing beyond the standard library.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from connect_four.eventsourcing.errors import (
    InvalidStoreURLError,
    StoreUnavailableError,
)
from connect_four.eventsourcing.store import EventStore

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
        from connect_four.eventsourcing.stores.memory import InMemoryEventStore

        return InMemoryEventStore()
    if scheme == "sqlite":
        from connect_four.eventsourcing.stores.sqlite import SQLiteEventStore

        return SQLiteEventStore(sqlite_path(url))
    if scheme in ("postgresql", "postgres"):
        try:
            from connect_four.eventsourcing.stores.postgres import PostgresEventStore
        except ImportError as exc:
            raise _missing_driver(url, "postgres", exc) from exc
        return PostgresEventStore.from_url(url)
    if scheme in ("kurrentdb", "esdb", "kdb"):
        try:
            from connect_four.eventsourcing.stores.kurrentdb import KurrentDBEventStore
        except ImportError as exc:
            raise _missing_driver(url, "kurrentdb", exc) from exc
        return KurrentDBEventStore.from_url(url)
    raise InvalidStoreURLError(url, "unknown scheme; use one of " + ", ".join(SCHEMES))


def sqlite_path(url: str) -> str:
    """Return the file a `sqlite:` URL names: `sqlite:///abs.db`, `sqlite://rel.db`.

    Raises:
        InvalidStoreURLError: the URL names no file.
    """
    path = url.partition(":")[2].removeprefix("//")
    if not path:
        raise InvalidStoreURLError(url, "it names no file")
    return path


def _missing_driver(url: str, extra: str, exc: ImportError) -> StoreUnavailableError:
    """Say which optional dependency a server store needs."""
    parts = urlsplit(url)
    return StoreUnavailableError(
        f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}{parts.path}",
        f"its driver is not installed ({exc.name or exc});"
        f" install it with: pip install 'connect-four[{extra}]'",
    )
