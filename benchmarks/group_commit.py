"""Durable commands/s with 16 games played at once in one process, against one game.

Each round plays the same number of corpus games through `ConnectFourApp`
(every move one durable command) twice, in alternation: by one thread, one
game after another (the anchor), and by 16 threads at once, each playing its
share of games on the same store, as a web server's worker threads do. With
group commit, the appends that arrive while a commit is in flight share the
next transaction; the benchmark prints both rates, their ratio (the median of
the rounds), and how many appends a transaction held on average.

    python -m benchmarks.group_commit --stores sqlite postgres --games 320 --rounds 4

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

from benchmarks.commands import replay
from benchmarks.corpus import DEFAULT_CORPUS, load_games
from benchmarks.http_load import store_url
from connect_four.application import ConnectFourApp
from connect_four.domain.board import Column
from connect_four.eventsourcing.stores import open_store
from connect_four.persistence.game_repository import EventSourcedGameRepository

Games = Sequence[Sequence[Column]]


def play_in_threads(app: ConnectFourApp, games: Games, threads: int) -> float:
    """Play the games split over N threads started together; return commands/s."""
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
    for worker in workers:
        worker.join()
    return sum(counts) / (time.perf_counter() - started)


def bench(
    url: str, games: Games, rounds: int, threads: int
) -> tuple[float, float, float]:
    """Print alternating rounds of one thread and N threads; return the medians."""
    store = open_store(url)
    app = ConnectFourApp.over(EventSourcedGameRepository(store))
    group = getattr(store, "group_commit", None)
    per_round = len(games) // rounds
    alone, together, ratios, batches = [], [], [], []
    for number in range(rounds):
        chosen = games[number * per_round : (number + 1) * per_round]
        alone.append(play_in_threads(app, chosen, 1))
        before = (group.transactions, group.grouped) if group else (0, 0)
        together.append(play_in_threads(app, chosen, threads))
        if group is not None:
            transactions = group.transactions - before[0]
            commands = sum(len(game) + 1 for game in chosen)
            batches.append(commands / max(transactions, 1))
        ratios.append(together[-1] / alone[-1])
        print(
            f"  round {number + 1}: 1 game {alone[-1]:7.0f} commands/s |"
            f" {threads} games {together[-1]:7.0f} commands/s |"
            f" ratio {ratios[-1]:.2f}"
            + (f" | {batches[-1]:.1f} appends a transaction" if batches else ""),
            flush=True,
        )
    store.close()
    return (
        statistics.median(alone),
        statistics.median(together),
        statistics.median(ratios),
    )


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
    for kind in args.stores:
        with (
            tempfile.TemporaryDirectory() as folder,
            store_url(kind, Path(folder)) as url,
        ):
            print(f"{kind}:")
            one, many, ratio = bench(url, games, args.rounds, args.threads)
            print(
                f"  medians: 1 game {one:7.0f} commands/s | {args.threads} games"
                f" {many:7.0f} commands/s | ratio {ratio:.2f} (median of rounds)"
            )
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
