"""The event stores, and `open_store(url)`: the one place that names them all.

Server stores import their drivers only when opened, so the CLI starts fast and
the embedded store needs nothing beyond the standard library.
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
