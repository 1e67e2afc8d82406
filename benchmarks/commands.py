"""Replay the corpus through ConnectFourApp, one command per move, on each store.

Each move is its own command, as a server handling one request per move would
do. Beside the full-stack rate, the same run measures the raw rate of
single-row INSERT+COMMIT transactions on the same SQLite settings, so the
ratio says what the whole stack costs, and the rate of a hand-written loop
that stores the same rows without the layers (`benchmarks.handwritten`), so
the second ratio says what the layers themselves cost.

    python -m benchmarks.commands --games 2000 --stores memory sqlite
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from benchmarks.corpus import DEFAULT_CORPUS, load_games
from benchmarks.handwritten import HandwrittenLoop
from connect_four.application import ConnectFourApp
from connect_four.domain.board import Column
from connect_four.domain.game import Move
from connect_four.eventsourcing.store import EventStore
from connect_four.eventsourcing.stores import open_store
from connect_four.eventsourcing.stores.sqlite.connection import connect
from connect_four.persistence.game_repository import EventSourcedGameRepository


def replay(
    app: ConnectFourApp, games: Sequence[Sequence[Column]]
) -> tuple[list[str], int]:
    """Play every game move by move; return the game ids and the command count."""
    ids = []
    commands = 0
    for columns in games:
        game_id = app.create_game("ann", "bob")
        commands += 1
        players = ("ann", "bob")
        for turn, column in enumerate(columns):
            app.make_move(game_id, Move(players[turn % 2], column))
            commands += 1
        ids.append(game_id)
    return ids, commands


class RawSQLite:
    """Single-row INSERT+COMMIT transactions at the SQLite store's own settings.

    Each is one INSERT in autocommit mode, the cheapest durable transaction
    SQLite offers, on a file opened as the store opens its own (page size,
    journal, sync).
    """

    def __init__(self, path: Path) -> None:
        self._connection = connect(str(path), synchronous="FULL")
        self._connection.execute("CREATE TABLE raw (id INTEGER PRIMARY KEY, data BLOB)")

    def rate(self, transactions: int) -> float:
        """Return transactions/s over a run of the given length."""
        payload = b'{"player": "ann", "column": "D"}'
        execute = self._connection.execute
        started = time.perf_counter()
        for _ in range(transactions):
            execute("INSERT INTO raw (data) VALUES (?)", (payload,))
        return transactions / (time.perf_counter() - started)

    def close(self) -> None:
        """Close the connection."""
        self._connection.close()


def timed(action: Callable[[], object]) -> float:
    """Return how long an action took, in seconds."""
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def read_log(store: EventStore) -> int:
    """Read the whole global log in pages; return the event count."""
    count = 0
    after = 0
    while page := store.read_all(after=after, limit=1000):
        count += len(page)
        after = page[-1].global_position
    return count


def bench_store(
    url: str,
    games: Sequence[Sequence[Column]],
    rounds: int,
    raw: RawSQLite | None,
    handwritten: HandwrittenLoop | None = None,
) -> dict[str, float]:
    """Run the workload on one store, in rounds interleaved with the raw baseline.

    Disk flush times drift on a shared machine; alternating the full stack and
    the raw baseline in the same run, and taking medians, keeps the ratio fair.
    """
    store = open_store(url)
    app = ConnectFourApp.over(EventSourcedGameRepository(store))
    per_round = max(1, len(games) // rounds)
    rates: list[float] = []
    raw_rates: list[float] = []
    handwritten_rates: list[float] = []
    ids: list[str] = []
    commands = 0
    total = 0.0
    for start in range(0, len(games), per_round):
        started = time.perf_counter()
        round_ids, round_commands = replay(app, games[start : start + per_round])
        elapsed = time.perf_counter() - started
        ids += round_ids
        commands += round_commands
        total += elapsed
        rates.append(round_commands / elapsed)
        if raw is not None:
            raw_rates.append(raw.rate(round_commands))
        if handwritten is not None:
            handwritten_rates.append(handwritten.rate(games[start : start + per_round]))
    events = store.last_global_position()
    log_seconds = timed(lambda: read_log(store))
    # Loading from the store itself, not from the repository's cache.
    cold = ConnectFourApp.over(EventSourcedGameRepository(store, cache_size=0))
    load_seconds = timed(lambda: [cold.load_game(game_id) for game_id in ids])
    store.close()
    return {
        "commands": commands,
        "commands_per_s": statistics.median(rates),
        "events_per_s": events / total,
        "log_events_per_s": events / log_seconds,
        "games_loaded_per_s": len(ids) / load_seconds,
        "raw_per_s": statistics.median(raw_rates) if raw_rates else 0.0,
        "handwritten_per_s": (
            statistics.median(handwritten_rates) if handwritten_rates else 0.0
        ),
    }


def main() -> None:
    """Print the figures for each store."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--games", type=int, default=1000)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--stores", nargs="+", default=["memory", "sqlite"])
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    games = load_games(args.corpus, args.games)
    print(f"workload: {len(games)} games of {args.corpus.name}")
    with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_DIR")) as folder:
        for kind in args.stores:
            raw = handwritten = None
            if kind == "memory":
                url = "memory:"
            else:
                url = f"sqlite:///{folder}/{kind}.db"
                raw = RawSQLite(Path(folder) / "raw.db")
                handwritten = HandwrittenLoop(Path(folder) / "handwritten.db")
            figures = bench_store(url, games, args.rounds, raw, handwritten)
            print(
                f"{kind:>7}: {figures['commands_per_s']:9.0f} commands/s "
                f"{figures['events_per_s']:9.0f} events/s | read log "
                f"{figures['log_events_per_s']:9.0f} events/s | load "
                f"{figures['games_loaded_per_s']:8.0f} games/s"
            )
            if raw is not None and handwritten is not None:
                raw.close()
                handwritten.close()
                ratio = figures["commands_per_s"] / figures["raw_per_s"]
                print(
                    f"    raw: {figures['raw_per_s']:9.0f} INSERT+COMMIT/s"
                    f" (WAL, synchronous=FULL); ratio {ratio:.2f}"
                )
                by_hand = figures["handwritten_per_s"]
                print(
                    f"   hand: {by_hand:9.0f} commands/s, a hand-written loop"
                    f" ({by_hand / figures['raw_per_s']:.2f} of raw); full stack"
                    f" {figures['commands_per_s'] / by_hand:.2f} of it"
                )


if __name__ == "__main__":
    main()
