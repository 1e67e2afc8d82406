"""Graceful shutdown: stop taking requests, finish those in flight, close live feeds.

On SIGTERM (or Ctrl-C) uvicorn stops listening and waits for the requests in
flight, up to its graceful-shutdown timeout. Live feeds never finish by
themselves, so without help every open page would hold the server until the
timeout and then be cut off mid-stream. `GracefulServer` therefore announces
the shutdown first (`Draining.begin`): `/readyz` starts answering 503, and
`CloseLiveFeeds` ends each open feed cleanly with a last message that tells
the browser to reconnect soon (`retry:`). The browser reconnects with
`Last-Event-ID` to whichever server the proxy picks and misses nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import threading
from typing import Final

import uvicorn
from starlette.types import ASGIApp, Message, Receive, Scope, Send

logger = logging.getLogger(__name__)

RECONNECT_HINT: Final = b"retry: 500\n: the server is shutting down; reconnect\n\n"
"""The last message of a feed closed by a shutdown: reconnect after 0.5 s."""


class Draining:
    """The news that this server is shutting down, for whoever must act on it."""

    def __init__(self) -> None:
        self.flag = threading.Event()
        """Set once the shutdown begins; readable from any thread."""
        self._waiters: list[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = []
        self._lock = threading.Lock()

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


class CloseLiveFeeds:
    """End open live feeds with a reconnect hint when the server shuts down.

    Other requests in flight are left to finish.
    """

    def __init__(self, app: ASGIApp, draining: Draining) -> None:
        self.app = app
        self.draining = draining

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve the request; cut it short only if it is a feed and we drain."""
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


class GracefulServer(uvicorn.Server):
    """A uvicorn server that announces its shutdown before it waits for requests."""

    def __init__(self, config: uvicorn.Config, draining: Draining) -> None:
        super().__init__(config)
        self.draining = draining

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        """Close live feeds and refuse readiness, then shut down as uvicorn does."""
        logger.info("shutting down: closing live feeds, finishing requests")
        self.draining.begin()
        await super().shutdown(sockets)
