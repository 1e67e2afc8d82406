"""`connect-four migrate --from URL --to URL`: move every event to another store.

Its subject is two stores, not a game: with `backup`, it is one of the two
commands that open stores directly rather than through `wiring` (the
import-linter contract in pyproject.toml names them).
"""

from __future__ import annotations

import argparse
import sys

DESCRIPTION = """\
Copy every event from one store to another, in global order, keeping stream
names, positions, ids, types, data, metadata and the time each event was
recorded; then check that both stores hold the same events. The target must not
hold any of the source's streams, except from an interrupted run of the same
copy, which this command then resumes. The source must exist.
"""
EXAMPLE = """\
example:
  connect-four migrate --from sqlite://games.db \\
      --to postgresql://postgres@localhost:5432/postgres
"""


def register(subcommands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `migrate` command."""
    parser = subcommands.add_parser(
        "migrate",
        help="copy every event from one store to another",
        description=DESCRIPTION,
        epilog=EXAMPLE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--from",
        dest="source",
        metavar="URL",
        required=True,
        help="the store to copy from (it is only read)",
    )
    parser.add_argument(
        "--to",
        dest="target",
        metavar="URL",
        required=True,
        help="the store to copy into; a SQLite file is created if missing,"
        " in a folder that exists",
    )
    parser.set_defaults(handler=migrate)


def migrate(args: argparse.Namespace) -> int:
    """Copy the events, showing progress, then verify the copy; return the status.

    Raises:
        MigrationRefusedError: the target already holds other events in a stream.
        MigrationMismatchError: the copy differs from the source.
        MigrationSourceIdError: a source event's id is not a UUID.
        MigrationSourceChangedError: the source gained events during the copy.
        StoreUnavailableError: either store cannot be opened or used.
    """
    from connect_four.cli.errors import FAILURE, USAGE_ERROR
    from connect_four.cli.progress import Progress
    from connect_four.eventsourcing.migration import (
        check_source_unchanged,
        copy_events,
        plan_migration,
        verify_migration,
    )
    from connect_four.eventsourcing.stores import open_store

    if args.source == args.target:
        print("connect-four: --from and --to name the same store", file=sys.stderr)
        return USAGE_ERROR
    missing = _missing_source(args.source)
    if missing is not None:
        print(f"connect-four: {missing}", file=sys.stderr)
        return FAILURE
    source = open_store(args.source)
    try:
        target = open_store(args.target)
        try:
            plan = plan_migration(source, target)
            remaining = plan.total - plan.already_copied
            say(f"{count(plan.total, 'event')} in {count(len(plan.streams), 'stream')}")
            if plan.already_copied:
                say(f"resuming: {plan.already_copied} were copied before")
            if remaining:
                progress = Progress("copying", "events", remaining)
                try:
                    copy_events(source, target, plan, progress.show)
                except KeyboardInterrupt:
                    progress.finish(": interrupted; the same command resumes the copy")
                    raise
                progress.finish()
            checked = verify_migration(source, target, plan)
            say(f"verified: both stores hold the same {checked} events, in order")
            check_source_unchanged(source, plan)
        finally:
            target.close()
    finally:
        source.close()
    return 0


def _missing_source(url: str) -> str | None:
    """Say why the source cannot be copied when its SQLite file does not exist.

    Opening a store creates it; a mistyped source must not be created and
    reported as an empty store copied in full.
    """
    import os

    from connect_four.eventsourcing.stores import is_sqlite_url, sqlite_path

    if not is_sqlite_url(url) or os.path.exists(sqlite_path(url)):
        return None
    return f"there is no store at {url} (no such file)"


def count(number: int, noun: str) -> str:
    """Return "1 event", "2 events" and the like."""
    return f"{number} {noun}{'' if number == 1 else 's'}"


def say(message: str) -> None:
    """Print a line of the command's report."""
    print(message, flush=True)
