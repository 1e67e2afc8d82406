"""Projection catch-up from zero over the 10k corpus, against reading the global log.

The corpus's games (one complete game a line) are stored once per store, one
append per game with the metadata the application writes, between players
drawn from a pool of 100. Then, in each round and for each store:

- read: the whole global log, page by page (1000 events a page), nothing more;
- read + decode: the same, decoding every game event with the game codec;
- games, leaderboard: each projection caught up from position zero into a
  fresh slot, with its documents and checkpoint committed every page.

Rates are events of the log per second; the ratio is the projection's rate
over the plain read's. The median round is reported.

    python -m benchmarks.projections --stores sqlite postgres \\
        --postgres-url postgresql://postgres@127.0.0.1:5432/postgres
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

from benchmarks.corpus import DEFAULT_CORPUS, load_games
from connect_four.domain.board import Column
from connect_four.domain.events import GameEvent
from connect_four.domain.game import Game, Move
from connect_four.eventsourcing.projection_storage import ProjectionStorage
from connect_four.eventsourcing.projections import Projection, ProjectionRunner
from connect_four.eventsourcing.store import EventStore
from connect_four.eventsourcing.stores import open_projection_storage, open_store
from connect_four.persistence.codec import GAME_STREAM_PREFIX, game_codec
from connect_four.persistence.game_repository import EventSourcedGameRepository
from connect_four.readmodels.games import GamesProjection
from connect_four.readmodels.leaderboard import LeaderboardProjection

PLAYERS = [f"player-{number:03d}" for number in range(100)]
PAGE_SIZE = 1000


def fill(store: EventStore, games: Sequence[Sequence[Column]], seed: int = 1) -> int:
    """Store every game, one append each; return how many events the log holds."""
    repository = EventSourcedGameRepository(store)
    rng = random.Random(seed)
    for columns in games:
        game = Game()
        one, two = rng.sample(PLAYERS, 2)
        game.start_game(one, two)
        for column in columns:
            if game.next_player is None:
                break
            game.make_move(Move(game.next_player, column))
        repository.add(
            game,
            {
                "correlation_id": game.id,
                "causation_id": str(uuid.uuid4()),
                "command": "make_move",
                "occurred_at": datetime.now(UTC).isoformat(),
            },
        )
    return store.last_global_position()


def read_log(store: EventStore) -> int:
    """Read the whole global log page by page; return the events read."""
    after, count = 0, 0
    while page := store.read_all(after, PAGE_SIZE):
        after = page[-1].global_position
        count += len(page)
    return count


def read_and_decode(store: EventStore) -> int:
    """Read the whole global log and decode every game event; return the events."""
    decode = game_codec().decode
    after, count = 0, 0
    while page := store.read_all(after, PAGE_SIZE):
        after = page[-1].global_position
        count += len(page)
        for record in page:
            if record.stream.startswith(GAME_STREAM_PREFIX):
                decode(record)
    return count


def catch_up(
    store: EventStore, storage: ProjectionStorage, projection: Projection[GameEvent]
) -> int:
    """Catch a projection up from zero; return the checkpoint it reached."""
    runner = ProjectionRunner(store, storage, projection, page_size=PAGE_SIZE)
    return runner.catch_up().checkpoint


def fresh(projection: GamesProjection | LeaderboardProjection, round_: int) -> None:
    """Give a projection a name no earlier round used, so it starts from zero."""
    projection.name = f"{projection.name}-bench-{round_}-{uuid.uuid4().hex[:6]}"


def timed(action: Callable[[], int]) -> tuple[float, int]:
    """Return how long an action took, and what it returned."""
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


@contextmanager
def opened(kind: str, postgres_url: str | None, directory: Path) -> Iterator[str]:
    """Yield the URL of a fresh, empty store of a kind; drop it afterwards."""
    if kind == "sqlite":
        yield f"sqlite:///{directory / 'projections-bench.db'}"
        return
    if postgres_url is None:
        raise SystemExit("--postgres-url is needed for the postgres store")
    import psycopg
    from psycopg import sql

    from connect_four.eventsourcing.stores.postgresql.event_store import parse_url

    schema = f"bench_{uuid.uuid4().hex[:12]}"
    separator = "&" if "?" in postgres_url else "?"
    try:
        yield f"{postgres_url}{separator}schema={schema}"
    finally:
        conninfo, _, _ = parse_url(postgres_url)
        with psycopg.connect(conninfo, autocommit=True) as connection:
            connection.execute(
                sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(
                    sql.Identifier(schema)
                )
            )


def bench_store(
    kind: str, url: str, games: Sequence[Sequence[Column]], rounds: int
) -> None:
    """Fill one store, then time reads and catch-ups round after round."""
    store = open_store(url)
    storage = open_projection_storage(url)
    try:
        seconds, events = timed(lambda: fill(store, games))
        print(
            f"\n{kind}: stored {len(games)} games, {events} events in {seconds:.1f} s"
        )
        codec = game_codec()
        rates: dict[str, list[float]] = {}
        for round_ in range(rounds):
            games_projection = GamesProjection(codec, GAME_STREAM_PREFIX)
            leaderboard = LeaderboardProjection(codec, GAME_STREAM_PREFIX)
            fresh(games_projection, round_)
            fresh(leaderboard, round_)
            measured: dict[str, Callable[[], int]] = {
                "read": partial(read_log, store),
                "read + decode": partial(read_and_decode, store),
                "games": partial(catch_up, store, storage, games_projection),
                "leaderboard": partial(catch_up, store, storage, leaderboard),
            }
            for name, action in measured.items():
                seconds, reached = timed(action)
                if reached != events:
                    raise RuntimeError(f"{name} reached {reached}, not {events}")
                rates.setdefault(name, []).append(events / seconds)
        report(kind, events, rates)
    finally:
        storage.close()
        store.close()


def report(kind: str, events: int, rates: dict[str, list[float]]) -> None:
    """Print the median rate of each measure and its ratio to the plain read."""
    read = statistics.median(rates["read"])
    print(f"| store | measure | events/s (median of {len(rates['read'])}) | of read |")
    print("|---|---|---:|---:|")
    for name, samples in rates.items():
        rate = statistics.median(samples)
        print(f"| {kind} | {name} | {rate:,.0f} | {rate / read:.2f} |")
    print(f"({events} events in the log)")


def main() -> None:
    """Run the benchmark on the stores asked for."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--games", type=int, default=None, help="default: all")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--stores", nargs="+", default=["sqlite"])
    parser.add_argument("--postgres-url", default=None)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    games = load_games(args.corpus, args.games)
    with tempfile.TemporaryDirectory() as directory:
        for kind in args.stores:
            with opened(kind, args.postgres_url, Path(directory)) as url:
                bench_store(kind, url, games, args.rounds)


if __name__ == "__main__":
    main()
