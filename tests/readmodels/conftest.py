"""A database (event store and projection storage) per test, of every kind."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.eventsourcing.stores.projection_backends import (
    STORAGE_KINDS,
    Database,
    open_database,
)


@pytest.fixture(params=STORAGE_KINDS)
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """Yield a fresh database of each kind in turn."""
    with open_database(request.param, tmp_path) as opened:
        yield opened


@pytest.fixture(params=[kind for kind in STORAGE_KINDS if kind != "memory"])
def shared_database(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[Database]:
    """Yield a fresh database that other processes can open too."""
    with open_database(request.param, tmp_path) as opened:
        yield opened
