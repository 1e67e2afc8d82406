"""The torture driver: load, kill -9 and power-loss rounds, then every invariant.

Each scenario starts real processes (`tests.reliability.load`), waits or kills
them, then opens the store afresh (a restart) and checks, from the raw
events, everything `invariants` lists. The tests call these functions with a
short budget; the command line runs them with the full one and prints the
figures that docs/reliability.md shows:

    python -m tests.reliability.torture [--long] [--postgres URL] [--json PATH]

`--long` (or CONNECT_FOUR_LONG=1) runs more workers, longer and more rounds.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Final

from connect_four.eventsourcing.events import RecordedEvent
from connect_four.eventsourcing.stores import holds_read_models, open_store
from tests.reliability.figures import (
    LONG,
    SHORT,
    Budget,
    Figures,
    collect_stats,
    is_long,
    markdown,
)
from tests.reliability.invariants import (
    Ack,
    check_projections,
    check_store,
    is_prefix,
    read_acks,
    read_log,
)
from tests.reliability.snapshots import copy_file_set

ROOT: Final = Path(__file__).resolve().parents[2]


def _worker_command(
    url: str,
    directory: Path,
    number: int,
    seed: int,
    budget: Budget,
    seconds: float | None = None,
) -> list[str]:
    return [
        sys.executable, "-m", "tests.reliability.load", "worker",
        "--store", url, "--dir", str(directory), "--worker", str(number),
        "--seed", str(seed), "--hot", str(max(2, budget.workers // 2)),
        "--seconds", str(budget.seconds if seconds is None else seconds),
    ]  # fmt: skip


def _projector_command(url: str) -> list[str]:
    """Return the projection runner as users run it; it runs until stopped."""
    return [
        sys.executable, "-m", "connect_four.cli", "--store", url,
        "projections", "run",
    ]  # fmt: skip


@contextmanager
def _processes(commands: list[list[str]]) -> Iterator[list[subprocess.Popen[bytes]]]:
    """Start the processes; on the way out make sure none is left running."""
    started = [
        subprocess.Popen(
            command,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            # A shell running this in the background ignores SIGINT, and its
            # children would inherit that: the projector must stop on Ctrl-C.
            preexec_fn=_default_interrupt,
        )
        for command in commands
    ]
    try:
        yield started
    finally:
        for process in started:
            if process.poll() is None:
                os.kill(process.pid, signal.SIGKILL)
            process.wait()


def _finish(
    processes: list[subprocess.Popen[bytes]], figures: Figures, *, projector: bool
) -> None:
    """Wait for the writers to end by themselves, then stop the projector.

    With `projector`, the last process is `connect-four projections run`,
    which runs until interrupted.
    """
    writers = processes[:-1] if projector else processes
    for process in writers:
        _wait(process, figures)
    if projector:
        os.kill(processes[-1].pid, signal.SIGINT)
        _wait(processes[-1], figures)


def _default_interrupt() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _wait(process: subprocess.Popen[bytes], figures: Figures) -> None:
    try:
        _, errors = process.communicate(timeout=120)
    except subprocess.TimeoutExpired:
        os.kill(process.pid, signal.SIGKILL)
        _, errors = process.communicate()
        figures.problems.append(f"process {process.args!r} did not end in 120 s")
    if process.returncode != 0:
        figures.problems.append(
            f"process {process.args!r} failed ({process.returncode}):"
            f" {errors.decode(errors='replace')[-2000:]}"
        )


def _check(url: str, directory: Path, figures: Figures) -> None:
    """Open the store afresh, as after a restart, and check every invariant."""
    store = open_store(url)
    try:
        report = check_store(store, read_acks(directory))
        if holds_read_models(url):
            check_projections(url, store, report)
    finally:
        store.close()
    figures.absorb(report)


def _new_directory(directory: Path, name: str) -> Path:
    run = directory / name
    run.mkdir(parents=True)
    (run / "games.txt").touch()
    return run


def run_load(url: str, directory: Path, budget: Budget, seed: int = 1) -> Figures:
    """Run the workers and a projector to the end of their time, then check."""
    figures = Figures("concurrency", _kind(url), rounds=1)
    run = _new_directory(directory, "load")
    commands = [
        _worker_command(url, run, number, seed * 1000 + number, budget)
        for number in range(budget.workers)
    ]
    if holds_read_models(url):
        commands.append(_projector_command(url))
    with _processes(commands) as processes:
        _finish(processes, figures, projector=holds_read_models(url))
    collect_stats(run, figures)
    _check(url, run, figures)
    return figures


def run_crashes(url: str, directory: Path, budget: Budget, seed: int = 2) -> Figures:
    """Kill -9 every writer and the projector at random moments, round after round.

    Each round restarts the processes on the same store (and the same shared
    games), kills each at its own random moment, then checks everything.
    """
    figures = Figures("kill -9", _kind(url))
    rng = random.Random(seed)
    run = _new_directory(directory, "crash")
    # The processes would run past the round, so every one of them is killed;
    # none is killed before it has acknowledged a command in the round.
    lifetime = budget.seconds + 30.0
    for round_number in range(budget.rounds):
        commands = [
            _worker_command(url, run, n, rng.randrange(10**9), budget, lifetime)
            for n in range(budget.workers)
        ]
        if holds_read_models(url):
            commands.append(_projector_command(url))
        acked_before = _ack_sizes(run, budget.workers)
        with _processes(commands) as processes:
            _wait_until_every_worker_acked(run, acked_before)
            moments = sorted(
                (rng.uniform(budget.seconds * 0.3, budget.seconds), index)
                for index in range(len(processes))
            )
            began = time.monotonic()
            for moment, index in moments:
                time.sleep(max(0.0, began + moment - time.monotonic()))
                process = processes[index]
                if process.poll() is None:
                    os.kill(process.pid, signal.SIGKILL)
                    figures.kills += 1
            for process in processes:
                _, errors = process.communicate()
                if process.returncode != -signal.SIGKILL:
                    figures.problems.append(
                        f"process {process.args!r} ended before it was killed"
                        f" ({process.returncode}): {errors.decode()[-2000:]}"
                    )
        figures.rounds = round_number + 1
        collect_stats(run, figures)
        _check(url, run, figures)
    return figures


def _ack_sizes(run: Path, workers: int) -> list[int]:
    """Return the size of each worker's acknowledgement file (0 if none yet)."""
    sizes = []
    for number in range(workers):
        path = run / f"acks-{number}.jsonl"
        sizes.append(path.stat().st_size if path.exists() else 0)
    return sizes


