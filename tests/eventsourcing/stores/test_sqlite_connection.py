"""Every SQLite connection of the store: WAL, one busy timeout, errors translated."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Literal

import pytest

from connect_four.eventsourcing.errors import StoreUnavailableError
from connect_four.eventsourcing.stores.sqlite.connection import (
    BUSY_TIMEOUT_SECONDS,
    connect,
)
from connect_four.eventsourcing.stores.sqlite.projection_storage import (
    SQLiteProjectionStorage,
)
from connect_four.eventsourcing.stores.sqlite.snapshots import SQLiteSnapshotStore


@pytest.mark.parametrize(("synchronous", "code"), [("FULL", 2), ("NORMAL", 1)])
def test_a_connection_runs_in_wal_mode_with_the_busy_timeout_and_sync_asked_for(
    tmp_path: Path, synchronous: Literal["FULL", "NORMAL"], code: int
) -> None:
    connection = connect(str(tmp_path / "events.db"), synchronous=synchronous)

    pragmas = [
        connection.execute(f"PRAGMA {name}").fetchone()[0]
        for name in ("journal_mode", "synchronous", "busy_timeout")
    ]

    connection.close()
    assert pragmas == ["wal", code, int(BUSY_TIMEOUT_SECONDS * 1000)]


@pytest.mark.parametrize(
    "open_part",
    [SQLiteProjectionStorage, SQLiteSnapshotStore],
    ids=["read models", "snapshots"],
)
def test_a_file_that_is_not_a_database_is_refused_naming_it(
    tmp_path: Path, open_part: Callable[[Path], object]
) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("not a database\n" * 100)

    with pytest.raises(StoreUnavailableError) as raised:
        open_part(path)

    assert f"sqlite://{path}" in str(raised.value)
