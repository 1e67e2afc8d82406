"""Copy a SQLite store's file while other processes keep writing to it.

SQLite's online backup API copies the database page by page through a
connection of its own. Done in one step, it reads inside one read
transaction, and in WAL mode a reader sees one committed state and never
blocks the writers: the copy is the database exactly as it was at one
commit, events and read models together, however busy the servers are.

The copy is then made self-contained (rollback journal instead of WAL, so it
is one file to keep) and checked with `PRAGMA integrity_check`.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from connect_four.eventsourcing.errors import DamagedCopyError, StoreUnavailableError
from connect_four.eventsourcing.stores.sqlite.connection import (
    BUSY_TIMEOUT_SECONDS,
    translate_errors,
)
from connect_four.eventsourcing.stores.sqlite.url import sqlite_url


def copy_database(source: str | Path, target: str | Path) -> None:
    """Copy a SQLite database, consistent as of one commit, into a new file.

    Raises:
        StoreUnavailableError: the source cannot be read, or the target written.
        DamagedCopyError: the copy fails its integrity check.
    """
    source = str(source)
    if not Path(source).is_file():
        raise StoreUnavailableError(sqlite_url(source), "there is no such file")
    with translate_errors(source):
        reader = sqlite3.connect(source, timeout=BUSY_TIMEOUT_SECONDS)
    try:
        with translate_errors(str(target)):
            writer = sqlite3.connect(str(target), isolation_level=None)
        try:
            with translate_errors(source):
                # pages=-1 (all at once): one read transaction, one snapshot.
                reader.backup(writer, pages=-1)
            with translate_errors(str(target)):
                writer.execute("PRAGMA journal_mode = DELETE")
        finally:
            writer.close()
    finally:
        reader.close()
    check_integrity(target)


def check_integrity(path: str | Path) -> None:
    """Check a SQLite file with `PRAGMA integrity_check`.

    Raises:
        DamagedCopyError: the file is not a sound SQLite database.
    """
    uri = Path(path).resolve().as_uri() + "?mode=ro"
    path = str(path)
    try:
        connection = sqlite3.connect(uri, uri=True)
        try:
            rows = connection.execute("PRAGMA integrity_check").fetchall()
        finally:
            connection.close()
    except sqlite3.DatabaseError as exc:
        raise DamagedCopyError(path, str(exc)) from exc
    report = "; ".join(str(row[0]) for row in rows)
    if report != "ok":
        raise DamagedCopyError(path, report)
