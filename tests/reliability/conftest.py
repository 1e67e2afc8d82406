"""Fixtures for the reliability tests: store URLs, and the run's budget."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.eventsourcing.stores.backends import postgres_url
from tests.reliability.figures import LONG, SHORT, Budget, is_long
from tests.reliability.torture import drop_schema, with_schema


@pytest.fixture
def budget() -> Budget:
    """Return the short budget, or the full one under --long or CONNECT_FOUR_LONG=1."""
    return LONG if is_long() else SHORT


@pytest.fixture(params=["sqlite", "postgres"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Yield the URL of a fresh, empty SQLite file or PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'events.db'}"
        return
    base = postgres_url()
    schema = f"reliability_{uuid.uuid4().hex[:16]}"
    try:
        yield with_schema(base, schema)
    finally:
        drop_schema(base, schema)
