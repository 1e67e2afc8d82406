"""SIGTERM: stop taking requests, finish those in flight, close live feeds, exit.

Each test runs a real `connect-four serve` process over a SQLite file.
"""

from __future__ import annotations

import json
import socket
import time
from pathlib import Path

import httpx2 as httpx
import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect
from websockets.typing import Origin

from connect_four.eventsourcing.stores.sqlite.event_store import SQLiteEventStore
from connect_four.eventsourcing.stores.sqlite.projection_storage import (
    SQLiteProjectionStorage,
)
from tests.web.games import open_game, play
from tests.web.service import Service
from tests.web.sockets import subscribe

pytestmark = pytest.mark.slow

BODY = b'{"player_one": "ann", "player_two": "bob"}'


def begin_request(port: int, body: bytes, sent: int) -> socket.socket:
    """Send a request's head and the first `sent` bytes of its body; keep the rest."""
    connection = socket.create_connection(("127.0.0.1", port), timeout=10)
    head = (
        "POST /api/games HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    connection.sendall(head.encode() + body[:sent])
    return connection


def read_answer(connection: socket.socket) -> bytes:
    """Read everything the server sends until it closes the connection."""
    received = b""
    while chunk := connection.recv(65536):
        received += chunk
    connection.close()
    return received


def refuses_connections(port: int) -> bool:
    """Return whether nothing accepts connections on the port any more."""
    try:
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
    except ConnectionRefusedError:
        return True
    return False


@pytest.fixture
def store_url(tmp_path: Path) -> str:
    """Return a SQLite store URL in the test's directory."""
    return f"sqlite:///{tmp_path / 'games.db'}"


def test_a_request_in_flight_at_sigterm_is_finished_before_the_server_exits(
    store_url: str, tmp_path: Path
) -> None:
    with Service(store_url, tmp_path / "serve.log") as server:
        connection = begin_request(server.port, BODY, sent=10)
        time.sleep(0.5)  # the server has read the head and waits for the body
        server.terminate()
        time.sleep(0.5)
        assert refuses_connections(server.port)
        connection.sendall(BODY[10:])
        answer = read_answer(connection)
        assert server.wait_exit(10) == 0
    assert answer.startswith(b"HTTP/1.1 201 "), answer
    game_id = answer.split(b'"game_id":"')[1].split(b'"')[0].decode()
    store = SQLiteEventStore(tmp_path / "games.db")
    try:
        assert [e.type for e in store.read_stream(f"game-{game_id}")] == ["GameStarted"]
    finally:
        store.close()


def test_a_request_that_never_finishes_is_cut_off_at_the_shutdown_timeout(
    store_url: str, tmp_path: Path
) -> None:
    options = ["--shutdown-timeout", "1"]
    with Service(store_url, tmp_path / "serve.log", options) as server:
        connection = begin_request(server.port, BODY, sent=10)
        time.sleep(0.5)
        started = time.monotonic()
        server.terminate()
        assert server.wait_exit(8) == 0
        waited = time.monotonic() - started
        connection.close()
    assert waited >= 1.0
    assert "timeout graceful shutdown exceeded" in server.log()


def test_sigterm_ends_a_live_feed_with_a_reconnect_hint(
    store_url: str, tmp_path: Path
) -> None:
    options = ["--shutdown-timeout", "30"]
    with Service(store_url, tmp_path / "serve.log", options) as server:
        lines: list[str] = []
        with (
            httpx.Client(timeout=20) as client,
            client.stream("GET", server.url + "/api/lobby/live") as feed,
        ):
            stream = feed.iter_lines()
            lines.append(next(stream))  # the feed is open
            started = time.monotonic()
            server.terminate()
            lines.extend(stream)  # ends when the server closes the feed
        closed_after = time.monotonic() - started
        assert server.wait_exit(10) == 0
    assert "retry: 500" in lines
    assert ": the server is shutting down; reconnect" in lines
    assert closed_after < 5, "the feed was closed at once, not at the timeout"


def frames_until_closed(
    socket: ClientConnection,
) -> tuple[list[dict[str, object]], int | None]:
    """Read frames until the server closes the socket; return them and its code."""
    frames = []
    try:
        while True:
            frames.append(json.loads(socket.recv(20)))
    except ConnectionClosed as closed:
        return frames, None if closed.rcvd is None else closed.rcvd.code


def test_sigterm_tells_a_live_websocket_to_reconnect_then_closes_it(
    store_url: str, tmp_path: Path
) -> None:
    options = ["--shutdown-timeout", "30"]
    with Service(store_url, tmp_path / "serve.log", options) as server:
        frames: list[dict[str, object]] = []
        address = server.url.replace("http://", "ws://") + "/api/live"
        with connect(address, origin=Origin(server.url), open_timeout=10) as socket:
            socket.send(json.dumps(subscribe("lobby")))
            frames.append(json.loads(socket.recv(10)))  # the feed is open
            started = time.monotonic()
            server.terminate()
            last_frames, code = frames_until_closed(socket)
        frames += last_frames
        closed_after = time.monotonic() - started
        assert server.wait_exit(10) == 0
    assert frames[0]["type"] == "subscribed"
    assert frames[-1]["type"] == "reconnect"
    assert frames[-1]["retry_ms"] == 500
    assert code == 1012  # service restart: come back soon
    assert closed_after < 5, "the socket was closed at once, not at the timeout"


def test_a_restarted_server_resumes_its_read_models_from_their_checkpoints(
    store_url: str, tmp_path: Path
) -> None:
    options = ["--ready-max-lag", "0"]
    log = tmp_path / "serve.log"
    with (
        Service(store_url, log, options) as server,
        httpx.Client(base_url=server.url) as client,
    ):
        play(client, open_game(client), "ABABABA")
        server.wait_ready()
    storage = SQLiteProjectionStorage(tmp_path / "games.db")
    try:
        before = {slot.name: slot for slot in storage.slots()}
    finally:
        storage.close()
    with (
        Service(store_url, log, options) as server,
        httpx.Client(base_url=server.url) as client,
    ):
        play(client, open_game(client), "ABABABA")
        server.wait_ready()
        standings = client.get("/api/leaderboard").json()
    storage = SQLiteProjectionStorage(tmp_path / "games.db")
    try:
        after = {slot.name: slot for slot in storage.slots()}
    finally:
        storage.close()
    for name, slot in before.items():
        assert slot.checkpoint > 0
        assert after[name].generation == slot.generation  # resumed, not rebuilt
        assert after[name].checkpoint > slot.checkpoint
    played = {row["player"]: row["played"] for row in standings["players"]}
    assert played == {"ann": 2, "bob": 2}
