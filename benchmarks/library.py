"""Our core against the `eventsourcing` package: the same game, the same corpus.

Both apps replay the corpus's games one command per move (create, then each
move loads the game, decides and appends), on each store kind. Runs alternate
(ours, library, ours, library, ...) so that the machine's drift hits both
alike; the figure is the median rate, and the ratio is ours over the library's.

    python -m benchmarks.library --games 1000 --rounds 3 --stores memory sqlite

Our app runs as the CLI and the web build it (with its aggregate cache); the
library's twice: as its `Application` comes (no cache: each move reads the
game's stream), and with its aggregate cache on (`AGGREGATE_CACHE_MAXSIZE`).
Both SQLite stores run in WAL mode; ours sets `synchronous=FULL`, the
library's recorder keeps SQLite's default (FULL, on the usual builds).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from benchmarks.commands import replay
from benchmarks.corpus import DEFAULT_CORPUS, load_games
from connect_four.application import ConnectFourApp
from connect_four.domain.board import Column
from connect_four.eventsourcing.stores import open_store
from connect_four.library.application import LibraryConnectFourApp, open_library_app
from connect_four.persistence.game_repository import EventSourcedGameRepository


def ours(url: str, games: Sequence[Sequence[Column]]) -> int:
    """Replay the games on our core; return the command count."""
    store = open_store(url)
    try:
        app = ConnectFourApp.over(EventSourcedGameRepository(store))
        return replay(app, games)[1]
    finally:
        store.close()


def library(url: str, games: Sequence[Sequence[Column]]) -> int:
    """Replay the games on the library's app as it comes; return the command count."""
    return _on_library(open_library_app(url), games)


def library_cached(url: str, games: Sequence[Sequence[Column]]) -> int:
    """Replay the games on the library's app with its aggregate cache on."""
    return _on_library(open_library_app(url, cache_size=1024), games)


def _on_library(app: LibraryConnectFourApp, games: Sequence[Sequence[Column]]) -> int:
    try:
        return replay(app, games)[1]  # type: ignore[arg-type]  # same commands, another class
    finally:
        app.close()


def rate(
    run: Callable[[str, Sequence[Sequence[Column]]], int],
    url: str,
    games: Sequence[Sequence[Column]],
) -> float:
    """Return the commands per second of one run."""
    started = time.perf_counter()
    commands = run(url, games)
    return commands / (time.perf_counter() - started)


def main(argv: Sequence[str] | None = None) -> None:
    """Print commands/s for both apps on each store, and their ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--games", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--stores",
        nargs="+",
        default=["memory", "sqlite"],
        choices=["memory", "sqlite"],
    )
    args = parser.parse_args(argv)
    games = load_games(args.corpus, args.games)
    print(f"{len(games)} games of {args.corpus.name}, {args.rounds} alternating rounds")
    runs = {"ours": ours, "library": library, "library cached": library_cached}
    print(
        f"{'store':8} {'ours cmd/s':>11} {'library':>9} {'cached':>9}"
        f" {'ours/library':>13} {'ours/cached':>12}"
    )
    with tempfile.TemporaryDirectory() as folder:
        for store in args.stores:
            figures: dict[str, list[float]] = {name: [] for name in runs}
            for round_number in range(args.rounds):
                for name, run in runs.items():
                    url = (
                        "memory:"
                        if store == "memory"
                        else f"sqlite:///{folder}/{name}-{round_number}.db".replace(
                            " ", "-"
                        )
                    )
                    figures[name].append(rate(run, url, games))
            mine, theirs, cached = (statistics.median(figures[name]) for name in runs)
            print(
                f"{store:8} {mine:11,.0f} {theirs:9,.0f} {cached:9,.0f}"
                f" {mine / theirs:13.2f} {mine / cached:12.2f}"
            )


if __name__ == "__main__":
    main()
