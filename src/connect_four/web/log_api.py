"""The HTTP API of the stream browser: the global log, each stream, projections."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from connect_four.eventsourcing.events import RecordedEvent
from connect_four.web import body
from connect_four.web.context import context_of
from connect_four.web.live import log_feed
from connect_four.web.views import event_view

MAX_PAGE = 500
MAX_POSITION = 10**18


async def read_log(request: Request) -> Response:
    """Return a page of the global log after a position, oldest first."""
    context = context_of(request)
    after = body.query_number(request, "after", 0, 0, MAX_POSITION)
    limit = body.query_number(request, "limit", 50, 1, MAX_PAGE)
    records = await run_in_threadpool(context.store.read_all, after, limit)
    head = await run_in_threadpool(context.store.last_global_position)
    return JSONResponse(
        {
            "events": [event_view(record) for record in records],
            "next_after": records[-1].global_position if records else after,
            "last_position": head,
        }
    )


async def read_stream(request: Request) -> Response:
    """Return a page of one stream's events from a stream position."""
    context = context_of(request)
    stream = request.path_params["stream"]
    start = body.query_number(request, "from", 0, 0, MAX_POSITION)
    limit = body.query_number(request, "limit", 100, 1, MAX_PAGE)
    records = await run_in_threadpool(context.store.read_stream, stream, start)
    page = records[:limit]
    return JSONResponse(
        {
            "stream": stream,
            "events": [event_view(record) for record in page],
            "next_from": page[-1].stream_position + 1 if page else start,
            "has_more": len(records) > limit,
        }
    )


async def list_streams(request: Request) -> Response:
    """Return the most recently written streams, with their event counts."""
    context = context_of(request)
    limit = body.query_number(request, "limit", 100, 1, MAX_PAGE)
    position = await context.follower.catch_up()
    return JSONResponse(
        {
            "streams": context.streams.streams(limit),
            "count": context.streams.count(),
            "position": position,
        }
    )


async def projections(request: Request) -> Response:
    """Return each read model's checkpoint and how far it lags the log's head."""
    context = context_of(request)
    head = await run_in_threadpool(context.store.last_global_position)
    return JSONResponse(
        {
            "head": head,
            "projections": await run_in_threadpool(context.listings.statuses, head),
        }
    )


async def log_live(request: Request) -> Response:
    """Stream every new event of the log as Server-Sent Events."""
    context = context_of(request)

    def accepts(record: RecordedEvent) -> bool:
        return True

    return await log_feed(request, context.store, context.follower, accepts)


ROUTES = [
    Route("/api/log", read_log, methods=["GET"]),
    Route("/api/log/live", log_live, methods=["GET"]),
    Route("/api/streams", list_streams, methods=["GET"]),
    Route("/api/streams/{stream}", read_stream, methods=["GET"]),
    Route("/api/projections", projections, methods=["GET"]),
]
