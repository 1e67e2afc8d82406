"""`connect-four backup` and `restore`: a store into one SQLite file and back.

- A SQLite store is copied with SQLite's online backup API while servers keep
  writing: the copy is the file as of one commit, read models included.
- Any other store (PostgreSQL, KurrentDB) is copied event by event into a new
  SQLite file through the migrate machinery, up to the newest event at the
  start: a consistent prefix of the log, however busy the servers are. Its
  read models are not copied; they are rebuilt from the events.

Either way the copy is checked against the source before the command says
it is done, and it is written beside the target name first, so a failed run
leaves no file that looks like a backup.

`restore` brings a backup back: into a new SQLite file it copies the file
itself (the same database, read models included); into any other store, or
a SQLite file that exists already, it copies the events through the migrate
machinery, which refuses to write over other events. Both end by comparing
every event with the backup's.

The stores themselves are this command's subject, so, with `migrate`, it is
one of the two commands that open stores and read them directly rather than
through `wiring` (the import-linter contract in pyproject.toml names them).
"""

from __future__ import annotations

import argparse
import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from connect_four.cli.errors import BackupError
from connect_four.cli.settings import add_store_option
from connect_four.eventsourcing.errors import EventSourcingError

if TYPE_CHECKING:
    from connect_four.eventsourcing.events import RecordedEvent
    from connect_four.eventsourcing.store import EventStore

EXAMPLES = (
    "examples:\n"
    "  connect-four backup --to games-2026-11-30.db\n"
    "  connect-four backup --store postgresql://postgres@db/connect_four --to pg.db\n"
    "  connect-four restore --from games-2026-11-30.db --store sqlite://games.db"
)


