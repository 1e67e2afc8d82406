"""The `store` fixture: every contract test runs once per kind of event store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from connect_four.eventsourcing.store import EventStore
from tests.eventsourcing.stores.backends import STORE_KINDS, open_test_store


@pytest.fixture(params=STORE_KINDS)
def store_kind(request: pytest.FixtureRequest) -> str:
    """Return the kind of store under test."""
    kind: str = request.param
    return kind


@pytest.fixture
def store(store_kind: str, tmp_path: Path) -> Iterator[EventStore]:
    """Yield a fresh, empty store of the kind under test."""
    with open_test_store(store_kind, tmp_path) as opened:
        yield opened
