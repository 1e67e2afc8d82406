"""How soon PostgreSQL's pools serve again after the server kills every connection.

Three loops run commands without pause on one schema, one per pool of the
store: the event store (`read_stream`), the snapshots (`get`) and the read
models (`slots`). Meanwhile a killer terminates every other connection to the
database (`pg_terminate_backend`) every `--every` seconds for `--kill-seconds`.
Once the kills stop, each loop's first command to start is timed from the end
of the kills to its success, and every failure after the kills is counted.

Runs alternate the pools as they are (a fresh connection while the pool
recovers, `postgresql.connection.Connections`) with the pools alone (the
fallback disabled, so a command waits for the pool's background reconnects),
A B A B, on the same machine and database.

    CONNECT_FOUR_TEST_POSTGRES_URL=postgresql://... python -m benchmarks.pg_recovery

Use a database of its own: the killer cuts every connection to it.
"""

from __future__ import annotations

import argparse
import os
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Final

import psycopg
from psycopg import sql

from connect_four.eventsourcing.errors import EventSourcingError
from connect_four.eventsourcing.stores.postgresql import (
    connection as postgres_connection,
)
from connect_four.eventsourcing.stores.postgresql.event_store import (
    PostgresEventStore,
    parse_url,
)
from connect_four.eventsourcing.stores.postgresql.projection_storage import (
    PostgresProjectionStorage,
)
from connect_four.eventsourcing.stores.postgresql.snapshots import (
    PostgresSnapshotStore,
)

WATCH_SECONDS: Final = 4.0
"""How long the loops go on after the kills."""


@dataclass
class Loop:
    """One pool's command loop and what happened to its commands."""

    name: str
    command: Callable[[], object]
    done: list[tuple[float, float, str]] = field(default_factory=list)
    """(start, end, outcome) per command: "ok", or the error's class name."""

    def run(self, stop: threading.Event) -> None:
        """Run the command until told to stop, noting each outcome."""
        while not stop.is_set():
            start = time.monotonic()
            try:
                self.command()
            except EventSourcingError as exc:
                outcome = type(exc).__name__
            except Exception as exc:  # noqa: BLE001 - counts what leaks untranslated
                outcome = f"untranslated {type(exc).__name__}"
            else:
                outcome = "ok"
            self.done.append((start, time.monotonic(), outcome))
            if outcome != "ok":
                time.sleep(0.01)


def kill_all(conninfo: str, until: float, every: float) -> int:
    """Terminate every other connection to the database until `until`."""
    kills = 0
    with psycopg.connect(conninfo, autocommit=True) as admin:
        while time.monotonic() < until:
            kills += len(
                admin.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                ).fetchall()
            )
            time.sleep(every)
    return kills


def one_run(url: str, *, fallback: bool, kill_seconds: float, every: float) -> None:
    """Run the loops through one round of kills and print what each saw."""
    conninfo, _, _ = parse_url(url)
    schema = f"recovery_{uuid.uuid4().hex[:8]}"
    settings = vars(postgres_connection)
    saved = settings["QUICK_CHECKOUT_SECONDS"]
    if not fallback:
        # Wait for the pool as long as it may take to connect: no fallback.
        settings["QUICK_CHECKOUT_SECONDS"] = float(
            postgres_connection.CONNECT_TIMEOUT_SECONDS
        )
    events = PostgresEventStore(conninfo, schema)
    snapshots = PostgresSnapshotStore(conninfo, schema)
    projections = PostgresProjectionStorage(conninfo, schema)
    loops = [
        Loop("event store", lambda: events.read_stream("game-1")),
        Loop("snapshots", lambda: snapshots.get("game-1")),
        Loop("read models", projections.slots),
    ]
    stop = threading.Event()
    threads = [threading.Thread(target=loop.run, args=(stop,)) for loop in loops]
    try:
        for thread in threads:
            thread.start()
        time.sleep(0.5)
        kills = kill_all(conninfo, time.monotonic() + kill_seconds, every)
        ended = time.monotonic()
        time.sleep(WATCH_SECONDS)
        stop.set()
        for thread in threads:
            thread.join()
    finally:
        settings["QUICK_CHECKOUT_SECONDS"] = saved
        for part in (events, snapshots, projections):
            part.close()
        with psycopg.connect(conninfo, autocommit=True) as admin:
            admin.execute(
                sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(schema))
            )
    label = "pool + fallback" if fallback else "pool alone"
    print(f"{label}: {kills} connections killed in {kill_seconds} s")
    for loop in loops:
        after = [item for item in loop.done if item[0] >= ended]
        first_ok = next((end for _, end, outcome in after if outcome == "ok"), None)
        failures = [item for item in loop.done if item[2] != "ok"]
        late = [item for item in after if item[2] != "ok"]
        kinds = sorted({outcome for _, _, outcome in failures})
        first = (
            f"none within {WATCH_SECONDS} s"
            if first_ok is None
            else f"{first_ok - ended:.3f} s"
        )
        last = f"{max(end for _, end, _ in late) - ended:.3f} s" if late else "-"
        print(
            f"  {loop.name:12} first success after the kills: {first};"
            f" failures after: {len(late)} (last at {last});"
            f" failures during: {len(failures) - len(late)} {kinds}"
        )


def main() -> None:
    """Alternate the pools with and without the fallback, and print each run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--url", default=os.environ.get("CONNECT_FOUR_TEST_POSTGRES_URL")
    )
    parser.add_argument("--runs", type=int, default=2, help="runs of each variant")
    parser.add_argument("--kill-seconds", type=float, default=3.0)
    parser.add_argument("--every", type=float, default=0.05)
    args = parser.parse_args()
    if not args.url:
        parser.error("give --url or set CONNECT_FOUR_TEST_POSTGRES_URL")
    for _ in range(args.runs):
        for fallback in (True, False):
            one_run(
                args.url,
                fallback=fallback,
                kill_seconds=args.kill_seconds,
                every=args.every,
            )


if __name__ == "__main__":
    main()
