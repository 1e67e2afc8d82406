"""The access and command logs: a line per request and per command, ids included."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient, WebSocketDenialResponse

from connect_four.cli.logs import JsonFormatter, TextFormatter, redact
from connect_four.eventsourcing.stores.memory.event_store import InMemoryEventStore
from connect_four.web.measured_store import MeasuredEventStore
from connect_four.web.operations import Operations
from tests.web.games import move, open_game
from tests.web.operations_app import serve

LOGGERS = ("connect_four.access", "connect_four.commands")


@pytest.fixture
def store() -> InMemoryEventStore:
    """Return the store underneath the measured one."""
    return InMemoryEventStore()


@pytest.fixture
def client(store: InMemoryEventStore) -> Iterator[TestClient]:
    """Yield a client of an app whose store notes each command on its request."""
    operations = Operations()
    measured = MeasuredEventStore(store, operations.metrics, "memory")
    with TestClient(serve(measured, operations).web) as test_client:
        yield test_client


def json_lines(caplog: pytest.LogCaptureFixture) -> list[dict[str, object]]:
    """Return the captured access and command records as parsed JSON lines."""
    formatter = JsonFormatter()
    return [
        json.loads(formatter.format(record))
        for record in caplog.records
        if record.name in LOGGERS
    ]


def test_a_move_logs_its_command_and_its_request_with_the_events_correlation_id(
    client: TestClient, store: InMemoryEventStore, caplog: pytest.LogCaptureFixture
) -> None:
    game = open_game(client)
    with caplog.at_level(logging.INFO):
        assert move(client, game, "ann", "D").status_code == 200
    command, request = json_lines(caplog)
    metadata = json.loads(store.read_stream(f"game-{game.game_id}")[-1].metadata)
    assert command["logger"] == "connect_four.commands"
    assert command["command"] == "make_move"
    assert command["correlation_id"] == metadata["correlation_id"] == game.game_id
    assert command["causation_id"] == metadata["causation_id"]
    assert request["logger"] == "connect_four.access"
    assert request["correlation_id"] == game.game_id
    assert request["request_id"] == command["request_id"]
    assert (request["method"], request["status"]) == ("POST", 200)
    assert request["route"] == "/api/games/{game_id}/moves"


def test_opening_a_game_is_one_command_though_it_appends_to_two_streams(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO):
        game = open_game(client)
    command, request = json_lines(caplog)
    assert command["command"] == "open_game"
    assert command["events"] == 3
    assert f"seats-{game.game_id}" in str(command["message"])
    assert f"game-{game.game_id}" in str(command["message"])
    assert request["commands"] == ["open_game"]


def test_a_refused_move_logs_the_error_kind_and_the_game(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    game = open_game(client)
    with caplog.at_level(logging.INFO):
        assert move(client, game, "bob", "D").status_code == 409
    (request,) = json_lines(caplog)
    assert (request["status"], request["error"]) == (409, "rule_broken")
    assert request["game_id"] == game.game_id
    assert "correlation_id" not in request


def test_a_proxys_request_id_is_kept_and_returned(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO):
        response = client.get("/api/games", headers={"X-Request-ID": "from-nginx-42"})
    (request,) = json_lines(caplog)
    assert request["request_id"] == "from-nginx-42"
    assert response.headers["x-request-id"] == "from-nginx-42"


def test_a_request_id_that_is_not_a_plain_token_is_replaced(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO):
        response = client.get("/api/games", headers={"X-Request-ID": "a b\tc"})
    assert response.headers["x-request-id"] != "a b\tc"
    assert len(response.headers["x-request-id"]) == 32


def test_no_token_secret_or_query_string_reaches_the_logs(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG):
        invited = client.post("/api/games", json={"player_one": "ann"}).json()
        secret = invited["invite_secret"]
        joined = client.post(
            f"/api/games/{invited['game_id']}/join",
            json={"player": "bob", "secret": secret},
        ).json()
        game = open_game(client, "cy", "di")
        move(client, game, "cy", "A")
        client.get(f"/api/log?after=0&token={game.tokens['di']}")
    written = "\n".join(
        JsonFormatter().format(record) + TextFormatter().format(record)
        for record in caplog.records
        if record.name.startswith("connect_four")  # not the test's own client
    )
    for secret_value in (
        secret,
        joined["token"],
        invited["seats"][0]["token"],
        *game.tokens.values(),
    ):
        assert secret_value not in written
    assert "after=0" not in written
    assert '"GET /api/log"' in written


def test_a_path_cannot_forge_a_line_or_reach_the_terminal_in_the_text_log(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO):
        client.get("/api/games/x%0a05:00:00 ERROR forged%1b[31m")
    lines = [
        TextFormatter().format(record)
        for record in caplog.records
        if record.name == "connect_four.access"
    ]

    assert len(lines) == 1
    assert "\n" not in lines[0]
    assert "\x1b" not in lines[0]
    assert '"GET /api/games/x\\n05:00:00 ERROR forged\\x1b[31m" 404' in lines[0]


def test_the_text_format_puts_the_fields_after_the_message() -> None:
    record = logging.LogRecord(
        "connect_four.commands",
        logging.INFO,
        __file__,
        1,
        "make_move: 1 event",
        None,
        None,
    )
    record.correlation_id = "g-1"
    record.request_id = "r-1"
    line = TextFormatter().format(record)
    assert line.endswith(
        "INFO    connect_four.commands: make_move: 1 event"
        " [correlation_id=g-1 request_id=r-1]"
    )


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("Authorization: Bearer abcdefghijklmnop", "Authorization: Bearer (redacted)"),
        ("/games/1#join=abcdefghijklmnop", "/games/1#join=(redacted)"),
        ('{"secret": "abcdefghijklmnop"}', '{"secret": "(redacted)"}'),
        ("?token=abcdefghijklmnop&x=1", "?token=(redacted)&x=1"),
        ("a plain line about tokens", "a plain line about tokens"),
        ("PASSWORD=abcdefghijklmnop", "PASSWORD=(redacted)"),
        # Case folding matches the long s to "s": a non-ASCII line is scanned in full.
        ("\u017fecret=abcdefghijklmnop", "\u017fecret=(redacted)"),
    ],
)
def test_anything_shaped_like_a_secret_is_masked(text: str, shown: str) -> None:
    assert redact(text) == shown


def test_a_live_websocket_is_logged_once_as_its_handshake_when_it_closes(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO):
        page = {"Origin": "http://testserver"}
        with client.websocket_connect("/api/live", headers=page) as socket:
            socket.send_json({"type": "subscribe", "feed": "log"})
            assert socket.receive_json()["type"] == "subscribed"
            assert json_lines(caplog) == []  # logged when it ends, with its length
        with (
            pytest.raises(WebSocketDenialResponse),
            client.websocket_connect("/api/live", headers={"Origin": "http://evil"}),
        ):
            pytest.fail("a cross-site handshake was accepted")
    opened, refused = json_lines(caplog)
    assert (opened["method"], opened["path"], opened["status"]) == (
        "GET",
        "/api/live",
        101,
    )
    assert (refused["status"], refused["error"]) == (403, "cross_site_websocket")
