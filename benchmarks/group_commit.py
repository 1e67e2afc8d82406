"""Durable commands/s with 16 games played at once in one process, against one game.

Each round plays the same number of corpus games through `ConnectFourApp`
(every move one durable command) twice, in alternation: by one thread, one
game after another (the anchor), and by 16 threads at once, each playing its
share of games on the same store, as a web server's worker threads do. With
group commit, the appends that arrive while a commit is in flight share the
next transaction; the benchmark prints both rates, their ratio (the median of
the rounds), how many appends a transaction held on average, and this
process's CPU time per command in each case (which, unlike the rates, hardly
depends on what else the machine runs), with the load average at the start
and the end.

    python -m benchmarks.group_commit --stores sqlite postgres --games 640 --rounds 4

Give each thread several games a round (640 games in 4 rounds give each of
16 threads 10): with two or three, the end of a round, when few threads are
left to share commits, weighs on the 16-thread rate.

PostgreSQL runs use $CONNECT_FOUR_BENCH_POSTGRES_URL (default: the local
`test` database) in a fresh schema, dropped afterwards.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from benchmarks.commands import replay
from benchmarks.corpus import DEFAULT_CORPUS, load_games
from benchmarks.http_load import store_url
from connect_four.application import ConnectFourApp
from connect_four.domain.board import Column
from connect_four.eventsourcing.stores import open_store
from connect_four.persistence.game_repository import EventSourcedGameRepository

Games = Sequence[Sequence[Column]]


class Run(NamedTuple):
    """What one play of a share of games measured."""

    rate: float
    """Commands per second, wall clock."""
    cpu: float
    """This process's CPU time (user + system, every thread) per command, in µs."""


def play_in_threads(app: ConnectFourApp, games: Games, threads: int) -> Run:
    """Play the games split over N threads started together; measure the run.

    The CPU time per command does not depend on how busy the machine is the
    way the rate does: it says whether the Python work under the GIL changed.
    It counts this process only (a PostgreSQL server's work is not in it).
    """
    shares = [games[index::threads] for index in range(threads)]
    counts = [0] * threads
    barrier = threading.Barrier(threads + 1)

    def play(index: int) -> None:
        barrier.wait()
        counts[index] = replay(app, shares[index])[1]

    workers = [threading.Thread(target=play, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    barrier.wait()
    started = time.perf_counter()
    cpu_started = time.process_time()
    for worker in workers:
        worker.join()
    cpu = time.process_time() - cpu_started
    elapsed = time.perf_counter() - started
    return Run(sum(counts) / elapsed, cpu / sum(counts) * 1e6)


class Medians(NamedTuple):
    """A store's medians over the rounds."""

    alone: Run
    together: Run
    ratio: float
    appends_per_transaction: float


def bench(url: str, games: Games, rounds: int, threads: int) -> Medians:
    """Print alternating rounds of one thread and N threads; return the medians."""
    store = open_store(url)
    app = ConnectFourApp.over(EventSourcedGameRepository(store))
    group = getattr(store, "group_commit", None)
    per_round = len(games) // rounds
    alone: list[Run] = []
    together: list[Run] = []
    ratios: list[float] = []
    batches: list[float] = []
    for number in range(rounds):
        chosen = games[number * per_round : (number + 1) * per_round]
        alone.append(play_in_threads(app, chosen, 1))
        before = group.transactions if group else 0
        together.append(play_in_threads(app, chosen, threads))
        if group is not None:
            transactions = group.transactions - before
            commands = sum(len(game) + 1 for game in chosen)
            batches.append(commands / max(transactions, 1))
        ratios.append(together[-1].rate / alone[-1].rate)
        print(
            f"  round {number + 1}: 1 game {alone[-1].rate:7.0f} commands/s"
            f" {alone[-1].cpu:5.0f} µs CPU a command |"
            f" {threads} games {together[-1].rate:7.0f} commands/s"
            f" {together[-1].cpu:5.0f} µs CPU |"
            f" ratio {ratios[-1]:.2f}"
            + (f" | {batches[-1]:.1f} appends a transaction" if batches else ""),
            flush=True,
        )
    store.close()
    return Medians(
        Run(*(statistics.median(run[i] for run in alone) for i in range(2))),
        Run(*(statistics.median(run[i] for run in together) for i in range(2))),
        statistics.median(ratios),
        statistics.median(batches) if batches else 1.0,
    )


def load_average() -> str:
    """Return the 1, 5 and 15 minute load averages, for the record."""
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    """Print, per store, the single-game and 16-game rates and their ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stores", nargs="+", default=["sqlite", "postgres"])
    parser.add_argument("--games", type=int, default=320, help="corpus games in all")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = parser.parse_args()
    games = load_games(args.corpus, args.games)
    print(
        f"workload: {len(games)} games of {args.corpus.name}, {args.rounds} rounds,"
        f" each: 1 thread then {args.threads} threads on the same games' share"
    )
    print(f"load average at start: {load_average()}")
    for kind in args.stores:
        with (
            tempfile.TemporaryDirectory() as folder,
            store_url(kind, Path(folder)) as url,
        ):
            print(f"{kind}:")
            medians = bench(url, games, args.rounds, args.threads)
            print(
                f"  medians: 1 game {medians.alone.rate:7.0f} commands/s"
                f" {medians.alone.cpu:5.0f} µs CPU a command |"
                f" {args.threads} games {medians.together.rate:7.0f} commands/s"
                f" {medians.together.cpu:5.0f} µs CPU |"
                f" ratio {medians.ratio:.2f} (median of rounds) |"
                f" {medians.appends_per_transaction:.1f} appends a transaction"
            )
    print(f"load average at end: {load_average()}")


if __name__ == "__main__":
    main()
