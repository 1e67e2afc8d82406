"""Opening a SQLite file as every SQLite part of the store does, and its errors.

The events, the read models and the snapshots each open their own connection
to the same file, all in WAL mode (readers never wait for the writer) with the
same busy timeout, in autocommit mode (each caller writes `BEGIN IMMEDIATE`
itself, or writes in one statement) and usable from any thread (each caller
serialises its own use with a lock). They differ only in `synchronous`: FULL
where a lost commit would lose an acknowledged event, NORMAL where it is only
work to redo.

A new file gets 1 KiB pages: every commit writes each page it changed to the
WAL before its fsync, and an append changes a few rows' worth of bytes, so
small pages make durable commits cheaper (see `sqlite`).

SQLite's errors become the store's `StoreUnavailableError` here, in one place.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from types import TracebackType
from typing import Literal

from connect_four.eventsourcing.errors import StoreUnavailableError
from connect_four.eventsourcing.stores.sqlite.url import sqlite_url

BUSY_TIMEOUT_SECONDS = 30.0
"""How long a writer waits for another connection's write lock before giving up."""


PAGE_SIZE = 1024
"""The page size of new files, in bytes."""


def connect(path: str, *, synchronous: Literal["FULL", "NORMAL"]) -> sqlite3.Connection:
    """Open (creating it if need be) a SQLite file in WAL mode; its folder must exist.

    A file this process may not write is opened read-only, so that reading
    it works; any write then fails with a message that says why.

    Raises:
        StoreUnavailableError: the file cannot be opened or set up.
    """
    if is_read_only(path):
        return connect_read_only(path)
    with translate_errors(path):
        connection = sqlite3.connect(
            path,
            timeout=BUSY_TIMEOUT_SECONDS,
            isolation_level=None,
            check_same_thread=False,
        )
        # Takes effect only on a file that holds nothing yet.
        connection.execute(f"PRAGMA page_size = {PAGE_SIZE}")
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute(f"PRAGMA synchronous = {synchronous}")
    return connection


def is_read_only(path: str) -> bool:
    """Return whether a SQLite file exists but cannot be written from here.

    WAL mode needs the folder too: readers and writers share the `-shm` file
    created beside the database.
    """
    if path == ":memory:" or not os.path.exists(path):
        return False
    folder = os.path.dirname(os.path.abspath(path))
    return not (os.access(path, os.W_OK) and os.access(folder, os.W_OK))


def connect_read_only(path: str) -> sqlite3.Connection:
    """Open a file for reading only.

    When the folder is read-only too, SQLite cannot create the `-shm` file a
    WAL reader needs, so the file is opened as immutable: nothing here can
    write to it, and nobody who cannot write the folder can either.
    """
    folder = os.path.dirname(os.path.abspath(path))
    flags = "mode=ro" if os.access(folder, os.W_OK) else "mode=ro&immutable=1"
    with translate_errors(path):
        return sqlite3.connect(
            f"{Path(os.path.abspath(path)).as_uri()}?{flags}",
            uri=True,
            timeout=BUSY_TIMEOUT_SECONDS,
            isolation_level=None,
            check_same_thread=False,
        )


def translate_errors(path: str) -> TranslateErrors:
    """Return a context that turns SQLite's errors into the store's own."""
    return TranslateErrors(path)


class TranslateErrors:
    """Raise the store's errors for SQLite's, chained; pass others through.

    A plain class rather than `contextlib.contextmanager`: it wraps every call,
    and a generator-based context manager costs several times more.
    """

    __slots__ = ("_path",)

    def __init__(self, path: str) -> None:
        self._path = path

    def __enter__(self) -> None:
        return None

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if isinstance(error, sqlite3.DatabaseError | OSError):
            raise StoreUnavailableError(
                sqlite_url(self._path), str(error) + _file_hint(self._path)
            ) from error


def _file_hint(path: str) -> str:
    """Say why SQLite cannot open or write: a missing folder, or a read-only one.

    SQLite reports both as "unable to open database file" (it cannot create
    the file, or the `-wal` and `-shm` files beside it), which does not tell
    the user what to fix.
    """
    if path == ":memory:":
        return ""
    if not os.path.exists(path):
        folder = os.path.dirname(os.path.abspath(path))
        return "" if os.path.isdir(folder) else f" (no folder {folder})"
    folder = os.path.dirname(os.path.abspath(path))
    if os.access(path, os.W_OK) and os.access(folder, os.W_OK):
        return ""
    return " (the database file or its folder is read-only)"
