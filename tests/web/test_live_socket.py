"""The live connection (`/api/live`): every feed a page needs on one WebSocket.

Driven in process through Starlette's `TestClient`; the same protocol is
played against real servers in test_live_socket_servers.py and by the pages
in test_browser_tabs.py.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from starlette.testclient import TestClient, WebSocketDenialResponse
from starlette.websockets import WebSocketDisconnect

from connect_four.application import ConnectFourApp
from connect_four.eventsourcing.errors import StoreUnavailableError
from connect_four.eventsourcing.events import RecordedEvent
from connect_four.eventsourcing.stores.memory.event_store import InMemoryEventStore
from connect_four.persistence.game_repository import EventSourcedGameRepository
from connect_four.web import create_app, live_socket
from connect_four.web.app import context_of_app
from tests.web.games import memory_read_models, move, open_game, play
from tests.web.sockets import LiveSocket, subscribe

ORIGIN = "http://testserver"


@contextmanager
def live(client: TestClient, origin: str | None = ORIGIN) -> Iterator[LiveSocket]:
    """Open a live connection as a page of the server (or another origin) would."""
    headers = {} if origin is None else {"Origin": origin}
    with client.websocket_connect("/api/live", headers=headers) as session:
        socket = LiveSocket(session)
        try:
            yield socket
        finally:
            socket.close()


def types(events: list[dict[str, Any]]) -> list[str]:
    return [frame["event"]["type"] for frame in events]


def test_a_game_feed_sends_what_was_stored_then_each_move_as_it_is_made(
    client: TestClient,
) -> None:
    game = open_game(client)
    with live(client) as socket:
        socket.send(subscribe(f"game:{game.game_id}", after=0))
        assert socket.frame() == {
            "type": "subscribed",
            "feed": f"game:{game.game_id}",
            "after": 0,
        }
        stored = socket.events(3)
        assert types(stored) == ["SeatTaken", "SeatTaken", "GameStarted"]
        assert move(client, game, "ann", "D").status_code == 200
        (made,) = socket.events(1)
        assert made["feed"] == f"game:{game.game_id}"
        assert made["event"]["data"] == {"player": "ann", "column": "D"}
        positions = [frame["event"]["global_position"] for frame in [*stored, made]]
        assert positions == sorted(set(positions))


def test_a_feed_without_a_position_starts_now(client: TestClient) -> None:
    game = open_game(client)
    play(client, game, "DC")
    with live(client) as socket:
        socket.send(subscribe(f"game:{game.game_id}"))
        subscribed = socket.frame()
        assert subscribed["type"] == "subscribed"
        assert (
            subscribed["after"]
            == client.get(f"/api/games/{game.game_id}").json()["position"]
        )
        assert move(client, game, "ann", "E").status_code == 200
        (made,) = socket.events(1)
        assert made["event"]["data"]["column"] == "E"


def test_a_client_resuming_after_its_last_position_misses_nothing_and_repeats_nothing(
    client: TestClient,
) -> None:
    game = open_game(client)
    name = f"game:{game.game_id}"
    with live(client) as socket:
        socket.send(subscribe(name, after=0))
        socket.frame()
        seen = socket.events(3)
        assert move(client, game, "ann", "D").status_code == 200
        seen += socket.events(1)
    last = seen[-1]["event"]["global_position"]
    # Moves made while the page had no connection.
    play(client, game, "CD", players=("bob", "ann"))
    with live(client) as socket:
        socket.send(subscribe(name, after=last))
        assert socket.frame()["after"] == last
        missed = socket.events(2)
        assert move(client, game, "bob", "C").status_code == 200
        live_one = socket.events(1)
    columns = [f["event"]["data"]["column"] for f in [*missed, *live_one]]
    assert columns == ["C", "D", "C"]
    positions = [f["event"]["global_position"] for f in [*seen, *missed, *live_one]]
    assert positions == sorted(set(positions))


def test_one_connection_carries_a_game_the_lobby_and_the_log_at_once(
    client: TestClient,
) -> None:
    game = open_game(client)
    head = client.get("/api/log?limit=1").json()["last_position"]
    with live(client) as socket:
        for feed in (f"game:{game.game_id}", "lobby", "log"):
            socket.send(subscribe(feed, after=head))
            assert socket.frame()["type"] == "subscribed"
        assert move(client, game, "ann", "D").status_code == 200
        frames = socket.events(3)
    assert sorted(frame["feed"] for frame in frames) == [
        f"game:{game.game_id}",
        "lobby",
        "log",
    ]
    assert {frame["event"]["global_position"] for frame in frames} == {head + 1}


def test_an_unsubscribed_feed_stops_while_the_others_go_on(client: TestClient) -> None:
    game = open_game(client)
    with live(client) as socket:
        socket.send(subscribe(f"game:{game.game_id}"))
        socket.send(subscribe("log"))
        socket.frames(2)
        socket.send({"type": "unsubscribe", "feed": f"game:{game.game_id}"})
        assert move(client, game, "ann", "D").status_code == 200
        (frame,) = socket.events(1)
        assert frame["feed"] == "log"
        # Subscribed again, the feed starts afresh.
        socket.send(subscribe(f"game:{game.game_id}", after=0))
        assert socket.frame()["type"] == "subscribed"
        assert types(socket.events(4))[-1] == "MoveMade"


def lobby_after(position: object) -> dict[str, Any]:
    """Return a subscription to the lobby after a position of any kind."""
    return {"type": "subscribe", "feed": "lobby", "after": position}


def error_frame(socket: LiveSocket) -> dict[str, Any]:
    """Return the next frame, which must be an error, after checking it is usable."""
    frame = socket.frame()
    assert frame["type"] == "error", frame
    assert frame["message"], frame
    return frame


@pytest.mark.parametrize(
    ("request_sent", "kind", "named"),
    [
        (subscribe("games"), "unknown_feed", "games"),
        (subscribe("game:"), "unknown_feed", "game:"),
        ({"type": "subscribe"}, "invalid_field", "feed"),
        ({"type": "subscribe", "feed": 7}, "invalid_field", "feed"),
        ({"type": "follow", "feed": "lobby"}, "invalid_field", "type"),
        (lobby_after(-1), "invalid_field", "after"),
        (lobby_after("5"), "invalid_field", "after"),
        (lobby_after(1.5), "invalid_field", "after"),
        (lobby_after(True), "invalid_field", "after"),
        (lobby_after(10**18), "invalid_field", "after"),
        (["subscribe", "lobby"], "malformed_request", "object"),
    ],
)
def test_a_bad_request_gets_an_error_frame_and_the_connection_goes_on(
    client: TestClient,
    store: InMemoryEventStore,
    caplog: pytest.LogCaptureFixture,
    request_sent: Any,
    kind: str,
    named: str,
) -> None:
    with live(client) as socket:
        socket.session.send_json(request_sent)
        refused = error_frame(socket)
        assert refused["error"] == kind
        assert named in refused["message"]
        assert refused["status"] in (400, 404, 422)
        # The connection still serves.
        socket.send(subscribe("lobby"))
        assert socket.frame()["type"] == "subscribed"
    assert store.last_global_position() == 0
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]


@pytest.mark.parametrize(
    ("send", "kind"),
    [
        (lambda session: session.send_text("subscribe lobby"), "malformed_request"),
        (lambda session: session.send_bytes(b'{"type": "x"}'), "malformed_request"),
        (lambda session: session.send_text(" " * 5000 + "{}"), "malformed_request"),
    ],
)
def test_text_that_is_not_a_json_request_gets_an_error_frame(
    client: TestClient, caplog: pytest.LogCaptureFixture, send: Any, kind: str
) -> None:
    with live(client) as socket:
        send(socket.session)
        assert error_frame(socket)["error"] == kind
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]


def test_a_feed_of_an_unknown_game_is_refused_by_name(client: TestClient) -> None:
    with live(client) as socket:
        socket.send(subscribe("game:no-such-game", after=0))
        refused = error_frame(socket)
    assert (refused["error"], refused["status"]) == ("unknown_game", 404)
    assert refused["feed"] == "game:no-such-game"
    assert "no-such-game" in refused["message"]


def test_a_feed_asked_for_twice_is_refused_the_second_time(client: TestClient) -> None:
    with live(client) as socket:
        socket.send(subscribe("lobby"))
        socket.frame()
        socket.send(subscribe("lobby", after=0))
        refused = error_frame(socket)
    assert (refused["error"], refused["feed"]) == ("already_subscribed", "lobby")


def test_one_connection_follows_at_most_sixteen_feeds(client: TestClient) -> None:
    games = [open_game(client) for _ in range(16)]
    with live(client) as socket:
        for game in games:
            socket.send(subscribe(f"game:{game.game_id}"))
            assert socket.frame()["type"] == "subscribed"
        socket.send(subscribe("lobby"))
        assert error_frame(socket)["error"] == "too_many_feeds"


def test_a_page_of_the_server_and_a_client_without_origin_may_connect(
    client: TestClient,
) -> None:
    for origin in (ORIGIN, "HTTP://TestServer:80", None):
        with live(client, origin) as socket:
            socket.send(subscribe("lobby"))
            assert socket.frame()["type"] == "subscribed"


@pytest.mark.parametrize(
    "origin",
    [
        "http://evil.example",
        "http://testserver:8080",
        "http://testserver.evil.example",
        "null",
        "file://",
    ],
)
def test_a_cross_site_websocket_is_refused_with_403(
    client: TestClient, origin: str
) -> None:
    with pytest.raises(WebSocketDenialResponse) as refused, live(client, origin):
        pytest.fail("the handshake was accepted")
    assert refused.value.status_code == 403
    assert refused.value.json()["error"] == "cross_site_websocket"


class UnreachableStore(InMemoryEventStore):
    """An in-memory store whose log cannot be read, as a database gone down."""

    def read_all(self, after: int = 0, limit: int = 1000) -> list[RecordedEvent]:
        raise StoreUnavailableError("memory:", "switched off by the test")


def test_a_store_out_of_reach_gets_an_error_frame_and_a_close_to_come_back(
    caplog: pytest.LogCaptureFixture,
) -> None:
    store = UnreachableStore()
    app = ConnectFourApp.over(EventSourcedGameRepository(store))
    web = create_app(app, store, memory_read_models(store))
    with TestClient(web) as client, live(client) as socket:
        socket.send(subscribe("lobby"))
        refused = error_frame(socket)
        with pytest.raises(WebSocketDisconnect) as closed:
            socket.frame()
    assert (refused["error"], refused["status"]) == ("store_unavailable", 503)
    assert closed.value.code == 1013  # try again later
    assert not [r for r in caplog.records if r.exc_info]


def test_a_feed_that_falls_behind_goes_on_from_the_store_missing_nothing(
    app: ConnectFourApp, store: InMemoryEventStore
) -> None:
    # The follower looks at the log only when asked, and queues two events a feed.
    web = create_app(app, store, memory_read_models(store), poll_interval=3600)
    context_of_app(web).follower.queue_capacity = 2
    with TestClient(web) as client:
        game = open_game(client)
        with live(client) as socket:
            socket.send(subscribe("log"))  # from now: after the game's start
            assert socket.frame()["type"] == "subscribed"
            play(client, game, "ABAB")
            # One look hands the feed four events at once: its queue overflows.
            assert client.get("/api/leaderboard").status_code == 200
            caught_up = socket.events(4)
            play(client, game, "A")
            assert client.get("/api/leaderboard").status_code == 200
            caught_up += socket.events(1)
    assert [f["event"]["data"]["column"] for f in caught_up] == list("ABABA")
    positions = [f["event"]["global_position"] for f in caught_up]
    assert positions == sorted(set(positions))


def test_a_quiet_connection_hears_a_heartbeat(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(live_socket, "HEARTBEAT_SECONDS", 0.05)
    with live(client) as socket:
        assert socket.frame() == {"type": "heartbeat"}
