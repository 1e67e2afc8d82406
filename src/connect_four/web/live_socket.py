"""One WebSocket per browser tab, carrying every live feed the page follows.

A browser opens at most six HTTP/1.1 connections to one host, and each
Server-Sent Events feed holds one for good: with six live tabs open, a
seventh got no page and a player's move never left. WebSockets are not
counted against that limit, and one socket carries any number of feeds, so
every tab needs exactly one, whatever else is open.

The protocol, JSON text frames both ways (docs/web.md has it in full):

- the client sends `{"type": "subscribe", "feed": NAME, "after": N}` (`after`
  optional: from now) and `{"type": "unsubscribe", "feed": NAME}`;
- the server answers `{"type": "subscribed", "feed", "after"}`, then sends
  `{"type": "event", "feed", "event"}` for each event, in order, each once,
  a `{"type": "heartbeat"}` every 15 s, and `{"type": "error", "error",
  "message", "status", "feed"}` for a request it refuses. The connection
  stays open after a refusal, unless the store is out of reach: then it
  closes with 1013 (try again later) and the client comes back.

A client that loses the socket subscribes again on a new one, after the last
position it saw of each feed: `live.records` reads what it missed from the
store, whichever server answers. A server that shuts down says so first
(`shutdown.CloseLiveFeeds`).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from typing import Final

from starlette.routing import WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect, WebSocketState

from connect_four.eventsourcing.codec import JSONObject
from connect_four.web.context import WebContext, context_of
from connect_four.web.errors import (
    KNOWN_ERRORS,
    AlreadySubscribedError,
    InvalidFieldError,
    MalformedRequestError,
    TooManyFeedsError,
    classify,
)
from connect_four.web.feeds import open_feed
from connect_four.web.live import HEARTBEAT_SECONDS, Feed, records
from connect_four.web.views import event_view

logger = logging.getLogger(__name__)

LIVE_PATH: Final = "/api/live"
MAX_FEEDS: Final = 16
"""Feeds one connection may follow at once; a page needs one or two."""
MAX_MESSAGE_CHARACTERS: Final = 4096
"""A subscription is a few dozen characters."""
MAX_POSITION: Final = 10**18 - 1
CLOSE_TRY_AGAIN: Final = 1013
"""The store cannot be read now: reconnect after a while and resume."""
CLOSE_SERVER_ERROR: Final = 1011
CLOSE_GONE: Final = 1006
UNAVAILABLE: Final = 503


class LiveConnection:
    """One client's socket: its subscriptions, each a task pumping one feed."""

    def __init__(self, websocket: WebSocket, context: WebContext) -> None:
        self._socket = websocket
        self._context = context
        self._pumps: dict[str, asyncio.Task[None]] = {}
        self._sending = asyncio.Lock()

    async def serve(self) -> None:
        """Answer the client's requests until it goes away; then stop every feed."""
        heartbeat = asyncio.create_task(self._heartbeat())
        try:
            while True:
                message = await self._socket.receive()
                if message["type"] == "websocket.disconnect":
                    return
                try:
                    await self._handle(message.get("text"))
                except KNOWN_ERRORS as exc:
                    await self._refuse(exc, None)
        finally:
            tasks = [heartbeat, *self._pumps.values()]
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

    async def _handle(self, text: str | None) -> None:
        """Carry out one request of the client.

        Raises:
            MalformedRequestError: the message is not a JSON object.
            InvalidFieldError: a field is missing or of the wrong kind.
        """
        request = parse(text)
        kind, name = request.get("type"), request.get("feed")
        if kind not in ("subscribe", "unsubscribe"):
            raise InvalidFieldError("type", "must be 'subscribe' or 'unsubscribe'")
        if not isinstance(name, str):
            raise InvalidFieldError("feed", "must be a feed's name (a string)")
        if kind == "unsubscribe":
            pump = self._pumps.pop(name, None)
            if pump is not None:
                pump.cancel()
            return
        after = position(request.get("after"))
        try:
            await self._subscribe(name, after)
        except KNOWN_ERRORS as exc:
            await self._refuse(exc, name)

    async def _subscribe(self, name: str, after: int | None) -> None:
        """Start pumping a feed to the client, after a position or from now.

        Raises:
            AlreadySubscribedError, TooManyFeedsError, UnknownFeedError,
            UnknownGameError, UnreadableEventError, StoreUnavailableError.
        """
        self._pumps = {n: t for n, t in self._pumps.items() if not t.done()}
        if name in self._pumps:
            raise AlreadySubscribedError(name)
        if len(self._pumps) >= MAX_FEEDS:
            raise TooManyFeedsError(MAX_FEEDS)
        found = await open_feed(self._context, name)
        start = found.start if after is None else after
        await self.send({"type": "subscribed", "feed": name, "after": start})
        self._pumps[name] = asyncio.create_task(self._pump(found, start))

    async def _pump(self, found: Feed, after: int) -> None:
        """Send a feed's events until stopped; end quietly, whatever happens."""
        try:
            await self._send_events(found, after)
        except WebSocketDisconnect:
            return
        except KNOWN_ERRORS as exc:
            with contextlib.suppress(WebSocketDisconnect):
                await self._refuse(exc, found.name)
        except Exception:  # the top-level handler of a feed's task
            logger.exception("live feed %s failed", found.name)
            with contextlib.suppress(WebSocketDisconnect):
                await self.close(CLOSE_SERVER_ERROR)

    async def _send_events(self, found: Feed, after: int) -> None:
        """Send a feed's events after a position, then live ones, for ever."""
        last = after
        while True:
            follower = self._context.follower
            events = records(follower, found.accepts, found.backlog, last)
            try:
                async for record in events:
                    if record is not None:
                        event = {"feed": found.name, "event": event_view(record)}
                        await self.send({"type": "event", **event})
                        last = record.global_position
            finally:
                await events.aclose()
            # The feed fell too far behind and its queue overflowed: go on
            # from the store after the last event sent, losing nothing.

    async def _heartbeat(self) -> None:
        """Tell the client every so often that the connection is alive."""
        while True:
            await asyncio.sleep(HEARTBEAT_SECONDS)
            await self.send({"type": "heartbeat"})

    async def _refuse(self, exc: Exception, name: str | None) -> None:
        """Send the client what was refused and why.

        A store that cannot be reached closes the socket too: the client
        reconnects after a while and asks again, resuming where it was.
        """
        found = classify(exc)
        if found is None:
            raise exc
        status, kind, message = found
        if status >= 500:
            logger.error("live feed %s failed: %s", name or "-", message)
        frame: JSONObject = {"type": "error", "error": kind, "message": message}
        await self.send({**frame, "status": status, "feed": name})
        if status == UNAVAILABLE:
            await self.close(CLOSE_TRY_AGAIN)

    async def send(self, frame: JSONObject) -> None:
        """Send one frame; frames of several feeds never interleave."""
        text = json.dumps(frame, ensure_ascii=False, separators=(",", ":"))
        async with self._sending:
            if self._socket.application_state != WebSocketState.CONNECTED:
                raise WebSocketDisconnect(CLOSE_GONE)  # closed by another feed
            await self._socket.send_text(text)

    async def close(self, code: int) -> None:
        """Close the socket; the client reconnects and resumes."""
        async with self._sending:
            if self._socket.application_state == WebSocketState.CONNECTED:
                await self._socket.close(code)


