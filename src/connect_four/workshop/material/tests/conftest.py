"""Fixtures for the exercise tests: the stores your code runs on.

Exercise 3 also runs on KurrentDB when a server is named:
`connect-four workshop check 3 --kurrentdb kurrentdb://localhost:2113?tls=false`
(or CONNECT_FOUR_WORKSHOP_KURRENTDB_URL); without one, those runs are skipped.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from connect_four.eventsourcing.store import EventStore

KURRENTDB_VARIABLE = "CONNECT_FOUR_WORKSHOP_KURRENTDB_URL"


def open_store(kind: str, folder: Path) -> EventStore:
    """Return a fresh event store of a kind: memory, sqlite or kurrentdb."""
    if kind == "memory":
        from connect_four.eventsourcing.stores.memory.event_store import (
            InMemoryEventStore,
        )

        return InMemoryEventStore()
    if kind == "sqlite":
        from connect_four.eventsourcing.stores.sqlite.event_store import (
            SQLiteEventStore,
        )

        return SQLiteEventStore(folder / "games.db")
    url = os.environ.get(KURRENTDB_VARIABLE)
    if not url:
        pytest.skip(
            "no KurrentDB server named: pass --kurrentdb URL to"
            " `connect-four workshop check 3` to run these too"
        )
    from connect_four.eventsourcing.stores.kurrentdb.event_store import (
        KurrentDBEventStore,
    )

    # A namespace of its own per test, so runs never see each other's streams.
    separator = "&" if "?" in url else "?"
    return KurrentDBEventStore.from_url(
        f"{url}{separator}namespace=workshop-{uuid.uuid4().hex[:8]}-"
    )


@pytest.fixture(params=["memory", "sqlite"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[EventStore]:
    """Yield an in-memory store, then a SQLite one."""
    opened = open_store(request.param, tmp_path)
    yield opened
    opened.close()


@pytest.fixture(params=["memory", "sqlite", "kurrentdb"])
def any_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[EventStore]:
    """Yield memory, SQLite, and KurrentDB when a server is named."""
    opened = open_store(request.param, tmp_path)
    yield opened
    opened.close()
