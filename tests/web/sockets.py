"""Live connections (the `/api/live` WebSocket) for tests: in-process and real.

`LiveSocket` wraps a Starlette `TestClient` session, `RealSocket` a
`websockets` client of a real server; both read frames with a deadline, so
a frame that never comes fails the test instead of hanging it.
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeoutError
from typing import Any

import pytest
from starlette.testclient import WebSocketTestSession
from websockets.sync.client import ClientConnection

FRAME_SECONDS = 10.0
"""How long a frame may take to come; generous for a loaded CI machine."""


def subscribe(feed: str, after: int | None = None) -> dict[str, Any]:
    """Return the request that subscribes to a feed (after a position, or from now)."""
    request: dict[str, Any] = {"type": "subscribe", "feed": feed}
    if after is not None:
        request["after"] = after
    return request


class LiveSocket:
    """A test client's live connection, read with a deadline."""

    def __init__(self, session: WebSocketTestSession) -> None:
        self.session = session
        self._reader = ThreadPoolExecutor(max_workers=1)

    def send(self, request: dict[str, Any]) -> None:
        """Send one request as a JSON text frame."""
        self.session.send_json(request)

    def frame(self, timeout: float = FRAME_SECONDS) -> dict[str, Any]:
        """Return the next frame, failing the test if none comes in time."""
        pending = self._reader.submit(self.session.receive_json)
        try:
            frame: dict[str, Any] = pending.result(timeout)
        except FutureTimeoutError:
            pytest.fail(f"no frame came within {timeout} s")
        return frame

    def frames(self, count: int) -> list[dict[str, Any]]:
        """Return the next `count` frames."""
        return [self.frame() for _ in range(count)]

    def events(self, count: int) -> list[dict[str, Any]]:
        """Return the next `count` frames, each of which must be an event."""
        frames = self.frames(count)
        assert [frame["type"] for frame in frames] == ["event"] * count, frames
        return frames

    def close(self) -> None:
        """Stop reading; the session itself is closed by its `with` block."""
        self._reader.shutdown(wait=False, cancel_futures=True)


class RealSocket:
    """A live connection to a real server, read with a deadline."""

    def __init__(self, connection: ClientConnection) -> None:
        self.connection = connection

    def send(self, request: dict[str, Any]) -> None:
        """Send one request as a JSON text frame."""
        self.connection.send(json.dumps(request))

    def frame(self, timeout: float = FRAME_SECONDS) -> dict[str, Any]:
        """Return the next frame that is not a heartbeat."""
        while True:
            try:
                text = self.connection.recv(timeout)
            except TimeoutError:
                pytest.fail(f"no frame came within {timeout} s")
            frame: dict[str, Any] = json.loads(text)
            if frame["type"] != "heartbeat":
                return frame

    def events(self, count: int) -> list[dict[str, Any]]:
        """Return the events of the next `count` frames, each of which must be one."""
        frames = [self.frame() for _ in range(count)]
        assert [frame["type"] for frame in frames] == ["event"] * count, frames
        return [frame["event"] for frame in frames]
