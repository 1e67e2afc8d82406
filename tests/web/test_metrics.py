"""`/metrics`: the Prometheus text format, with figures that match a scripted game."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from prometheus_client.parser import text_string_to_metric_families
from starlette.testclient import TestClient
from starlette.types import ASGIApp, Receive, Scope, Send

from connect_four.ai.opponent import computer_levels
from connect_four.eventsourcing.errors import ConcurrencyError
from connect_four.eventsourcing.events import NewEvent
from connect_four.eventsourcing.store import StreamState
from connect_four.eventsourcing.stores.memory.event_store import InMemoryEventStore
from connect_four.readmodels import ReadModels
from connect_four.web.measured_store import MeasuredEventStore
from connect_four.web.metrics import Metrics
from connect_four.web.observation import ObserveRequests
from connect_four.web.operations import Operations
from connect_four.web.rate_limit import RateLimit
from tests.web.games import move, open_game, play
from tests.web.operations_app import serve
from tests.web.sockets import subscribe

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def samples(exposition: str) -> Samples:
    """Return every sample of an exposition by name and labels."""
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(exposition)
        for sample in family.samples
    }


def value(found: Samples, name: str, **labels: str) -> float:
    """Return one sample's value (0 if absent, as Prometheus reads a missing one)."""
    return found.get((name, frozenset(labels.items())), 0.0)


@pytest.fixture
def served() -> Iterator[tuple[TestClient, ReadModels]]:
    """Yield a client of an app over a measured in-memory store, and its read models."""
    operations = Operations()
    store = MeasuredEventStore(InMemoryEventStore(), operations.metrics, "memory")
    served = serve(store, operations)
    with TestClient(served.web) as client:
        yield client, served.read_models


def test_metrics_are_served_in_the_prometheus_text_format(
    served: tuple[TestClient, ReadModels],
) -> None:
    client, _ = served
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
    assert response.headers["cache-control"] == "no-store"
    names = {family.name for family in text_string_to_metric_families(response.text)}
    assert {
        "connect_four_http_request_duration_seconds",
        "connect_four_commands",
        "connect_four_live_connections",
        "connect_four_store_append_duration_seconds",
        "connect_four_store_events_appended",
        "connect_four_store_append_conflicts",
        "connect_four_engine_think_duration_seconds",
        "connect_four_log_head_position",
        "connect_four_read_model_checkpoint",
        "connect_four_read_model_lag",
        "connect_four_read_model_generation",
        "connect_four_read_model_rebuilding",
    } <= names


def test_a_scripted_game_shows_in_the_command_request_and_store_figures(
    served: tuple[TestClient, ReadModels],
) -> None:
    client, read_models = served
    game = open_game(client)
    play(client, game, "ABABABA")  # ann wins on the seventh move
    refused = move(client, game, "bob", "C")
    assert refused.status_code == 409
    read_models.catch_up()
    found = samples(client.get("/metrics").text)

    assert (
        value(
            found,
            "connect_four_commands_total",
            command="open_game",
            outcome="accepted",
        )
        == 1
    )
    assert (
        value(
            found,
            "connect_four_commands_total",
            command="make_move",
            outcome="accepted",
        )
        == 7
    )
    assert (
        value(
            found,
            "connect_four_commands_total",
            command="make_move",
            outcome="rule_broken",
        )
        == 1
    )
    moves = {"method": "POST", "route": "/api/games/{game_id}/moves"}
    assert (
        value(
            found,
            "connect_four_http_request_duration_seconds_count",
            **moves,
            status="200",
        )
        == 7
    )
    assert (
        value(
            found,
            "connect_four_http_request_duration_seconds_count",
            **moves,
            status="409",
        )
        == 1
    )
    # Two seats and the start, seven moves, and the finish stored with the last move.
    assert (
        value(found, "connect_four_store_events_appended_total", store="memory") == 11
    )
    assert (
        value(found, "connect_four_store_append_duration_seconds_count", store="memory")
        == 9
    )
    assert (
        value(found, "connect_four_store_append_conflicts_total", store="memory") == 0
    )
    assert value(found, "connect_four_log_head_position") == 11
    for projection in ("games", "leaderboard"):
        slot = {"projection": projection, "generation": "1", "state": "serving"}
        assert value(found, "connect_four_read_model_checkpoint", **slot) == 11
        assert value(found, "connect_four_read_model_lag", **slot) == 0
        assert (
            value(found, "connect_four_read_model_generation", projection=projection)
            == 1
        )
        assert (
            value(found, "connect_four_read_model_rebuilding", projection=projection)
            == 0
        )


