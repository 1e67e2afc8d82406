"""`connect-four migrate --from URL --to URL`: move every event to another store."""

from __future__ import annotations

import argparse
import sys
import time
from typing import TextIO

EXAMPLE = (
    "example: connect-four migrate --from sqlite:///games.db"
    " --to postgresql://postgres@localhost:5432/postgres"
)


def register(subcommands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `migrate` command."""
    parser = subcommands.add_parser(
        "migrate",
        help="copy every event from one store to another",
        description="Copy every event from one store to another, in global order,"
        " keeping stream names, positions, ids, types, data and metadata; then"
        " check that both stores hold the same events. The target must not hold"
        " any of the source's streams, except from an interrupted run of the same"
        " copy, which this command then resumes.",
        epilog=EXAMPLE,
    )
    parser.add_argument("--from", dest="source", metavar="URL", required=True)
    parser.add_argument("--to", dest="target", metavar="URL", required=True)
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
    from connect_four.cli.errors import USAGE_ERROR
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
                bar = ProgressBar(remaining, sys.stderr)
                try:
                    copy_events(source, target, plan, bar.show)
                finally:
                    bar.finish()
            checked = verify_migration(source, target, plan)
            say(f"verified: both stores hold the same {checked} events, in order")
            check_source_unchanged(source, plan)
        finally:
            target.close()
    finally:
        source.close()
    return 0


def count(number: int, noun: str) -> str:
    """Return "1 event", "2 events" and the like."""
    return f"{number} {noun}{'' if number == 1 else 's'}"


def say(message: str) -> None:
    """Print a line of the command's report."""
    print(message, flush=True)


class ProgressBar:
    """Draw `[#####-----] copied/total` on a terminal, redrawn in place."""

    WIDTH = 30
    INTERVAL_SECONDS = 0.1

    def __init__(self, total: int, stream: TextIO) -> None:
        self.total = total
        self._stream = stream
        self._live = stream.isatty()
        self._drawn_at = 0.0
        self._done = 0

    def show(self, done: int) -> None:
        """Record progress, and redraw if the terminal has not seen it lately."""
        self._done = done
        now = time.monotonic()
        if self._live and now - self._drawn_at >= self.INTERVAL_SECONDS:
            self._drawn_at = now
            self._stream.write("\r" + self.render(done))
            self._stream.flush()

    def finish(self) -> None:
        """Draw the final state and end the line."""
        self._stream.write(
            ("\r" if self._live else "") + self.render(self._done) + "\n"
        )
        self._stream.flush()

    def render(self, done: int) -> str:
        """Return the bar's text for a number of events done."""
        share = done / self.total if self.total else 1.0
        filled = round(share * self.WIDTH)
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        return f"copying [{bar}] {done}/{self.total} events ({share:.0%})"
