"""Open each kind of event store for the contract suite.

Server stores are configured by environment variables; where one is not set
the tests that need it are skipped with the reason shown in pytest's summary.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from connect_four.eventsourcing.store import EventStore
from connect_four.eventsourcing.stores.memory import InMemoryEventStore
from connect_four.eventsourcing.stores.sqlite import SQLiteEventStore

STORE_KINDS = ("memory", "sqlite")


@contextmanager
def open_test_store(kind: str, tmp_path: Path) -> Iterator[EventStore]:
    """Yield a fresh, empty store of the given kind and close it afterwards."""
    store: EventStore
    if kind == "memory":
        store = InMemoryEventStore()
    elif kind == "sqlite":
        store = SQLiteEventStore(tmp_path / "events.db")
    else:
        pytest.fail(f"unknown store kind {kind}")
    try:
        yield store
    finally:
        store.close()


def reopen_test_store(kind: str, store: EventStore, tmp_path: Path) -> EventStore:
    """Return a second handle on the same store, as another process would have."""
    if kind == "memory":
        return store
    if kind == "sqlite":
        return SQLiteEventStore(tmp_path / "events.db")
    pytest.fail(f"unknown store kind {kind}")
