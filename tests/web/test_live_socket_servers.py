"""The live WebSocket on real `connect-four serve` processes over one store.

Every event once, in order, across server processes and reconnections; the
handshake refused to other sites and other host names; bad requests answered
with an error frame, never a traceback in the server's log.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx2 as httpx
import pytest
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import connect
from websockets.typing import Origin

from tests.eventsourcing.stores.backends import (
    drop_postgres_schema,
    new_schema_name,
    postgres_url,
)
from tests.web.games import move, open_game
from tests.web.servers import ServerProcess, with_query
from tests.web.sockets import RealSocket, subscribe

pytestmark = pytest.mark.slow


@pytest.fixture(params=["sqlite", "postgres"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Yield the URL of a fresh store that several server processes can share."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'games.db'}"
        return
    schema = new_schema_name()
    yield with_query(postgres_url(), schema=schema)
    drop_postgres_schema(schema)


@contextmanager
def live(server: ServerProcess) -> Iterator[RealSocket]:
    """Open a live connection to a server, as its own pages do."""
    address = server.url.replace("http://", "ws://") + "/api/live"
    with connect(address, origin=Origin(server.url), open_timeout=10) as connection:
        yield RealSocket(connection)


def test_a_socket_on_one_server_resumes_on_another_missing_and_repeating_nothing(
    store_url: str, tmp_path: Path
) -> None:
    with (
        ServerProcess(store_url, tmp_path / "a.log") as first,
        ServerProcess(store_url, tmp_path / "b.log") as second,
        httpx.Client(base_url=second.url, timeout=10.0) as player,
    ):
        game = open_game(player)
        feed = f"game:{game.game_id}"
        with live(first) as socket:
            socket.send(subscribe(feed, after=0))
            assert socket.frame()["type"] == "subscribed"
            seen = socket.events(3)
            assert move(player, game, "ann", "D").status_code == 200
            seen += socket.events(1)  # made through the other server
        # Moves made while the client had no connection.
        assert move(player, game, "bob", "C").status_code == 200
        assert move(player, game, "ann", "D").status_code == 200
        last = seen[-1]["global_position"]
        with live(second) as socket:
            socket.send(subscribe(feed, after=last))
            assert socket.frame() == {"type": "subscribed", "feed": feed, "after": last}
            resumed = socket.events(2)
            assert move(player, game, "bob", "C").status_code == 200
            resumed += socket.events(1)
    assert [e["type"] for e in seen] == [
        "SeatTaken",
        "SeatTaken",
        "GameStarted",
        "MoveMade",
    ]
    assert [e["data"]["column"] for e in resumed] == ["C", "D", "C"]
    positions = [e["global_position"] for e in [*seen, *resumed]]
    assert positions == sorted(set(positions))


def test_bad_requests_get_error_frames_and_leave_no_traceback_in_the_log(
    server: ServerProcess,
) -> None:
    with live(server) as socket:
        socket.connection.send("not json")
        socket.send(subscribe("nothing"))
        socket.send({"type": "subscribe", "feed": "lobby", "after": -5})
        socket.send(subscribe("game:no-such-game"))
        refused = [socket.frame() for _ in range(4)]
        socket.send(subscribe("lobby"))
        assert socket.frame()["type"] == "subscribed"
    assert [(f["type"], f["error"]) for f in refused] == [
        ("error", "malformed_request"),
        ("error", "unknown_feed"),
        ("error", "invalid_field"),
        ("error", "unknown_game"),
    ]
    assert "Traceback" not in server.log()


@pytest.mark.parametrize(
    ("origin", "host", "status"),
    [
        ("http://evil.example", None, 403),
        ("http://127.0.0.1:1", None, 403),
        (None, "evil.example", 400),
    ],
)
def test_a_handshake_from_another_site_or_for_another_host_is_refused(
    server: ServerProcess, origin: str | None, host: str | None, status: int
) -> None:
    # The socket goes to the server whatever host name the address names.
    reach = socket.create_connection(("127.0.0.1", server.port), timeout=10)
    address = f"ws://{host or '127.0.0.1'}:{server.port}/api/live"
    with (
        pytest.raises(InvalidStatus) as refused,
        connect(
            address,
            sock=reach,
            origin=None if origin is None else Origin(origin),
            open_timeout=10,
        ),
    ):
        pytest.fail("the handshake was accepted")
    assert refused.value.response.status_code == status
    assert b'"error"' in refused.value.response.body
    assert "Traceback" not in server.log()


def test_a_frame_larger_than_a_request_body_may_be_closes_the_socket(
    server: ServerProcess,
) -> None:
    with live(server) as socket:
        socket.send({"type": "subscribe", "feed": "x" * 20_000})
        with pytest.raises(ConnectionClosed) as closed:
            socket.connection.recv(10)
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 1009  # message too big
    assert "Traceback" not in server.log()
