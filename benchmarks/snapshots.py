"""Load a long stream with and without snapshots.

Game streams are at most 44 events long, so the games do not take snapshots;
this measures what snapshots buy on a long stream of a synthetic aggregate, a
`Ledger` of deposits and withdrawals. For each length, the stream is written
in batches of 1000 events (a snapshot every `--every` events), then a tail of
`--every // 2` events after the last snapshot; then the median of `--loads`
loads is timed with the snapshotting repository and with a plain one.

    python -m benchmarks.snapshots --lengths 1000 10000 100000
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import tempfile
import time
from pathlib import Path
from typing import assert_never

from connect_four.eventsourcing.aggregate import Aggregate
from connect_four.eventsourcing.codec import EventCodec, JSONObject
from connect_four.eventsourcing.repository import Repository
from connect_four.eventsourcing.snapshots import Snapshotting, SnapshottingRepository
from connect_four.eventsourcing.stores.sqlite.event_store import SQLiteEventStore
from connect_four.eventsourcing.stores.sqlite.snapshots import SQLiteSnapshotStore

BATCH = 1000


@dataclasses.dataclass(frozen=True, slots=True)
class Deposited:
    """Money came in."""

    amount: int


@dataclasses.dataclass(frozen=True, slots=True)
class Withdrawn:
    """Money went out."""

    amount: int


LedgerEvent = Deposited | Withdrawn


class Ledger(Aggregate[LedgerEvent]):
    """A balance and a count of movements: a long-lived aggregate."""

    def __init__(self, id: str) -> None:
        super().__init__(id)
        self.balance = 0
        self.movements = 0

    def deposit(self, amount: int) -> None:
        """Record money coming in."""
        self.record(Deposited(amount))

    def withdraw(self, amount: int) -> None:
        """Record money going out."""
        self.record(Withdrawn(amount))

    def apply(self, event: LedgerEvent) -> None:
        """Change the balance by one movement."""
        match event:
            case Deposited(amount):
                self.balance += amount
            case Withdrawn(amount):
                self.balance -= amount
            case _:
                assert_never(event)
        self.movements += 1


class LedgerSnapshotter:
    """Turn a ledger into JSON and back."""

    version = 1

    def take(self, aggregate: Ledger) -> JSONObject:
        """Return the ledger's state."""
        return {"balance": aggregate.balance, "movements": aggregate.movements}

    def restore(self, aggregate_id: str, state: JSONObject) -> Ledger:
        """Return a ledger with the given state."""
        ledger = Ledger(aggregate_id)
        ledger.balance = state["balance"]
        ledger.movements = state["movements"]
        return ledger


def write(
    repository: Repository[Ledger, LedgerEvent], ledger_id: str, length: int, tail: int
) -> None:
    """Write a ledger of `length` events in batches, then `tail` more on their own.

    With `length` a multiple of the snapshot interval and `tail` below it, the
    newest snapshot is at position `length - 1` and a load replays `tail` events.
    """
    ledger = Ledger(ledger_id)
    for size in [BATCH] * (length // BATCH) + [length % BATCH, tail]:
        for number in range(size):
            amount = ledger.version + number
            if amount % 3:
                ledger.deposit(amount)
            else:
                ledger.withdraw(amount // 2)
        repository.add(ledger)


def median_load(
    repository: Repository[Ledger, LedgerEvent], ledger_id: str, loads: int
) -> tuple[float, Ledger]:
    """Return the median seconds one load takes, and the ledger loaded."""
    times = []
    ledger = repository.get(ledger_id)
    for _ in range(loads):
        start = time.perf_counter()
        ledger = repository.get(ledger_id)
        times.append(time.perf_counter() - start)
    return statistics.median(times), ledger


def main() -> None:
    """Write the ledgers, then time loads with and without snapshots."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lengths", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--every", type=int, default=100)
    parser.add_argument("--loads", type=int, default=20)
    args = parser.parse_args()
    codec: EventCodec[LedgerEvent] = EventCodec([Deposited, Withdrawn])
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "ledgers.db"
        store = SQLiteEventStore(path)
        snapshots = SQLiteSnapshotStore(path)
        snapshotting = Snapshotting(snapshots, LedgerSnapshotter(), every=args.every)
        with_snapshots: Repository[Ledger, LedgerEvent] = SnapshottingRepository(
            store, codec, Ledger, "ledger-", snapshotting
        )
        plain: Repository[Ledger, LedgerEvent] = Repository(
            store, codec, Ledger, "ledger-"
        )
        print(f"SQLite, a snapshot every {args.every} events, median of {args.loads}")
        print("| events | tail | full replay | from snapshot | speed-up |")
        print("|---:|---:|---:|---:|---:|")
        for length in args.lengths:
            tail = args.every // 2
            write(with_snapshots, f"{length}", length, tail)
            full, replayed = median_load(plain, f"{length}", args.loads)
            fast, restored = median_load(with_snapshots, f"{length}", args.loads)
            if (replayed.balance, replayed.version) != (
                restored.balance,
                restored.version,
            ):
                raise RuntimeError(f"snapshot load differs at length {length}")
            print(
                f"| {length + tail:,} | {tail} | {full * 1000:.2f} ms"
                f" | {fast * 1000:.2f} ms | {full / fast:.0f}x |"
            )
        snapshots.close()
        store.close()


if __name__ == "__main__":
    main()
