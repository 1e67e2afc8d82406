"""`ReadModels`: rebuilds while the CLI keeps answering, live runs, statuses."""

from __future__ import annotations

import random
import threading
import time

import pytest

from connect_four.application.service import ConnectFourApp
from connect_four.cli import run
from connect_four.eventsourcing.errors import (
    ProjectionStoppedError,
    StoreUnavailableError,
)
from connect_four.eventsourcing.events import NewEvent, RecordedEvent
from connect_four.eventsourcing.slots import Slot
from connect_four.eventsourcing.store import StreamState
from connect_four.eventsourcing.stores import open_append_notifier
from connect_four.eventsourcing.stores.memory.event_store import InMemoryEventStore
from connect_four.eventsourcing.stores.memory.projection_storage import (
    InMemoryProjectionStorage,
)
from connect_four.eventsourcing.subscriptions import AppendNotifier
from connect_four.persistence.game_repository import EventSourcedGameRepository
from connect_four.readmodels import ReadModels, read_side
from tests.eventsourcing.stores.projection_backends import Database
from tests.readmodels.processes import play_games
from tests.readmodels.recompute import recompute
from tests.readmodels.test_recomputation import assert_equal_to_recomputation


def read_models(
    database: Database,
    page_size: int = 1000,
    notifier: AppendNotifier | None = None,
    poll_interval: float = 0.01,
) -> ReadModels:
    return ReadModels(
        database.store,
        database.storage,
        page_size=page_size,
        poll_interval=poll_interval,
        notifier=notifier,
    )


def test_the_cli_keeps_answering_from_the_old_model_during_a_rebuild(
    shared_database: Database,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("CONNECT_FOUR_PROJECTIONS", raising=False)
    app = ConnectFourApp.over(EventSourcedGameRepository(shared_database.store))
    rng = random.Random(3)
    play_games(app, rng, 4)
    models = read_models(shared_database, page_size=20)
    models.catch_up()
    answers: list[list[str]] = []

    def meanwhile(slot: Slot) -> None:
        if len(answers) < 2:
            play_games(app, rng, 1)
            capsys.readouterr()
            assert run(["--store", shared_database.url, "games"]) == 0
            answers.append(capsys.readouterr().out.splitlines()[1:])
            assert not slot.active

    rebuilt = models.rebuild("games", meanwhile)

    games, _ = recompute(shared_database.store)
    assert [len(answer) for answer in answers] == [5, 6]
    assert [row.split()[0] for row in answers[1]] == [game.id for game in games]
    assert (rebuilt.generation, rebuilt.active) == (2, True)
    assert rebuilt.checkpoint == shared_database.store.last_global_position()
    models.catch_up()
    assert_equal_to_recomputation(models, shared_database.store)


def test_running_read_models_follow_new_games_until_stopped(
    database: Database,
) -> None:
    # Where the store notifies appends (PostgreSQL), the followers wait on it
    # rather than poll often.
    notifier = open_append_notifier(database.url)
    models = read_models(
        database, notifier=notifier, poll_interval=0.01 if notifier is None else 5.0
    )
    app = ConnectFourApp.over(EventSourcedGameRepository(database.store))
    follower = threading.Thread(target=models.run)
    follower.start()
    try:
        play_games(app, random.Random(5), 3)
        head = database.store.last_global_position()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(
            status.lag for status in models.statuses()
        ):
            time.sleep(0.01)
    finally:
        models.stop()
        follower.join(timeout=10)
        if notifier is not None:
            notifier.close()

    assert not follower.is_alive()
    assert {status.slot.checkpoint for status in models.statuses()} == {head}
    assert_equal_to_recomputation(models, database.store)


def test_running_read_models_raise_the_error_that_stopped_one(
    database: Database,
) -> None:
    database.store.append("game-g1", [NewEvent("Nonsense", b"{}")], StreamState.ANY)

    with pytest.raises(ProjectionStoppedError, match="'game-g1'"):
        read_models(database).run()


def test_the_status_lists_every_projection_even_before_it_ran(
    database: Database,
) -> None:
    app = ConnectFourApp.over(EventSourcedGameRepository(database.store))
    app.create_game("ann", "bob")

    statuses = read_models(database).statuses()

    assert [(s.slot.name, s.slot.checkpoint, s.lag) for s in statuses] == [
        ("games", 0, 1),
        ("leaderboard", 0, 1),
        ("tables", 0, 1),
    ]


def test_the_leaderboard_never_answers_empty_or_partial_during_a_rebuild(
    database: Database,
) -> None:
    app = ConnectFourApp.over(EventSourcedGameRepository(database.store))
    play_games(app, random.Random(11), 8)
    models = read_models(database, page_size=5)
    models.catch_up()
    before = models.leaderboard()
    other = ReadModels(
        database.store,
        database.open_storage(),
    )
    answers: list[list[object]] = []
    rebuilt = threading.Event()

    def ask_again_and_again() -> None:
        while not rebuilt.is_set():
            answers.append(list(other.leaderboard()))
        answers.append(list(other.leaderboard()))

    asking = threading.Thread(target=ask_again_and_again)
    asking.start()
    try:
        slot = models.rebuild("leaderboard")
    finally:
        rebuilt.set()
        asking.join(timeout=30)

    assert slot.generation == 2
    assert before
    assert len(answers) > 1
    assert [answer for answer in answers if answer != before] == []


class StoreDownAWhile(InMemoryEventStore):
    """An in-memory store whose log cannot be read for its first few reads."""

    def __init__(self, failed_reads: int) -> None:
        super().__init__()
        self.failed_reads = failed_reads

    def read_all(self, after: int = 0, limit: int = 1000) -> list[RecordedEvent]:
        if self.failed_reads > 0:
            self.failed_reads -= 1
            raise StoreUnavailableError("the test's store", "restarting")
        return super().read_all(after, limit)


def test_running_read_models_wait_out_a_store_that_is_down_and_go_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(read_side, "RETRY_SECONDS", 0.01)
    store = StoreDownAWhile(failed_reads=0)
    app = ConnectFourApp.over(EventSourcedGameRepository(store))
    play_games(app, random.Random(7), 2)
    store.failed_reads = 5
    models = ReadModels(store, InMemoryProjectionStorage(), poll_interval=0.01)
    follower = threading.Thread(target=models.run)

    follower.start()
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(
            status.lag for status in models.statuses()
        ):
            time.sleep(0.01)
    finally:
        models.stop()
        follower.join(timeout=10)

    assert not follower.is_alive()
    assert store.failed_reads == 0
    assert_equal_to_recomputation(models, store)
