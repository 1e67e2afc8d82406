"""Replay the corpus on PostgreSQL: one worker against the raw rate, then 1, 2, 4.

Part one runs the command benchmark of `benchmarks.commands` (every move one
command through ConnectFourApp) on one connection, in rounds interleaved
with the raw rates of the same server: BEGIN + one-row INSERT + COMMIT over one
connection, and the same INSERT alone in autocommit mode (one round trip).

Part two starts 1, 2 and 4 worker processes that play disjoint games into one
schema, beside as many processes doing the raw transactions (rounds
alternated), prints each scaling next to the raw one and their ratio, and
finally checks that a follower reading the global log page by page finds
every event once, in increasing positions, as a reader of the whole log does.

    python -m benchmarks.postgres --url postgresql://postgres@127.0.0.1:5432/bench
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import time
import uuid
from collections.abc import Sequence
from multiprocessing.synchronize import Barrier
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

from benchmarks.commands import read_log, replay
from benchmarks.corpus import DEFAULT_CORPUS, load_games
from connect_four.application import ConnectFourApp
from connect_four.domain.board import Column
from connect_four.eventsourcing.stores.postgresql.event_store import (
    PostgresEventStore,
    parse_url,
)
from connect_four.persistence.game_repository import EventSourcedGameRepository

PAYLOAD = b'{"player": "ann", "column": "D"}'
Games = Sequence[Sequence[Column]]


class RawPostgres:
    """One connection doing the cheapest durable write PostgreSQL offers."""

    def __init__(self, conninfo: str, schema: str) -> None:
        self._connection = psycopg.connect(conninfo, autocommit=True)
        self._table = sql.SQL("{}.raw").format(sql.Identifier(schema))
        self._insert = sql.SQL("INSERT INTO {} (data) VALUES (%s)").format(self._table)

    @staticmethod
    def create_table(conninfo: str, schema: str) -> None:
        """Create the table the raw inserts go to, in an existing schema."""
        table = sql.SQL("{}.raw").format(sql.Identifier(schema))
        with psycopg.connect(conninfo, autocommit=True) as connection:
            connection.execute(
                sql.SQL(
                    "CREATE TABLE {} (id bigserial PRIMARY KEY, data bytea)"
                ).format(table)
            )

    def transactions(self, count: int) -> float:
        """Return BEGIN + INSERT + COMMIT transactions/s over a run of `count`."""
        connection, insert = self._connection, self._insert
        started = time.perf_counter()
        for _ in range(count):
            with connection.transaction():
                connection.execute(insert, (PAYLOAD,))
        return count / (time.perf_counter() - started)

    def autocommits(self, count: int) -> float:
        """Return single-statement INSERTs/s (each its own transaction)."""
        connection, insert = self._connection, self._insert
        started = time.perf_counter()
        for _ in range(count):
            connection.execute(insert, (PAYLOAD,))
        return count / (time.perf_counter() - started)

    def close(self) -> None:
        """Close the connection."""
        self._connection.close()


def one_worker(conninfo: str, schema: str, games: Games, rounds: int) -> None:
    """Print the full-stack rate on one connection beside the raw rates."""
    store = PostgresEventStore(conninfo, schema, pool_size=1)
    app = ConnectFourApp.over(EventSourcedGameRepository(store))
    RawPostgres.create_table(conninfo, schema)
    raw = RawPostgres(conninfo, schema)
    per_round = max(1, len(games) // rounds)
    full, transactions, autocommits = [], [], []
    for start in range(0, len(games), per_round):
        started = time.perf_counter()
        _, commands = replay(app, games[start : start + per_round])
        full.append(commands / (time.perf_counter() - started))
        transactions.append(raw.transactions(commands))
        autocommits.append(raw.autocommits(commands))
    started = time.perf_counter()
    events = read_log(store)
    log_rate = events / (time.perf_counter() - started)
    store.close()
    raw.close()
    commands_per_s = statistics.median(full)
    raw_per_s = statistics.median(transactions)
    single_per_s = statistics.median(autocommits)
    print(f"one worker, {len(games)} games in {len(full)} interleaved rounds (medians)")
    print(f"  full stack: {commands_per_s:7.0f} commands/s (one command per move)")
    print(f"  raw:        {raw_per_s:7.0f} BEGIN+INSERT+COMMIT/s, one connection")
    print(f"  raw:        {single_per_s:7.0f} autocommit INSERT/s (one round trip)")
    print(
        f"  ratio:      {commands_per_s / raw_per_s:7.2f} of BEGIN+INSERT+COMMIT,"
        f" {commands_per_s / single_per_s:.2f} of autocommit INSERT"
    )
    print(f"  read log:   {log_rate:7.0f} events/s")


def play_worker(
    conninfo: str, schema: str, games: Games, barrier: Barrier, results: Any
) -> None:
    """Play games after the start signal; report (commands, seconds)."""
    store = PostgresEventStore(conninfo, schema, pool_size=1)
    app = ConnectFourApp.over(EventSourcedGameRepository(store))
    barrier.wait()
    started = time.perf_counter()
    _, commands = replay(app, games)
    results.put((commands, time.perf_counter() - started))
    store.close()


def raw_worker(
    conninfo: str, schema: str, count: int, barrier: Barrier, results: Any
) -> None:
    """Do raw transactions after the start signal; report (count, seconds)."""
    raw = RawPostgres(conninfo, schema)
    barrier.wait()
    started = time.perf_counter()
    raw.transactions(count)
    results.put((count, time.perf_counter() - started))
    raw.close()


def in_parallel(target: Any, argument_lists: list[tuple[Any, ...]]) -> float:
    """Run one process per argument list from a common start; return total/s."""
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(len(argument_lists))
    results = context.Queue()
    processes = [
        context.Process(target=target, args=(*arguments, barrier, results))
        for arguments in argument_lists
    ]
    for process in processes:
        process.start()
    reports: list[tuple[int, float]] = [results.get() for _ in processes]
    for process in processes:
        process.join()
    return sum(done for done, _ in reports) / max(seconds for _, seconds in reports)


def scaling(
    conninfo: str, schema: str, games: Games, per_worker: int, rounds: int
) -> None:
    """Print commands/s with 1, 2 and 4 workers beside the raw n-connection rate.

    Each round runs, in turn, the workers and the raw connections at 1, 2 and
    4 processes, so a round's scaling and the raw scaling are measured side by
    side; the medians of the rounds are printed.
    """
    PostgresEventStore(conninfo, schema).close()
    RawPostgres.create_table(conninfo, schema)
    offset = 0
    commands_per_game = sum(len(game) + 1 for game in games) / len(games)
    counts = (1, 2, 4)
    full: dict[int, list[float]] = {n: [] for n in counts}
    raw: dict[int, list[float]] = {n: [] for n in counts}
    print(
        f"workers on disjoint games, {per_worker} games each ({rounds} rounds, medians)"
    )
    for _ in range(rounds):
        for workers in counts:
            slices = []
            for _ in range(workers):
                chosen = [games[(offset + i) % len(games)] for i in range(per_worker)]
                slices.append((conninfo, schema, chosen))
                offset += per_worker
            full[workers].append(in_parallel(play_worker, slices))
            count = round(per_worker * commands_per_game)
            raw[workers].append(
                in_parallel(raw_worker, [(conninfo, schema, count)] * workers)
            )
    for workers in counts:
        scaled = [a / b for a, b in zip(full[workers], full[1], strict=True)]
        raw_scaled = [a / b for a, b in zip(raw[workers], raw[1], strict=True)]
        of_raw = [a / b for a, b in zip(scaled, raw_scaled, strict=True)]
        print(
            f"  {workers} worker{'s' if workers > 1 else ' '}:"
            f" {statistics.median(full[workers]):7.0f} commands/s"
            f" ({statistics.median(scaled):.2f}x one worker) |"
            f" raw {statistics.median(raw[workers]):7.0f} BEGIN+INSERT+COMMIT/s"
            f" ({statistics.median(raw_scaled):.2f}x one) |"
            f" scaling {statistics.median(of_raw):.2f} of raw's"
            f" (rounds: {', '.join(f'{x:.2f}' for x in of_raw)})"
        )


def check_log(conninfo: str, schema: str) -> None:
    """Check that paging through the log finds each event once, in order."""
    store = PostgresEventStore(conninfo, schema, pool_size=1)
    positions: list[int] = []
    ids: set[str] = set()
    after = 0
    while page := store.read_all(after=after, limit=5000):
        positions += [event.global_position for event in page]
        ids.update(str(event.id) for event in page)
        after = page[-1].global_position
    whole = [event.global_position for event in store.read_all(limit=10**9)]
    store.close()
    sound = positions == sorted(set(positions)) == whole
    print(
        f"  global log: {len(positions)} events, {len(ids)} distinct ids,"
        f" positions {'increasing, each once' if sound else 'OUT OF ORDER OR REPEATED'}"
        " (paged as the whole)"
    )


def main() -> None:
    """Run both parts in fresh schemas, then drop them."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True, help="postgresql://... database URL")
    parser.add_argument("--games", type=int, default=400)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--games-per-worker", type=int, default=60)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument(
        "--scaling-only", action="store_true", help="skip the one-worker part"
    )
    args = parser.parse_args()
    conninfo, _, _ = parse_url(args.url)
    games = load_games(args.corpus, args.games)
    tag = uuid.uuid4().hex[:8]
    schemas = [f"bench_one_{tag}", f"bench_workers_{tag}"]
    print(f"workload: {len(games)} games of {args.corpus.name}")
    try:
        if not args.scaling_only:
            one_worker(conninfo, schemas[0], games, args.rounds)
        scaling(conninfo, schemas[1], games, args.games_per_worker, args.rounds)
        check_log(conninfo, schemas[1])
        print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    finally:
        with psycopg.connect(conninfo, autocommit=True) as connection:
            for schema in schemas:
                connection.execute(
                    sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(
                        sql.Identifier(schema)
                    )
                )


if __name__ == "__main__":
    main()