def test_read_model_lag_shows_how_far_behind_the_log_a_projection_is(
    served: tuple[TestClient, ReadModels],
) -> None:
    client, read_models = served
    read_models.stop()
    game = open_game(client)
    read_models.catch_up()
    play(client, game, "ABA")
    found = samples(client.get("/metrics").text)
    slot = {"projection": "leaderboard", "generation": "1", "state": "serving"}
    head = value(found, "connect_four_log_head_position")
    checkpoint = value(found, "connect_four_read_model_checkpoint", **slot)
    assert head - checkpoint == value(found, "connect_four_read_model_lag", **slot)


def test_a_command_refused_by_the_rate_limit_is_counted_as_such() -> None:
    limit = RateLimit(per_second=0.001, burst=1)
    client = TestClient(serve(InMemoryEventStore(), rate_limit=limit).web)
    game = open_game(client)
    assert move(client, game, "ann", "A").status_code == 429
    found = samples(client.get("/metrics").text)
    refused = {"command": "make_move", "outcome": "rate_limited"}
    assert value(found, "connect_four_commands_total", **refused) == 1


def test_unknown_paths_are_counted_under_one_label_not_their_own() -> None:
    client = TestClient(serve(InMemoryEventStore()).web)
    for path in ("/no/such/page", "/another/one"):
        assert client.get(path).status_code == 404
    found = samples(client.get("/metrics").text)
    unmatched = {"method": "GET", "route": "unmatched", "status": "404"}
    assert (
        value(found, "connect_four_http_request_duration_seconds_count", **unmatched)
        == 2
    )


def test_a_conflicting_append_is_counted_as_a_conflict() -> None:
    metrics = Metrics()
    store = MeasuredEventStore(InMemoryEventStore(), metrics, "memory")
    store.append("game-1", [NewEvent("GameStarted", b"{}")], StreamState.NO_STREAM)
    with pytest.raises(ConcurrencyError):
        store.append("game-1", [NewEvent("GameStarted", b"{}")], StreamState.NO_STREAM)
    found = samples(metrics.exposition().decode())
    assert (
        value(found, "connect_four_store_append_conflicts_total", store="memory") == 1
    )
    assert value(found, "connect_four_store_events_appended_total", store="memory") == 1
    assert (
        value(found, "connect_four_store_append_duration_seconds_count", store="memory")
        == 2
    )


def stand_in_feed(metrics: Metrics) -> ASGIApp:
    """Return a live feed stand-in whose one message is the gauge while it is open."""

    async def feed(scope: Scope, receive: Receive, send: Send) -> None:
        headers = [(b"content-type", b"text/event-stream")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        found = samples(metrics.exposition().decode())
        figure = value(found, "connect_four_live_connections")
        await send(
            {"type": "http.response.body", "body": f"data: {figure}\n\n".encode()}
        )

    return feed


def test_live_connections_count_the_feeds_open_now() -> None:
    metrics = Metrics()
    feed = stand_in_feed(metrics)
    client = TestClient(ObserveRequests(feed, on_stream=(metrics.stream_changed,)))
    assert client.get("/api/lobby/live").text == "data: 1.0\n\n"
    found = samples(metrics.exposition().decode())
    assert value(found, "connect_four_live_connections") == 0


@pytest.mark.skipif(not computer_levels(), reason="the AI is not installed")
def test_the_engines_think_time_is_measured_per_level(
    served: tuple[TestClient, ReadModels],
) -> None:
    client, _ = served
    opened = client.post("/api/games", json={"player_one": "ann", "computer": "easy"})
    body = opened.json()
    token = body["seats"][0]["token"]
    for column in "DDD":
        client.post(
            f"/api/games/{body['game_id']}/moves",
            json={"column": column},
            headers={"Authorization": f"Bearer {token}"},
        )
        # Where pages ask for the computer's move themselves, ask as they do
        # (where the server answers each move by itself, this is a 404).
        client.post(f"/api/games/{body['game_id']}/computer")
    found = samples(client.get("/metrics").text)
    think = value(
        found, "connect_four_engine_think_duration_seconds_count", level="easy"
    )
    assert think >= 2
    assert (
        value(found, "connect_four_engine_think_duration_seconds_count", level="hard")
        == 0
    )


def test_an_open_live_websocket_counts_as_a_live_connection_until_it_closes(
    served: tuple[TestClient, ReadModels],
) -> None:
    client, _ = served
    page = {"Origin": "http://testserver"}
    with client.websocket_connect("/api/live", headers=page) as socket:
        socket.send_json(subscribe("lobby"))
        assert socket.receive_json()["type"] == "subscribed"
        during = samples(client.get("/metrics").text)
    after = samples(client.get("/metrics").text)
    assert value(during, "connect_four_live_connections") == 1
    assert value(after, "connect_four_live_connections") == 0
    handshakes = value(
        after,
        "connect_four_http_request_duration_seconds_count",
        method="GET",
        route="/api/live",
        status="101",
    )
    assert handshakes == 1
