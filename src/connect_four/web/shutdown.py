"""Graceful shutdown: stop taking requests, finish those in flight, close live feeds.

On SIGTERM (or Ctrl-C) uvicorn stops listening and waits for the requests in
flight, up to its graceful-shutdown timeout. Live feeds never finish by
themselves, so without help every open page would hold the server until the
timeout and then be cut off mid-stream. `GracefulServer` therefore announces
the shutdown first (`Draining.begin`): `/readyz` starts answering 503, and
`CloseLiveFeeds` ends each open feed cleanly with a last message that tells
the client to reconnect soon. A Server-Sent Events feed gets `retry: 500`
and the browser reconnects with `Last-Event-ID`; a live WebSocket gets a
`{"type": "reconnect", "retry_ms": 500}` frame and the close code 1012
(service restart), and the page subscribes again after the last position it
saw. Either way the client reaches whichever server the proxy picks and
misses nothing. The server waits a moment for those goodbyes
(`Draining.sockets_closed`) before uvicorn closes what is left.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import socket
import threading
from typing import Final

import uvicorn
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from connect_four.web.errors import refuse_handshake

logger = logging.getLogger(__name__)

RECONNECT_HINT: Final = b"retry: 500\n: the server is shutting down; reconnect\n\n"
"""The last message of a feed closed by a shutdown: reconnect after 0.5 s."""
RECONNECT_FRAME: Final = json.dumps(
    {
        "type": "reconnect",
        "retry_ms": 500,
        "message": "the server is shutting down; reconnect",
    }
)
"""The last frame of a live WebSocket closed by a shutdown."""
CLOSE_SERVICE_RESTART: Final = 1012
GOODBYE_SECONDS: Final = 2.0
"""How long a shutdown waits for live WebSockets to say goodbye."""


class Draining:
    """The news that this server is shutting down, for whoever must act on it."""

    def __init__(self) -> None:
        self.flag = threading.Event()
        """Set once the shutdown begins; readable from any thread."""
        self._waiters: list[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = []
        self._lock = threading.Lock()
        self.sockets_open = 0
        """Live WebSockets open now (counted on the server's event loop)."""

    @property
    def is_draining(self) -> bool:
        """Return whether the shutdown has begun."""
        return self.flag.is_set()

    def begin(self) -> None:
        """Announce the shutdown: wake every waiting feed."""
        with self._lock:
            self.flag.set()
            waiters = list(self._waiters)
        for loop, event in waiters:
            loop.call_soon_threadsafe(event.set)

    async def wait(self) -> None:
        """Return once the shutdown has begun."""
        event = asyncio.Event()
        entry = (asyncio.get_running_loop(), event)
        with self._lock:
            if self.flag.is_set():
                return
            self._waiters.append(entry)
        try:
            await event.wait()
        finally:
            with self._lock:
                self._waiters.remove(entry)

    async def sockets_closed(self, timeout: float) -> None:
        """Return once no live WebSocket is open, or after `timeout` seconds."""
        deadline = asyncio.get_running_loop().time() + timeout
        while self.sockets_open and asyncio.get_running_loop().time() < deadline:
            await asyncio.sleep(0.01)


class CloseLiveFeeds:
    """End open live feeds with a reconnect hint when the server shuts down.

    Other requests in flight are left to finish.
    """

    def __init__(self, app: ASGIApp, draining: Draining) -> None:
        self.app = app
        self.draining = draining

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve the request; cut it short only if it is a feed and we drain."""
        if scope["type"] == "websocket":
            await self._serve_socket(scope, receive, send)
            return
        # Feeds are GETs; commands go straight through, without a task of their own.
        if scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        streaming = False

        async def watching_send(message: Message) -> None:
            nonlocal streaming
            if message["type"] == "http.response.start":
                headers = dict(message.get("headers", []))
                kind = headers.get(b"content-type", b"")
                streaming = kind.startswith(b"text/event-stream")
            await send(message)

        serving = asyncio.ensure_future(self.app(scope, receive, watching_send))
        drained = asyncio.ensure_future(self.draining.wait())
        try:
            await asyncio.wait({serving, drained}, return_when=asyncio.FIRST_COMPLETED)
        except asyncio.CancelledError:
            # The server cut the request off (its shutdown timeout): so is the app.
            serving.cancel()
            raise
        finally:
            drained.cancel()
        if serving.done() or not streaming:
            await serving
            return
        serving.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await serving
        await send({"type": "http.response.body", "body": RECONNECT_HINT})
        await send({"type": "http.response.body", "body": b"", "more_body": False})

    async def _serve_socket(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve a WebSocket; when the shutdown begins, say reconnect and close it."""
        state = "connecting"

        async def watching_send(message: Message) -> None:
            nonlocal state
            if message["type"] == "websocket.accept":
                state = "open"
                self.draining.sockets_open += 1
            elif message["type"] != "websocket.send":
                if state == "open":
                    self.draining.sockets_open -= 1
                state = "closed"
            await send(message)

        serving = asyncio.ensure_future(self.app(scope, receive, watching_send))
        drained = asyncio.ensure_future(self.draining.wait())
        try:
            await asyncio.wait({serving, drained}, return_when=asyncio.FIRST_COMPLETED)
            if serving.done():
                await serving
                return
            serving.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await serving
            if state == "open":
                await self._say_goodbye(send)
            elif state == "connecting":
                message = "the server is shutting down; connect again"
                with contextlib.suppress(OSError):
                    await refuse_handshake(
                        scope, receive, send, 503, "shutting_down", message
                    )
        except asyncio.CancelledError:
            # The server cut the connection off (its shutdown timeout): so is the app.
            serving.cancel()
            raise
        finally:
            drained.cancel()
            if state == "open":
                self.draining.sockets_open -= 1

    async def _say_goodbye(self, send: Send) -> None:
        """Tell an open WebSocket's client to reconnect soon, then close it."""
        # The client may be gone already: then there is nobody to tell.
        with contextlib.suppress(OSError):
            await send({"type": "websocket.send", "text": RECONNECT_FRAME})
            await send({"type": "websocket.close", "code": CLOSE_SERVICE_RESTART})


class GracefulServer(uvicorn.Server):
    """A uvicorn server that announces its shutdown before it waits for requests."""

    def __init__(self, config: uvicorn.Config, draining: Draining) -> None:
        super().__init__(config)
        self.draining = draining

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        """Close live feeds and refuse readiness, then shut down as uvicorn does."""
        logger.info("shutting down: closing live feeds, finishing requests")
        self.draining.begin()
        await self.draining.sockets_closed(GOODBYE_SECONDS)
        await super().shutdown(sockets)