def _wait_until_every_worker_acked(
    run: Path, before: list[int], timeout: float = 60.0
) -> None:
    """Wait until each worker has acknowledged a command since `before`.

    On a loaded machine a process may need seconds just to start; kills timed
    from its launch would land before it had done anything, and the round
    would test nothing. The wait ends after `timeout` in any case: a worker
    that never acknowledges is then caught by the invariants.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        now = _ack_sizes(run, len(before))
        if all(size > old for size, old in zip(now, before, strict=True)):
            return
        time.sleep(0.05)


def run_power_loss(
    database: Path, directory: Path, budget: Budget, seed: int = 3
) -> Figures:
    """Copy a live SQLite file set at random moments; each copy must be sound.

    Each copy must open, hold a prefix of the final log that passes every
    check, and hold every command acknowledged before the copy began.
    """
    url = f"sqlite:///{database}"
    figures = Figures("power loss (file copy)", "sqlite", rounds=1)
    rng = random.Random(seed)
    run = _new_directory(directory, "power")
    copies: list[tuple[Path, list[Ack]]] = []
    commands = [
        _worker_command(url, run, number, seed * 1000 + number, budget)
        for number in range(budget.workers)
    ]
    commands.append(_projector_command(url))
    with _processes(commands) as processes:
        began = time.monotonic()
        moments = sorted(
            rng.uniform(0.3, budget.seconds * 0.9) for _ in range(budget.snapshots)
        )
        for index, moment in enumerate(moments):
            time.sleep(max(0.0, began + moment - time.monotonic()))
            acknowledged = read_acks(run)
            target = run / f"copy-{index}.db"
            while not copy_file_set(database, target):
                figures.snapshots_retaken += 1
            copies.append((target, acknowledged))
        _finish(processes, figures, projector=True)
    collect_stats(run, figures)
    _check(url, run, figures)
    final = open_store(url)
    try:
        final_log = read_log(final)
    finally:
        final.close()
    for target, acknowledged in copies:
        _check_copy(target, acknowledged, final_log, figures)
    return figures


def _check_copy(
    target: Path,
    acknowledged: list[Ack],
    final_log: list[RecordedEvent],
    figures: Figures,
) -> None:
    """Open a copy as after a power cut; it must be a sound prefix of the log."""
    url = f"sqlite:///{target}"
    store = open_store(url)
    try:
        report = check_store(store, acknowledged)
        log = read_log(store)
        check_projections(url, store, report)
    finally:
        store.close()
    figures.snapshots += 1
    figures.lost += report.lost
    figures.duplicated += report.duplicated
    figures.problems.extend(f"{target.name}: {problem}" for problem in report.problems)
    if not is_prefix(log, final_log):
        figures.problems.append(
            f"{target.name}: its log is not a prefix of the final log"
        )


def _kind(url: str) -> str:
    return url.partition(":")[0]


def with_schema(url: str, schema: str) -> str:
    """Return a PostgreSQL URL that puts the store in its own schema."""
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}schema={schema}"


def drop_schema(url: str, schema: str) -> None:
    """Remove a PostgreSQL schema the run created."""
    import psycopg
    from psycopg import sql

    from connect_four.eventsourcing.stores.postgresql.event_store import parse_url

    conninfo, _, _ = parse_url(url)
    with psycopg.connect(conninfo, autocommit=True) as connection:
        connection.execute(
            sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema))
        )


def run_all(budget: Budget, postgres: str | None, directory: Path) -> list[Figures]:
    """Run every scenario on SQLite, and the first two on PostgreSQL if given."""
    results = []
    for scenario in ("load", "crash"):
        sqlite = directory / f"sqlite-{scenario}"
        sqlite.mkdir()
        url = f"sqlite:///{sqlite / 'events.db'}"
        run = run_load if scenario == "load" else run_crashes
        results.append(run(url, sqlite, budget))
        if postgres:
            schema = f"torture_{uuid.uuid4().hex[:16]}"
            pg_directory = directory / f"postgres-{scenario}"
            pg_directory.mkdir()
            try:
                results.append(run(with_schema(postgres, schema), pg_directory, budget))
            finally:
                drop_schema(postgres, schema)
    power = directory / "sqlite-power"
    power.mkdir()
    results.append(run_power_loss(power / "events.db", power, budget))
    return results


def main(argv: list[str] | None = None) -> int:
    """Run every scenario, print the figures; fail if any invariant broke."""
    parser = argparse.ArgumentParser(prog="python -m tests.reliability.torture")
    parser.add_argument("--long", action="store_true", help="the full, slow run")
    parser.add_argument("--postgres", metavar="URL", help="also torture PostgreSQL")
    parser.add_argument("--json", metavar="PATH", help="write the figures as JSON")
    args = parser.parse_args(argv)
    budget = LONG if args.long or is_long() else SHORT
    postgres = args.postgres or os.environ.get("CONNECT_FOUR_TEST_POSTGRES_URL")
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="torture-") as directory:
        results = run_all(budget, postgres, Path(directory))
    print(markdown(results))
    print(f"budget: {budget}; took {time.monotonic() - started:.0f} s")
    if args.json:
        Path(args.json).write_text(
            json.dumps([f.to_dict() for f in results], indent=2), encoding="utf-8"
        )
    failed = [f for f in results if f.problems or f.lost or f.duplicated]
    for f in failed:
        print(f"{f.scenario} on {f.store}:", *f.problems[:20], sep="\n  ")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
