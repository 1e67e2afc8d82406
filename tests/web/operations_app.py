"""The web app over one store, with its read models, for the operations tests."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.applications import Starlette

from connect_four.application import ConnectFourApp
from connect_four.eventsourcing.store import EventStore
from connect_four.eventsourcing.stores.memory.projection_storage import (
    InMemoryProjectionStorage,
)
from connect_four.persistence.game_repository import EventSourcedGameRepository
from connect_four.readmodels import ReadModels
from connect_four.web import create_app
from connect_four.web.operations import Operations
from connect_four.web.rate_limit import RateLimit


@dataclass(frozen=True)
class Served:
    """A web app and the read models it answers lists from."""

    web: Starlette
    read_models: ReadModels


def serve(
    store: EventStore,
    operations: Operations | None = None,
    rate_limit: RateLimit | None = None,
) -> Served:
    """Return the web app over the store, as `connect-four serve` builds it.

    Without a lifespan (a `TestClient` used outside `with`), nothing keeps the
    read models current: a test then catches them up when it wants to.
    """
    read_models = ReadModels(store, InMemoryProjectionStorage())
    web = create_app(
        ConnectFourApp.over(EventSourcedGameRepository(store)),
        store,
        read_models,
        operations=operations,
        rate_limit=rate_limit,
    )
    return Served(web, read_models)
