"""Play the corpus through the HTTP API with N games at once; report moves/s, latency.

The server is a real `connect-four serve` process on a loopback port, over a
fresh store; this process is the load generator. Each of N clients opens a
game (two seats), plays one corpus game move by move with the right seat
token, then takes the next game, until the run's time is up. Every request is
bounded by a timeout and every run by its duration, so the benchmark always
ends by itself.

    python -m benchmarks.http_load --stores sqlite postgres --clients 1 10 50

PostgreSQL runs use $CONNECT_FOUR_BENCH_POSTGRES_URL (default: the local
`test` database) in a fresh schema, dropped afterwards.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from benchmarks.corpus import DEFAULT_CORPUS, load_games
from connect_four.domain.board import Column

POSTGRES_ENV = "CONNECT_FOUR_BENCH_POSTGRES_URL"
DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/test"
REQUEST_TIMEOUT = 10.0
STARTUP_SECONDS = 120.0  # a loaded machine imports slowly


@dataclass
class Tally:
    """What the clients of one run did."""

    move_latencies: list[float] = field(default_factory=list)
    games_finished: int = 0
    errors: int = 0


@dataclass(frozen=True)
class Result:
    """The figures of one run."""

    store: str
    clients: int
    seconds: float
    moves: int
    games: int
    errors: int
    p50_ms: float
    p99_ms: float

    @property
    def moves_per_second(self) -> float:
        """Return the rate of accepted moves."""
        return self.moves / self.seconds


def free_port() -> int:
    """Return a loopback TCP port that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def server(store_url: str, log_path: Path) -> Iterator[str]:
    """Run `connect-four serve` over a store; yield its base URL; stop it."""
    port = free_port()
    with log_path.open("ab") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "connect_four.cli",
                "serve",
                "--store",
                store_url,
                "--port",
                str(port),
                "--no-rate-limit",  # every client here shares one address
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"the server did not start; see {log_path}")
            try:
                httpx.get(url + "/openapi.json", timeout=1.0)
            except httpx.TransportError:
                time.sleep(0.1)
            else:
                break
        yield url
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


async def play_games(
    client: httpx.AsyncClient,
    games: Iterator[Sequence[Column]],
    deadline: float,
    tally: Tally,
) -> None:
    """Play corpus games one after another until the deadline."""
    names = ("ann", "bob")
    while time.monotonic() < deadline:
        columns = next(games)
        opened = await client.post(
            "/api/games", json={"player_one": names[0], "player_two": names[1]}
        )
        if opened.status_code != 201:
            tally.errors += 1
            continue
        body = opened.json()
        tokens = {seat["player"]: seat["token"] for seat in body["seats"]}
        path = f"/api/games/{body['game_id']}/moves"
        for turn, column in enumerate(columns):
            if time.monotonic() >= deadline:
                return
            token = tokens[names[turn % 2]]
            started = time.perf_counter()
            answer = await client.post(
                path,
                json={"column": str(column)},
                headers={"Authorization": f"Bearer {token}"},
            )
            elapsed = time.perf_counter() - started
            if answer.status_code != 200:
                tally.errors += 1
                break
            tally.move_latencies.append(elapsed)
        else:
            tally.games_finished += 1


async def run_clients(
    url: str, clients: int, games: Sequence[Sequence[Column]], seconds: float
) -> tuple[Tally, float]:
    """Run N clients against the server for a bounded time."""
    tally = Tally()
    shared = itertools.cycle(games)
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(
        base_url=url, timeout=REQUEST_TIMEOUT, limits=limits
    ) as client:
        started = time.monotonic()
        deadline = started + seconds
        await asyncio.gather(
            *(play_games(client, shared, deadline, tally) for _ in range(clients))
        )
        return tally, time.monotonic() - started


def percentile(values: Sequence[float], share: float) -> float:
    """Return a percentile (0-1) of the values, in milliseconds."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, round(share * (len(ordered) - 1)))
    return ordered[index] * 1000


@contextmanager
def store_url(kind: str, folder: Path) -> Iterator[str]:
    """Yield the URL of a fresh store of a kind; remove it afterwards."""
    if kind == "sqlite":
        yield f"sqlite:///{folder / f'bench-{uuid.uuid4().hex[:8]}.db'}"
        return
    if kind != "postgres":
        raise SystemExit(f"unknown store {kind!r}: use sqlite or postgres")
    import psycopg
    from psycopg import sql

    base = os.environ.get(POSTGRES_ENV, DEFAULT_POSTGRES)
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    separator = "&" if "?" in base else "?"
    try:
        yield f"{base}{separator}schema={schema}"
    finally:
        with psycopg.connect(base, autocommit=True) as connection:
            connection.execute(
                sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(
                    sql.Identifier(schema)
                )
            )


def bench(
    kind: str, clients: Sequence[int], games: Sequence[Sequence[Column]], seconds: float
) -> list[Result]:
    """Run every client count against one fresh store and server."""
    results = []
    with (
        tempfile.TemporaryDirectory() as folder,
        store_url(kind, Path(folder)) as url,
        server(url, Path(folder) / "server.log") as base,
    ):
        # One short warm-up, so imports and first connections are not counted.
        asyncio.run(run_clients(base, 1, games, 1.0))
        for count in clients:
            tally, elapsed = asyncio.run(run_clients(base, count, games, seconds))
            latencies = tally.move_latencies
            results.append(
                Result(
                    kind,
                    count,
                    elapsed,
                    len(latencies),
                    tally.games_finished,
                    tally.errors,
                    percentile(latencies, 0.5),
                    percentile(latencies, 0.99),
                )
            )
            print_row(results[-1])
    return results


def print_row(result: Result) -> None:
    """Print one line of the Markdown table."""
    print(
        f"| {result.store} | {result.clients} | {result.moves_per_second:,.0f} |"
        f" {result.p50_ms:.1f} | {result.p99_ms:.1f} | {result.moves:,} |"
        f" {result.games:,} | {result.errors} |",
        flush=True,
    )


def main() -> None:
    """Print a Markdown table of moves/s and latency per store and client count."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stores", nargs="+", default=["sqlite", "postgres"])
    parser.add_argument("--clients", nargs="+", type=int, default=[1, 10, 50])
    parser.add_argument("--seconds", type=float, default=15.0, help="per run")
    parser.add_argument("--games", type=int, default=2000, help="corpus games to use")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = parser.parse_args()
    if not 0 < args.seconds <= 300:
        raise SystemExit("--seconds must be more than 0 and at most 300")
    games = load_games(args.corpus, args.games)
    print(
        f"workload: {len(games)} games of {args.corpus.name}, {args.seconds:g} s a run"
    )
    print(
        "| store | concurrent games | moves/s | p50 ms | p99 ms | moves | games done |"
        " errors |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for kind in args.stores:
        bench(kind, args.clients, games, args.seconds)


if __name__ == "__main__":
    main()
