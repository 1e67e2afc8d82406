"""Live feeds of stored events, resumable by position, and their SSE form.

`records` is the heart of every live feed, the WebSocket's (`live_socket`)
and the Server-Sent Events endpoints' alike: the events a filter accepts
after a global position, first those the store holds, then live ones from
the follower, each exactly once. A client that loses its connection (a
network blip, a server restart) resumes after the last position it saw, so
nothing is lost and nothing shown twice, whichever server process answers.

In the SSE form each message's `id` is the event's global position, which
a browser sends back as `Last-Event-ID` when it reconnects.
"""

from __future__ import annotations

import json
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
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


@dataclass(frozen=True, slots=True)
class Feed:
    """A named feed: which events (a filter, and their backlog), and its start."""

    name: str
    accepts: Filter
    backlog: Backlog
    start: int
    """Where the feed starts when its client names no position: now."""


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


async def records(
    follower: LogFollower,
    accepts: Filter,
    backlog: Backlog,
    after: int,
    heartbeat: float = HEARTBEAT_SECONDS,
) -> AsyncGenerator[RecordedEvent | None, None]:
    """Yield the accepted events after a position, then live ones, each once.

    None comes when nothing happened for `heartbeat` seconds (time for a
    keep-alive). The order of work makes the hand-over exact: subscribe to
    the follower (queueing everything after its position), note that
    position, take the missed events up to it from the store, then drain the
    queue, skipping any position already yielded. The stream ends if the
    queue overflows; its reader resumes from the last position it got.
    """
    subscriber = follower.subscribe(accepts)
    try:
        until = follower.position
        last = after
        for missed in await backlog(after):
            if last < missed.global_position <= until:
                last = missed.global_position
                yield missed
        while not subscriber.overflowed:
            record = await subscriber.next(heartbeat)
            if record is None:
                yield None
            elif record.global_position > last:
                last = record.global_position
                yield record
    finally:
        follower.unsubscribe(subscriber)


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
    yield f"retry: {RETRY_MILLISECONDS}\n\n"
    found = records(follower, accepts, backlog, after, heartbeat)
    try:
        async for record in found:
            yield ": keep-alive\n\n" if record is None else format_event(record)
    finally:
        await found.aclose()


def feed_response(messages: AsyncIterator[str]) -> StreamingResponse:
    """Return the answer that streams a feed's messages to the browser."""
    return StreamingResponse(messages, media_type=EVENT_STREAM, headers=SSE_HEADERS)


def event_stream(
    request: Request, follower: LogFollower, found: Feed
) -> StreamingResponse:
    """Stream a feed from where the request resumes (else its start), then live."""
    after = resume_position(request, found.start)
    return feed_response(feed(follower, found.accepts, found.backlog, after))
