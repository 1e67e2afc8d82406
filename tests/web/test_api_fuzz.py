"""Fuzz the API from its OpenAPI description: no request may cause a server error."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, settings

from connect_four.application import ConnectFourApp
from connect_four.eventsourcing.stores.memory.event_store import InMemoryEventStore
from connect_four.persistence.game_repository import EventSourcedGameRepository
from connect_four.web import create_app
from tests.web.games import memory_read_models

_store = InMemoryEventStore()
_app = ConnectFourApp.over(EventSourcedGameRepository(_store))
_game_id = _app.create_game("ann", "bob")

# The live feeds never end; test_live.py covers them.
schema = schemathesis.openapi.from_asgi(
    "/openapi.json", create_app(_app, _store, memory_read_models(_store))
).exclude(path_regex=r"/live$")


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
)
def test_no_request_gets_a_server_error(case: schemathesis.Case) -> None:  # type: ignore[type-arg]  # Case's parameter is its operation, not needed here
    parameters = case.path_parameters or {}
    if len(str(parameters.get("game_id", ""))) % 2 == 0:
        # Half the cases aim at a real game, so bodies reach the game's rules.
        parameters["game_id"] = _game_id
    response = case.call()
    assert response.status_code < 500, response.text
    assert response.headers["content-type"][0].startswith("application/json")