def register(subcommands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `backup` and `restore` commands."""
    backup = subcommands.add_parser(
        "backup",
        help="copy the store into a SQLite file, while servers keep writing",
        description="Copy the store into a new SQLite file and check the copy."
        " A SQLite store is copied as of one commit (read models included) with"
        " SQLite's online backup API; any other store is copied event by event,"
        " up to the newest event when the backup starts.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    backup.add_argument("--to", dest="target", metavar="FILE", required=True)
    add_store_option(backup)
    backup.set_defaults(handler=back_up)
    restore = subcommands.add_parser(
        "restore",
        help="bring a backup back into a store and check it",
        description="Copy a backup made by `connect-four backup` into the store"
        " (--store, else $CONNECT_FOUR_STORE, else the default file) and check that"
        " it holds the same events. A new SQLite file becomes a copy of the"
        " backup's file; any other store receives its events, and must not hold"
        " other events in the same streams.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    restore.add_argument("--from", dest="source", metavar="FILE", required=True)
    add_store_option(restore)
    restore.set_defaults(handler=restore_backup)


def back_up(args: argparse.Namespace) -> int:
    """Take the backup, check it, then give it its name; return the status.

    Raises:
        BackupError: the backup file exists already.
        StoreUnavailableError: the store cannot be read or the file written.
        MigrationMismatchError: the copy differs from the store.
        DamagedCopyError: the copy fails SQLite's integrity check.
    """
    from connect_four.cli.settings import store_url

    target = Path(args.target)
    if target.exists():
        raise BackupError(f"{target} exists already; choose a new name")
    partial = target.with_name(target.name + ".partial")
    url = store_url(args)
    try:
        path = sqlite_path(url)
        if path is not None:
            count, head = _copy_sqlite(path, partial)
        else:
            count, head = _copy_events(url, partial)
    except (EventSourcingError, OSError):
        _remove(partial)
        raise
    partial.replace(target)
    print(
        f"backed up {count} events (up to global position {head}) to {target};"
        " checked: the copy holds the same events"
    )
    return 0


def restore_backup(args: argparse.Namespace) -> int:
    """Bring a backup back into the store and check it; return the status.

    Raises:
        BackupError: the backup file does not exist.
        DamagedCopyError: the backup file is not a sound SQLite database.
        MigrationRefusedError: the store holds other events in those streams.
        MigrationMismatchError: the restored events differ from the backup's.
    """
    from connect_four.cli.settings import store_url
    from connect_four.eventsourcing.stores import sqlite_url
    from connect_four.eventsourcing.stores.sqlite.backup import (
        check_integrity,
        copy_database,
    )

    source = Path(args.source)
    if not source.is_file():
        raise BackupError(f"there is no backup file {source}")
    check_integrity(source)
    url = store_url(args)
    path = sqlite_path(url)
    if path is not None and not Path(path).exists():
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        copy_database(source, path)
        count = _compare_logs(sqlite_url(source), url)
        print(f"restored {count} events into {path}, read models included; checked")
        return 0
    count = _migrate(sqlite_url(source), url)
    print(f"restored {count} events into the store; checked: they match the backup")
    return 0


def sqlite_path(url: str) -> str | None:
    """Return the file a `sqlite:` store URL names, or None for another store.

    Raises:
        InvalidStoreURLError: the `sqlite:` URL names no file.
    """
    from connect_four.eventsourcing.stores import is_sqlite_url
    from connect_four.eventsourcing.stores import sqlite_path as path_of

    return path_of(url) if is_sqlite_url(url) else None


def _copy_sqlite(path: str, partial: Path) -> tuple[int, int]:
    from connect_four.eventsourcing.stores import sqlite_url
    from connect_four.eventsourcing.stores.sqlite.backup import copy_database

    copy_database(path, partial)
    count = _compare_logs(sqlite_url(path), sqlite_url(partial), prefix=True)
    head = _head(sqlite_url(partial))
    return count, head


def _copy_events(url: str, partial: Path) -> tuple[int, int]:
    from connect_four.eventsourcing.log_prefix import LogPrefix
    from connect_four.eventsourcing.migration import (
        copy_events,
        plan_migration,
        verify_migration,
    )
    from connect_four.eventsourcing.stores.sqlite.event_store import SQLiteEventStore

    with _opened(url) as source:
        head = source.last_global_position()
        view = LogPrefix(source, head)
        target = SQLiteEventStore(partial)
        try:
            plan = plan_migration(view, target)
            copy_events(view, target, plan)
            count = verify_migration(view, target, plan)
        finally:
            target.close()
    return count, head


def _migrate(source_url: str, target_url: str) -> int:
    from connect_four.eventsourcing.migration import (
        copy_events,
        plan_migration,
        verify_migration,
    )

    with _opened(source_url) as source, _opened(target_url) as target:
        plan = plan_migration(source, target)
        copy_events(source, target, plan)
        return verify_migration(source, target, plan)


def _compare_logs(source_url: str, copy_url: str, *, prefix: bool = False) -> int:
    """Check that two stores hold the same events, field for field; return the count.

    With `prefix`, the source may have gone on past the copy (servers kept
    writing): only its events up to the copy's newest are compared.

    Raises:
        MigrationMismatchError: an event differs, or one store has more.
    """
    from connect_four.eventsourcing.errors import MigrationMismatchError
    from connect_four.eventsourcing.log_prefix import LogPrefix
    from connect_four.eventsourcing.migration import read_log

    with _opened(source_url) as source, _opened(copy_url) as copy:
        if prefix:
            source = LogPrefix(source, copy.last_global_position())
        theirs = read_log(copy)
        count = 0
        for count, mine in enumerate(read_log(source), start=1):
            other = next(theirs, None)
            if other != mine:
                found = "nothing" if other is None else _name(other)
                raise MigrationMismatchError(
                    count, f"expected {_name(mine)}, found {found}"
                )
        extra = next(theirs, None)
        if extra is not None:
            raise MigrationMismatchError(count + 1, "the copy has more events")
    return count


def _name(event: RecordedEvent) -> str:
    return (
        f"{event.type} at position {event.stream_position} of {event.stream!r}"
        f" (global position {event.global_position})"
    )


def _head(url: str) -> int:
    with _opened(url) as store:
        return store.last_global_position()


@contextlib.contextmanager
def _opened(url: str) -> Iterator[EventStore]:
    from connect_four.eventsourcing.stores import open_store

    store = open_store(url)
    try:
        yield store
    finally:
        store.close()


def _remove(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.remove(path)
    for suffix in ("-wal", "-shm", "-journal"):
        with contextlib.suppress(FileNotFoundError):
            os.remove(f"{path}{suffix}")
