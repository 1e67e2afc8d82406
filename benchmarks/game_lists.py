"""How fast `GET /api/games?status=...` answers with 10,000 games stored.

The store is filled once with the corpus's games (one in five cut short, so
that it stays in play) and the read models caught up; then each list is asked
for through the web app in process (Starlette's TestClient: the whole request
path, no network), and the median of the rounds is reported.

    python -m benchmarks.game_lists                       # a temporary SQLite file
    python -m benchmarks.game_lists --store sqlite://games-10k.db    # kept, reused
    python -m benchmarks.game_lists --store 'postgresql://postgres@127.0.0.1/db?schema=bench'

PostgreSQL plans the filtered query from its table statistics. A database
whose autovacuum is off (or has not run since a bulk load) has none, and then
plans a nested loop over every tag of every game: minutes at 10,000 games.
`--analyze` takes the statistics first, as autovacuum would.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path

from benchmarks.corpus import DEFAULT_CORPUS, load_games
from benchmarks.projections import fill
from connect_four.application import ConnectFourApp
from connect_four.eventsourcing.stores import open_projection_storage, open_store
from connect_four.persistence.game_repository import EventSourcedGameRepository
from connect_four.readmodels import ReadModels

QUERIES = (
    "/api/games?limit=20",
    "/api/games?status=finished&limit=1",
    "/api/games?status=finished&limit=20",
    "/api/games?status=playing&limit=1",
    "/api/games?status=playing&limit=20",
)


def stored_games(corpus: Path, count: int, seed: int = 7) -> list[list[object]]:
    """Return `count` games of the corpus, one in five cut short (still in play)."""
    rng = random.Random(seed)
    games: list[list[object]] = []
    for columns in load_games(corpus, count):
        if rng.random() < 0.2:
            columns = columns[: rng.randrange(0, max(1, len(columns) - 1))]
        games.append(list(columns))
    return games


def analyze(url: str) -> None:
    """Take PostgreSQL's planner statistics of the projection tables."""
    import psycopg
    from psycopg import sql

    from connect_four.eventsourcing.stores.postgresql.event_store import parse_url

    conninfo, schema, _ = parse_url(url)
    with psycopg.connect(conninfo, autocommit=True) as connection:
        for table in ("projection_slots", "projection_documents", "projection_tags"):
            name = sql.Identifier(schema, table)
            connection.execute(sql.SQL("ANALYZE {}").format(name))


def bench(
    url: str, corpus: Path, games: int, rounds: int, take_statistics: bool
) -> None:
    """Fill the store if it is empty, then time each list, round after round."""
    from starlette.testclient import TestClient

    from connect_four.web import create_app

    store = open_store(url)
    storage = open_projection_storage(url)
    try:
        if store.last_global_position() == 0:
            started = time.perf_counter()
            fill(store, stored_games(corpus, games))  # type: ignore[arg-type]  # columns
            print(f"stored {games} games in {time.perf_counter() - started:.0f} s")
        read_models = ReadModels(store, storage)
        started = time.perf_counter()
        read_models.catch_up()
        print(f"read models caught up in {time.perf_counter() - started:.0f} s")
        if take_statistics:
            analyze(url)
        app = ConnectFourApp.over(EventSourcedGameRepository(store))
        web = create_app(app, store, read_models=read_models)
        with TestClient(web) as client:
            client.get("/api/games?limit=1")  # the lobby fold reads the log once
            for query in QUERIES:
                times = []
                for _ in range(rounds):
                    started = time.perf_counter()
                    answer = client.get(query)
                    times.append(time.perf_counter() - started)
                    answer.raise_for_status()
                shown = len(answer.json()["games"])
                median = statistics.median(times) * 1000
                print(
                    f"{query:40} {shown:3} games  median {median:6.1f} ms"
                    f"  (best {min(times) * 1000:.1f}, worst {max(times) * 1000:.1f})"
                )
    finally:
        storage.close()
        store.close()


def main() -> None:
    """Parse the options and run the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", help="store URL (default: a temporary SQLite file)")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--games", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument(
        "--analyze", action="store_true", help="PostgreSQL: take statistics first"
    )
    args = parser.parse_args()
    if args.store:
        bench(args.store, args.corpus, args.games, args.rounds, args.analyze)
        return
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'games.db'}"
        bench(url, args.corpus, args.games, args.rounds, take_statistics=False)


if __name__ == "__main__":
    main()
