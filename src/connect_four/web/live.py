"""Server-Sent Events: a page's live feed of stored events, resumable by position.

Each message's `id` is the event's global position. A browser that loses the
connection (a network blip, a server restart) reconnects by itself and sends
the last id it saw as `Last-Event-ID`; the feed then first reads what the page
missed from the store and goes on live from there, so nothing is lost and
nothing shown twice, whichever server process answers the reconnect.

The order of work makes that exact: subscribe to the follower first (queueing
everything after the follower's position), then read the missed events from
the store, then drain the queue, skipping any position already sent.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Final

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import StreamingResponse

from connect_four.eventsourcing.errors import UnreadableEventError
from connect_four.eventsourcing.events import RecordedEvent
from connect_four.eventsourcing.store import EventStore
from connect_four.web.body import is_small_number
from connect_four.web.follower import Filter, LogFollower, read_up_to_damage
from connect_four.web.views import event_view

HEARTBEAT_SECONDS: Final = 15.0
"""A comment line this often keeps proxies from closing a quiet connection."""
PAGE_SIZE: Final = 1000
RETRY_MILLISECONDS: Final = 1000
"""How soon a browser reconnects after losing the feed."""
EVENT_STREAM: Final = "text/event-stream"
SSE_HEADERS: Final = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}

Backlog = Callable[[int], Awaitable[list[RecordedEvent]]]
"""Read the accepted events after a global position from the store, in order."""


def resume_position(request: Request, default: int) -> int:
    """Return where a feed starts: `Last-Event-ID`, else `?after=`, else default.

    A value that is not a non-negative integer counts as absent.
    """
    candidates = (
        request.headers.get("last-event-id"),
        request.query_params.get("after"),
    )
    for raw in candidates:
        if raw is not None and is_small_number(raw.strip()):
            return int(raw.strip())
    return default


def log_backlog(store: EventStore, follower: LogFollower, accepts: Filter) -> Backlog:
    """Return a reader of the accepted events from the global log.

    It reads only up to the follower's position: later events reach the feed
    through the follower's queue.
    """

    async def backlog(after: int) -> list[RecordedEvent]:
        until = follower.position
        found: list[RecordedEvent] = []
        while after < until:
            try:
                page = await run_in_threadpool(store.read_all, after, PAGE_SIZE)
                reached = page[-1].global_position if page else after
            except UnreadableEventError:
                # A damaged row: pass it by, as the follower does.
                page, reached = await run_in_threadpool(read_up_to_damage, store, after)
            if reached <= after:
                break
            found.extend(
                record
                for record in page
                if record.global_position <= until and accepts(record)
            )
            after = reached
        return found

    return backlog


def format_event(record: RecordedEvent) -> str:
    """Return one SSE message: the event as JSON, its global position as id."""
    payload = json.dumps(event_view(record), ensure_ascii=False, separators=(",", ":"))
    return f"id: {record.global_position}\ndata: {payload}\n\n"


async def feed(
    follower: LogFollower,
    accepts: Filter,
    backlog: Backlog,
    after: int,
    heartbeat: float = HEARTBEAT_SECONDS,
) -> AsyncIterator[str]:
    """Yield SSE messages for the accepted events after a position, then live ones.

    The feed ends (and the browser resumes from its last id) if it falls so
    far behind that its queue overflows.
    """
    subscriber = follower.subscribe(accepts)
    try:
        yield f"retry: {RETRY_MILLISECONDS}\n\n"
        last = after
        for missed in await backlog(after):
            if missed.global_position > last:
                last = missed.global_position
                yield format_event(missed)
        while not subscriber.overflowed:
            record = await subscriber.next(heartbeat)
            if record is None:
                yield ": keep-alive\n\n"
            elif record.global_position > last:
                last = record.global_position
                yield format_event(record)
    finally:
        follower.unsubscribe(subscriber)


def feed_response(messages: AsyncIterator[str]) -> StreamingResponse:
    """Return the answer that streams a feed's messages to the browser."""
    return StreamingResponse(messages, media_type=EVENT_STREAM, headers=SSE_HEADERS)


async def log_feed(
    request: Request, store: EventStore, follower: LogFollower, accepts: Filter
) -> StreamingResponse:
    """Stream the log's accepted events from where the request resumes, then live."""
    after = resume_position(request, await follower.catch_up())
    backlog = log_backlog(store, follower, accepts)
    return feed_response(feed(follower, accepts, backlog, after))
