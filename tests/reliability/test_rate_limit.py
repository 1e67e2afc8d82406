"""Commands are rate-limited per client address; reads are not.

The limit answers 429 with Retry-After before the request reaches the app,
so a refused command stores nothing; the limiter's own arithmetic runs on a
clock the test moves by hand. That `connect-four serve` turns the limit on is
checked on a running server in test_web_security.py.
"""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient
from starlette.types import Receive, Scope, Send

from connect_four.application import ConnectFourApp
from connect_four.eventsourcing.stores.memory.event_store import InMemoryEventStore
from connect_four.persistence.game_repository import EventSourcedGameRepository
from connect_four.web import create_app
from connect_four.web.rate_limit import RateLimit, RateLimitMiddleware
from connect_four.web.security import CONTENT_SECURITY_POLICY
from tests.reliability.test_web_security import open_game
from tests.web.games import memory_read_models


def test_a_client_sending_commands_too_fast_is_refused_and_stores_nothing() -> None:
    store = InMemoryEventStore()
    app = ConnectFourApp.over(EventSourcedGameRepository(store))
    limited = create_app(
        app,
        store,
        memory_read_models(store),
        rate_limit=RateLimit(per_second=0.01, burst=3),
    )
    with TestClient(limited) as client:
        for _ in range(3):
            open_game(client)
        before = store.last_global_position()

        refused = client.post(
            "/api/games", json={"player_one": "cy", "player_two": "d"}
        )
        reading = client.get("/api/games")

    assert refused.status_code == 429
    assert refused.json()["error"] == "rate_limited"
    assert int(refused.headers["retry-after"]) >= 1
    assert refused.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert store.last_global_position() == before
    assert reading.status_code == 200


async def nothing(scope: Scope, receive: Receive, send: Send) -> None:
    """Answer nothing: the limiter's own arithmetic is under test."""


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        """Return the current time."""
        return self.now


def test_a_bucket_refills_at_the_steady_rate() -> None:
    clock = Clock()
    limiter = RateLimitMiddleware(nothing, RateLimit(per_second=2, burst=2), clock)
    spent = [limiter.take("10.0.0.1") for _ in range(3)]

    clock.now = 0.5

    assert spent[:2] == [0.0, 0.0]
    assert spent[2] == pytest.approx(0.5)
    assert limiter.take("10.0.0.1") == 0.0
    assert limiter.take("10.0.0.1") > 0.0


def test_each_address_has_its_own_bucket() -> None:
    limiter = RateLimitMiddleware(nothing, RateLimit(per_second=1, burst=1), Clock())

    assert limiter.take("10.0.0.1") == 0.0
    assert limiter.take("10.0.0.1") > 0.0
    assert limiter.take("10.0.0.2") == 0.0
