"""A database that other processes can open too, of every kind that allows it.

The `database` fixture (every kind) is in tests/conftest.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.eventsourcing.stores.projection_backends import (
    STORAGE_KINDS,
    Database,
    open_database,
)


@pytest.fixture(params=[kind for kind in STORAGE_KINDS if kind != "memory"])
def shared_database(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[Database]:
    """Yield a fresh database that other processes can open too."""
    with open_database(request.param, tmp_path) as opened:
        yield opened
