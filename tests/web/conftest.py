"""Fixtures for the web tests: an app over an in-memory store, driven in-process."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from connect_four.application import ConnectFourApp
from connect_four.application.codec import GAME_STREAM_PREFIX, game_codec
from connect_four.application.game_repository import EventSourcedGameRepository
from connect_four.eventsourcing.stores.memory import InMemoryEventStore
from connect_four.eventsourcing.stores.memory_projections import (
    InMemoryProjectionStorage,
)
from connect_four.readmodels import ReadModels
from connect_four.web import create_app


@pytest.fixture
def store() -> InMemoryEventStore:
    """Return an empty in-memory store."""
    return InMemoryEventStore()


@pytest.fixture
def app(store: InMemoryEventStore) -> ConnectFourApp:
    """Return the application service over the store."""
    return ConnectFourApp(EventSourcedGameRepository(store))


@pytest.fixture(params=["lobby fold", "read models"])
def client(
    request: pytest.FixtureRequest, app: ConnectFourApp, store: InMemoryEventStore
) -> Iterator[TestClient]:
    """Yield a test client of the web app, its lifespan running.

    The app runs once on its own lobby fold and once with the read side's
    projections, which must answer the same.
    """
    read_models = None
    if request.param == "read models":
        read_models = ReadModels(
            store,
            InMemoryProjectionStorage(),
            game_codec(),
            stream_prefix=GAME_STREAM_PREFIX,
            poll_interval=0.05,
        )
    with TestClient(create_app(app, store, read_models=read_models)) as test_client:
        yield test_client
