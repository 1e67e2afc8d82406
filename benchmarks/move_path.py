"""The move path against a trivial endpoint on the same server stack, same load.

Two servers run side by side on loopback ports: `connect-four serve` over a
fresh store (read models on, `--no-rate-limit`), and a trivial Starlette JSON
endpoint (`benchmarks.trivial_server`) under uvicorn with the same settings.
Separate client processes (plain HTTP/1.1 over asyncio, keep-alive, one
connection per game) load them with N games at once, in alternating runs
(trivial, serve, trivial, serve, ...): on `serve` each game is opened with two
seats and played move by move from the corpus with the right seat token; on
the trivial endpoint each "game" posts the same requests to its route. For
each N the benchmark prints the medians of moves/s, of the trivial endpoint's
requests/s, of their ratio per round, and the p99 of a move's latency.

With `--servers 1 2` it starts two `serve` processes over the one store (use a
PostgreSQL store: `--store postgres`), and each round runs the load against
one of them, then against both, giving each game to one of them in turn, as
a proxy would: the capacity run of docs/benchmarks.md.

    python -m benchmarks.move_path --games 1 10 50 --seconds 5 --rounds 3
    python -m benchmarks.move_path --store postgres --servers 1 2 --games 50
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import multiprocessing
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.corpus import DEFAULT_CORPUS, load_games
from benchmarks.http_load import free_port, percentile, server, store_url

REQUEST_TIMEOUT = 10.0
STARTUP_SECONDS = 30.0


class Connection:
    """One keep-alive HTTP/1.1 connection: send a request, read its answer."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter):
        self.reader = reader
        self.writer = writer

    @classmethod
    async def open(cls, port: int) -> Connection:
        """Connect to a loopback port."""
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        return cls(reader, writer)

    async def post(
        self, path: str, body: dict[str, object], token: str | None = None
    ) -> tuple[int, bytes]:
        """Send a JSON POST; return the status and the body of the answer."""
        payload = json.dumps(body).encode()
        head = (
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            "Content-Type: application/json\r\n"
            f"Content-Length: {len(payload)}\r\n"
        )
        if token is not None:
            head += f"Authorization: Bearer {token}\r\n"
        self.writer.write(head.encode() + b"\r\n" + payload)
        status_line = await self.reader.readline()
        length = 0
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        answer = await self.reader.readexactly(length)
        return int(status_line.split()[1]), answer

    def close(self) -> None:
        """Close the connection."""
        self.writer.close()


async def play_serve(
    port: int, games: Iterator[Sequence[str]], deadline: float, latencies: list[float]
) -> int:
    """Play corpus games on `serve` until the deadline; return the errors."""
    connection = await Connection.open(port)
    errors = 0
    try:
        while time.monotonic() < deadline:
            columns = next(games)
            status, answer = await connection.post(
                "/api/games", {"player_one": "ann", "player_two": "bob"}
            )
            if status != 201:
                errors += 1
                continue
            opened = json.loads(answer)
            tokens = {seat["player"]: seat["token"] for seat in opened["seats"]}
            path = f"/api/games/{opened['game_id']}/moves"
            for turn, column in enumerate(columns):
                if time.monotonic() >= deadline:
                    break
                started = time.perf_counter()
                status, _ = await connection.post(
                    path, {"column": column}, tokens[("ann", "bob")[turn % 2]]
                )
                if status != 200:
                    errors += 1
                    break
                latencies.append(time.perf_counter() - started)
    finally:
        connection.close()
    return errors


async def play_trivial(
    port: int, games: Iterator[Sequence[str]], deadline: float, latencies: list[float]
) -> int:
    """Post the same move requests to the trivial endpoint until the deadline."""
    connection = await Connection.open(port)
    errors = 0
    try:
        while time.monotonic() < deadline:
            for column in next(games):
                if time.monotonic() >= deadline:
                    break
                started = time.perf_counter()
                status, _ = await connection.post(
                    "/api/games/g/moves", {"column": column}, "a-seat-token"
                )
                if status != 200:
                    errors += 1
                    break
                latencies.append(time.perf_counter() - started)
    finally:
        connection.close()
    return errors


def client_process(
    kind: str,
    ports: list[int],
    games: int,
    first: int,
    corpus: list[list[str]],
    start_at: float,
    seconds: float,
    results: Any,
) -> None:
    """Play `games` games at once from one process; report the latencies."""

    async def run() -> tuple[list[float], int]:
        latencies: list[float] = []
        shared = itertools.cycle(corpus[first:] + corpus[:first])
        await asyncio.sleep(max(0.0, start_at - time.time()))
        deadline = time.monotonic() + seconds
        play = play_serve if kind == "serve" else play_trivial
        errors = await asyncio.gather(
            *(
                play(ports[(first + n) % len(ports)], shared, deadline, latencies)
                for n in range(games)
            )
        )
        return latencies, sum(errors)

    results.put(asyncio.run(run()))


