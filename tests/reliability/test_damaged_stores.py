"""Damaged stores, SQLite and PostgreSQL: each reader names the damage, changes nothing.

Each case of `damaged_stores.CASES` is planted in a store of each backend
that can hold it, then met the way users meet it: real `connect-four`
processes (`check`, `show`, `play --resume`, `games`), the web API, a
subscription and a command through the application. Each must fail with one
error naming the store's stream and position, print no traceback, and leave
every stored row as it was.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from connect_four.application import ConnectFourApp
from connect_four.domain.board import Column
from connect_four.domain.game import Move
from connect_four.eventsourcing.errors import UnreadableEventError
from connect_four.eventsourcing.events import RecordedEvent
from connect_four.eventsourcing.store import store_name
from connect_four.eventsourcing.stores import open_store
from connect_four.eventsourcing.subscriptions import CatchUpSubscription
from connect_four.persistence.codec import TABLE_STREAM_PREFIX
from connect_four.persistence.game_repository import EventSourcedGameRepository
from connect_four.persistence.tables import table_service
from connect_four.web.measured_store import MeasuredEventStore
from connect_four.web.operations import Operations
from tests.reliability.damaged_stores import (
    Backend,
    DamagedStore,
    cases_for,
    damaged_store,
)
from tests.web.operations_app import serve

PARAMETERS = [
    pytest.param((backend, case), id=f"{backend}: {case.name}")
    for backend in ("sqlite", "postgres")
    for case in cases_for(backend)
]


@pytest.fixture(params=PARAMETERS)
def damaged(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[DamagedStore]:
    """Yield a store of a backend with a healthy game and one damaged one way."""
    backend, case = request.param
    with damaged_store(backend, case, tmp_path) as store:
        yield store


def run_cli(store: DamagedStore, *argv: str) -> subprocess.CompletedProcess[str]:
    """Run a real `connect-four` process on the store, with nothing typed."""
    return subprocess.run(
        [sys.executable, "-m", "connect_four.cli", "--store", store.url, *argv],
        input="",
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


def assert_named_in_one_line(
    done: subprocess.CompletedProcess[str], store: DamagedStore
) -> None:
    """Check a process failed with one line naming the stream and the position."""
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("connect-four: ")
    assert store.named() in lines[0]


@pytest.mark.parametrize("command", ["show", "play --resume"])
def test_the_cli_names_the_damage_in_one_line_and_changes_nothing(
    damaged: DamagedStore, command: str
) -> None:
    assert damaged.case is not None
    if damaged.case.kind == "table" and command == "show":
        pytest.skip("show reads the game, not its seats; check finds these")
    before = damaged.raw()

    done = run_cli(damaged, *command.split(), damaged.damaged_id)

    assert_named_in_one_line(done, damaged)
    assert damaged.raw() == before


def test_check_lists_the_damaged_stream_alone_and_fails(damaged: DamagedStore) -> None:
    before = damaged.raw()

    done = run_cli(damaged, "check")

    assert done.returncode == 1
    assert "Traceback" not in done.stdout + done.stderr
    assert done.stdout.splitlines() == [
        line for line in done.stdout.splitlines() if line.startswith(damaged.stream)
    ]
    assert len(done.stdout.splitlines()) == 1
    assert damaged.named() in done.stdout
    assert f"1 of {damaged.streams} streams are damaged" in done.stderr
    assert damaged.raw() == before


def test_the_game_list_stops_at_damage_it_cannot_read(damaged: DamagedStore) -> None:
    assert damaged.case is not None
    if damaged.case.kind in {"rule", "table"}:
        pytest.skip("the game list folds events it can decode; check finds these")
    before_events = damaged.raw()

    done = run_cli(damaged, "games")

    assert_named_in_one_line(done, damaged)
    assert damaged.raw() == before_events


def test_the_web_answers_unreadable_event_naming_the_damage(
    damaged: DamagedStore,
) -> None:
    before = damaged.raw()
    store = open_store(damaged.url)
    operations = Operations()
    measured = MeasuredEventStore(store, operations.metrics, damaged.backend)

    # Measured, as `connect-four serve` wraps the store. Without the lifespan:
    # the live follower it starts, and how it meets a damaged row, is the
    # web's own concern (tests/web); this asks the API.
    client = TestClient(serve(measured, operations).web, raise_server_exceptions=False)
    answer = client.get(f"/api/games/{damaged.damaged_id}")
    store.close()

    assert answer.status_code == 500
    assert answer.json()["error"] == "unreadable_event"
    assert damaged.named() in answer.json()["message"]
    assert f"in {store_name(store)}: " in answer.json()["message"]
    assert "Traceback" not in answer.text
    assert damaged.raw() == before


def test_a_damaged_game_refuses_new_moves_and_stores_nothing(
    damaged: DamagedStore,
) -> None:
    before = damaged.raw()
    store = open_store(damaged.url)
    games = EventSourcedGameRepository(store)
    app = ConnectFourApp.over(games)

    def command() -> None:
        if damaged.stream.startswith(TABLE_STREAM_PREFIX):
            table_service(app, store).move(damaged.damaged_id, "a token", Column.G)
        else:
            app.make_move(damaged.damaged_id, Move("bob", Column.G))

    with pytest.raises(UnreadableEventError) as refused:
        command()
    store.close()

    assert damaged.named() in str(refused.value)
    assert damaged.raw() == before


def test_a_subscription_stops_at_a_damaged_row_and_names_it(
    damaged: DamagedStore,
) -> None:
    assert damaged.case is not None
    if damaged.case.kind != "row":
        pytest.skip("the row reads; the codec or the game's rules refuse it")
    store = open_store(damaged.url)
    subscription = CatchUpSubscription(store, page_size=4)
    delivered: list[RecordedEvent] = []

    def follow() -> None:
        for page in subscription.pages(live=False):
            delivered.extend(page)

    with pytest.raises(UnreadableEventError) as stopped:
        follow()
    store.close()

    assert damaged.named() in str(stopped.value)
    assert all(
        (e.stream, e.stream_position) < (damaged.stream, damaged.case.position)
        or e.stream != damaged.stream
        for e in delivered
    )
    positions = [e.global_position for e in delivered]
    assert positions == sorted(set(positions))  # in order, each once (maybe sparse)


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_check_says_nothing_about_a_healthy_store(
    backend: Backend, tmp_path: Path
) -> None:
    with damaged_store(backend, None, tmp_path) as healthy:
        # A game opened with seats, as the web opens one: a table stream too.
        store = open_store(healthy.url)
        games = EventSourcedGameRepository(store)
        tables = table_service(ConnectFourApp.over(games), store)
        opening = tables.open_game("cid", "dan")
        tables.move(opening.game_id, opening.seats[0].token, Column.D)
        store.close()

        done = run_cli(healthy, "check")

    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
