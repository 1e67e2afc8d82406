"""Fixtures for the web tests: an app over an in-memory store, driven in-process."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from starlette.testclient import TestClient

from connect_four.application import ConnectFourApp
from connect_four.eventsourcing.stores.memory.event_store import InMemoryEventStore
from connect_four.persistence.game_repository import EventSourcedGameRepository
from connect_four.web import create_app
from tests.web.chromium import PageErrors, chromium, watched_pages
from tests.web.games import memory_read_models
from tests.web.servers import ServerProcess

if TYPE_CHECKING:
    from playwright.sync_api import Browser


@pytest.fixture
def store() -> InMemoryEventStore:
    """Return an empty in-memory store."""
    return InMemoryEventStore()


@pytest.fixture
def app(store: InMemoryEventStore) -> ConnectFourApp:
    """Return the application service over the store."""
    return ConnectFourApp.over(EventSourcedGameRepository(store))


@pytest.fixture
def client(app: ConnectFourApp, store: InMemoryEventStore) -> Iterator[TestClient]:
    """Yield a test client of the web app, its lifespan running."""
    web = create_app(app, store, memory_read_models(store))
    with TestClient(web) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Yield headless Debian Chromium, driven by Playwright, for a module's tests."""
    with chromium() as launched:
        yield launched


@pytest.fixture
def errors() -> Iterator[PageErrors]:
    """Yield a collector of page errors; its pages close after the test."""
    with watched_pages() as collector:
        yield collector


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ServerProcess]:
    """Yield a running server over a fresh SQLite file."""
    with ServerProcess(
        f"sqlite:///{tmp_path / 'games.db'}", tmp_path / "server.log"
    ) as running:
        yield running
