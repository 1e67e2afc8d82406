"""`/healthz` and `/readyz`: the process answers; the store and read models are fit."""

from __future__ import annotations

import logging
from collections.abc import Sequence

import pytest
from starlette.testclient import TestClient

from connect_four.eventsourcing.errors import StoreUnavailableError
from connect_four.eventsourcing.events import NewEvent, RecordedEvent
from connect_four.eventsourcing.store import AppendResult, ExpectedVersion
from connect_four.eventsourcing.stores.memory.event_store import InMemoryEventStore
from connect_four.web.operations import Operations
from connect_four.web.rate_limit import RateLimit
from tests.web.games import open_game, play
from tests.web.operations_app import serve


class SwitchableStore(InMemoryEventStore):
    """An in-memory store that can be made unreachable, as a database gone down."""

    def __init__(self) -> None:
        super().__init__()
        self.down = False

    def _check(self) -> None:
        if self.down:
            raise StoreUnavailableError("memory:", "switched off by the test")

    def append(
        self, stream: str, events: Sequence[NewEvent], expected: ExpectedVersion
    ) -> AppendResult:
        self._check()
        return super().append(stream, events, expected)

    def read_all(self, after: int = 0, limit: int = 1000) -> list[RecordedEvent]:
        self._check()
        return super().read_all(after, limit)

    def last_global_position(self) -> int:
        self._check()
        return super().last_global_position()


def test_healthz_answers_ok_and_is_never_cached() -> None:
    client = TestClient(serve(InMemoryEventStore()).web)
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response.headers["cache-control"] == "no-store"


def test_readyz_answers_ready_when_the_store_answers_and_read_models_are_current() -> (
    None
):
    served = serve(InMemoryEventStore())
    with TestClient(served.web) as client:
        play(client, open_game(client), "ABAB")
        served.read_models.catch_up()
        response = client.get("/readyz")
    assert response.status_code == 200, response.text
    assert response.json() == {"status": "ready"}
    assert response.headers["cache-control"] == "no-store"


def test_readyz_answers_503_naming_the_store_when_it_does_not_answer() -> None:
    store = SwitchableStore()
    client = TestClient(serve(store).web)
    store.down = True
    response = client.get("/readyz")
    assert response.status_code == 503
    (reason,) = response.json()["reasons"]
    assert reason.startswith("the store does not answer:")
    assert "switched off by the test" in reason
    assert response.headers["cache-control"] == "no-store"


def test_healthz_still_answers_while_the_store_is_down() -> None:
    store = SwitchableStore()
    client = TestClient(serve(store).web)
    store.down = True
    assert client.get("/healthz").status_code == 200


def test_readyz_answers_503_while_a_read_model_lags_beyond_the_limit() -> None:
    # Without the lifespan (no `with`), nothing keeps the read models current.
    store = InMemoryEventStore()
    client = TestClient(serve(store, Operations(max_lag=3)).web)
    play(client, open_game(client), "ABAB")
    head = store.last_global_position()
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["reasons"] == [
        f"read model 'games' is {head} events behind (more than 3)",
        f"read model 'leaderboard' is {head} events behind (more than 3)",
        f"read model 'tables' is {head} events behind (more than 3)",
    ]


def test_readyz_is_ready_again_once_the_read_models_catch_up() -> None:
    served = serve(InMemoryEventStore(), Operations(max_lag=3))
    client = TestClient(served.web)
    play(client, open_game(client), "ABAB")
    served.read_models.catch_up()
    assert client.get("/readyz").status_code == 200


def test_readyz_answers_503_once_the_server_begins_to_shut_down() -> None:
    operations = Operations()
    client = TestClient(serve(InMemoryEventStore(), operations).web)
    operations.draining.begin()
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["reasons"] == ["the server is shutting down"]
    assert client.get("/healthz").status_code == 200


def test_probes_answer_even_when_the_client_has_used_up_its_rate_limit() -> None:
    limit = RateLimit(per_second=0.001, burst=1)
    client = TestClient(serve(InMemoryEventStore(), rate_limit=limit).web)
    open_game(client)
    assert client.post("/api/games", json={"player_one": "cy"}).status_code == 429
    for path in ("/healthz", "/readyz", "/metrics"):
        assert client.get(path).status_code == 200, path


def test_probes_are_logged_at_debug_level_only(
    caplog: pytest.LogCaptureFixture,
) -> None:
    client = TestClient(serve(InMemoryEventStore()).web)
    with caplog.at_level(logging.DEBUG, logger="connect_four.access"):
        client.get("/healthz")
        client.get("/readyz")
        client.get("/api/games")
    levels = {
        record.getMessage().split('"')[1]: record.levelno for record in caplog.records
    }
    assert levels == {
        "GET /healthz": logging.DEBUG,
        "GET /readyz": logging.DEBUG,
        "GET /api/games": logging.INFO,
    }