def parse(text: str | None) -> dict[str, object]:
    """Return a client's message as a JSON object.

    Raises:
        MalformedRequestError: it is binary, too long, or not a JSON object.
    """
    if text is None:
        raise MalformedRequestError("send JSON text frames, not binary ones")
    if len(text) > MAX_MESSAGE_CHARACTERS:
        raise MalformedRequestError(
            f"a message is at most {MAX_MESSAGE_CHARACTERS} characters"
        )
    try:
        request = json.loads(text)
    except ValueError as exc:
        raise MalformedRequestError("the message is not JSON") from exc
    if not isinstance(request, dict):
        raise MalformedRequestError("the message is not a JSON object")
    return request


def position(value: object) -> int | None:
    """Return the position a subscription resumes after (None: from now).

    Raises:
        InvalidFieldError: it is not a whole number from 0.
    """
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidFieldError("after", "must be a global position: a whole number")
    if not 0 <= value <= MAX_POSITION:
        raise InvalidFieldError("after", f"must be from 0 to {MAX_POSITION}")
    return value


async def live_socket(websocket: WebSocket) -> None:
    """Accept a page's live connection and serve its feeds until it closes."""
    await websocket.accept()
    connection = LiveConnection(websocket, context_of(websocket))
    try:
        await connection.serve()
    except WebSocketDisconnect:
        return
    except Exception:  # the top-level web handler STYLE.md allows
        logger.exception("unexpected failure in the live connection")
        await connection.close(CLOSE_SERVER_ERROR)


ROUTES = [WebSocketRoute(LIVE_PATH, live_socket)]
