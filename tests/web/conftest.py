"""Fixtures for the web tests: an app over an in-memory store, driven in-process."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from connect_four.application import ConnectFourApp
from connect_four.application.game_repository import EventSourcedGameRepository
from connect_four.eventsourcing.stores.memory.event_store import InMemoryEventStore
from connect_four.web import create_app
from tests.web.games import memory_read_models


@pytest.fixture
def store() -> InMemoryEventStore:
    """Return an empty in-memory store."""
    return InMemoryEventStore()


@pytest.fixture
def app(store: InMemoryEventStore) -> ConnectFourApp:
    """Return the application service over the store."""
    return ConnectFourApp(EventSourcedGameRepository(store))


@pytest.fixture
def client(app: ConnectFourApp, store: InMemoryEventStore) -> Iterator[TestClient]:
    """Yield a test client of the web app, its lifespan running."""
    web = create_app(app, store, memory_read_models(store))
    with TestClient(web) as test_client:
        yield test_client
