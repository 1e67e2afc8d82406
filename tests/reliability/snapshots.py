"""Simulated power loss for SQLite: copy the live file set while writers run.

The copy is taken without any coordination with the writers, the way a disk
would be frozen by a power cut: the database file, then the `-wal`, then the
`-shm`. A commit in WAL mode appends frames to the `-wal` (fsynced before the
commit returns, with `synchronous=FULL`); a checkpoint copies frames into the
database file; only when every frame is copied may a later writer restart the
`-wal` from its beginning, with new salts in its header.

Copying the database first and the `-wal` second gives a state a power cut can
produce, as long as the `-wal` was not restarted in between: every page a
checkpoint wrote into the database copy came from a frame that is still in the
`-wal` copy, and replaying the `-wal` puts the newest committed version of each
page back on top. A frame being written while it is copied is torn, as it would
be by a power cut, and SQLite's frame checksums drop it with its transaction.
If the `-wal` header (its salts) changed during the copy, the copy is a state
no power cut can produce; it is discarded and taken again.

What this cannot show: the copy reads the operating system's page cache, so
writes that were never fsynced are in it too. It tests that SQLite recovers a
consistent prefix of commits from any cut through its files; that fsync makes
the acknowledged ones durable is the operating system's and the disk's part.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Final

WAL_HEADER_BYTES: Final = 32
SUFFIXES: Final = ("", "-wal", "-shm")


def wal_header(database: Path) -> bytes:
    """Return the `-wal` file's header (empty if there is none yet)."""
    try:
        with open(f"{database}-wal", "rb") as wal:
            return wal.read(WAL_HEADER_BYTES)
    except FileNotFoundError:
        return b""


def copy_file_set(database: Path, target: Path) -> bool:
    """Copy a live database's files as a power cut would leave them.

    Return whether the copy is a state a power cut can produce (the `-wal`
    was not restarted while copying); a false copy is removed.
    """
    before = wal_header(database)
    for suffix in SUFFIXES:
        try:
            shutil.copyfile(f"{database}{suffix}", f"{target}{suffix}")
        except FileNotFoundError:
            Path(f"{target}{suffix}").unlink(missing_ok=True)
    if wal_header(database) == before:
        return True
    for suffix in SUFFIXES:
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    return False
