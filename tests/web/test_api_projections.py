"""`GET /api/projections`: the stream browser shows a rebuild beside the serving one."""

from __future__ import annotations

from starlette.testclient import TestClient

from connect_four.application import ConnectFourApp
from connect_four.eventsourcing.stores.memory.event_store import InMemoryEventStore
from connect_four.eventsourcing.stores.memory.projection_storage import (
    InMemoryProjectionStorage,
)
from connect_four.readmodels import ReadModels
from connect_four.web import create_app


def test_a_rebuild_under_way_shows_beside_the_serving_read_model(
    app: ConnectFourApp, store: InMemoryEventStore
) -> None:
    read_models = ReadModels(
        store,
        InMemoryProjectionStorage(),
    )
    app.create_game("ann", "bob")
    read_models.catch_up()
    read_models.storage.start_rebuild("leaderboard", after=1)

    with TestClient(create_app(app, store, read_models=read_models)) as client:
        rows = client.get("/api/projections").json()["projections"]

    slots = {
        row["name"]: (row["generation"], row["serving"], row["starts_after"])
        for row in rows
        if "generation" in row
    }
    assert slots == {
        "games": (1, True, 0),
        "leaderboard": (1, True, 0),
        "leaderboard (rebuilding) from 1": (2, False, 1),
        "tables": (1, True, 0),
    }