@dataclass(frozen=True)
class Run:
    """The figures of one run."""

    rate: float
    p99_ms: float
    errors: int


def load(
    kind: str, ports: list[int], games: int, corpus: list[list[str]], seconds: float
) -> Run:
    """Load the servers with N games from up to two client processes."""
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    processes = min(games, 2)
    start_at = time.time() + 1.0  # every process has imported and connected
    shares = [games // processes + (i < games % processes) for i in range(processes)]
    workers = [
        context.Process(
            target=client_process,
            args=(kind, ports, share, i * 97, corpus, start_at, seconds, results),
        )
        for i, share in enumerate(shares)
    ]
    for worker in workers:
        worker.start()
    reports = [results.get(timeout=seconds + 60) for _ in workers]
    for worker in workers:
        worker.join()
    latencies = [value for report in reports for value in report[0]]
    return Run(
        len(latencies) / seconds,
        percentile(latencies, 0.99),
        sum(report[1] for report in reports),
    )


@contextlib.contextmanager
def trivial_server(log_path: Path) -> Iterator[int]:
    """Run the trivial endpoint; yield its port."""
    port = free_port()
    with log_path.open("ab") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "benchmarks.trivial_server", "--port", str(port)],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"the trivial server did not start; see {log_path}")
            with contextlib.suppress(OSError):
                asyncio.run(_probe(port))
                break
            time.sleep(0.1)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=15)


async def _probe(port: int) -> None:
    connection = await Connection.open(port)
    await connection.post("/api/games/g/moves", {"column": "A"})
    connection.close()


def main() -> None:
    """Print, per number of games, moves/s beside the trivial endpoint's requests/s."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", default="sqlite", choices=["sqlite", "postgres"])
    parser.add_argument(
        "--servers", nargs="+", type=int, default=[1], help="serve processes per run"
    )
    parser.add_argument("--games", nargs="+", type=int, default=[1, 10, 50])
    parser.add_argument("--seconds", type=float, default=5.0, help="per run")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = parser.parse_args()
    corpus = [[str(c) for c in game] for game in load_games(args.corpus, 2000)]
    print(
        f"{args.store}; {args.rounds} rounds of {args.seconds:g} s runs, alternating"
        f" the trivial endpoint and serve ({', '.join(map(str, args.servers))}"
        " process(es) over the one store)"
    )
    print(
        "| games at once | serve processes | serve moves/s | trivial requests/s |"
        " ratio | serve p99 ms | trivial p99 ms | errors |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    with contextlib.ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        url = stack.enter_context(store_url(args.store, folder))
        ports = [
            int(stack.enter_context(server(url, folder / f"serve-{n}.log"))[17:])
            for n in range(max(args.servers))
        ]
        trivial = stack.enter_context(trivial_server(folder / "trivial.log"))
        load("serve", ports, 1, corpus, 1.0)  # warm-up: imports, first connections
        load("trivial", [trivial], 1, corpus, 1.0)
        for games in args.games:
            trivial_runs: list[Run] = []
            serve_runs: dict[int, list[Run]] = {count: [] for count in args.servers}
            for _ in range(args.rounds):
                trivial_runs.append(
                    load("trivial", [trivial], games, corpus, args.seconds)
                )
                for count in args.servers:
                    serve_runs[count].append(
                        load("serve", ports[:count], games, corpus, args.seconds)
                    )
            for count, runs in serve_runs.items():
                print_row(games, count, runs, trivial_runs)
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


def print_row(games: int, servers: int, runs: list[Run], trivial: list[Run]) -> None:
    """Print the medians of one number of games and of serve processes."""
    ratios = [s.rate / t.rate for s, t in zip(runs, trivial, strict=True)]
    print(
        f"| {games} | {servers} | {statistics.median(r.rate for r in runs):,.0f} |"
        f" {statistics.median(r.rate for r in trivial):,.0f} |"
        f" {statistics.median(ratios):.2f} |"
        f" {statistics.median(r.p99_ms for r in runs):.1f} |"
        f" {statistics.median(r.p99_ms for r in trivial):.1f} |"
        f" {sum(r.errors for r in runs + trivial)} |",
        flush=True,
    )


if __name__ == "__main__":
    main()
