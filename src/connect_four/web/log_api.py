"""The HTTP API of the stream browser: the global log, each stream, projections."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from connect_four.web import body, feeds
from connect_four.web.context import context_of
from connect_four.web.errors import InvalidFieldError
from connect_four.web.live import event_stream
from connect_four.web.stream_search import MAX_SEARCH, StreamQuery
from connect_four.web.views import event_view

MAX_PAGE = 500
MAX_POSITION = 10**18


async def read_log(request: Request) -> Response:
    """Return a page of the global log, oldest first.

    The page holds the events after `after`, or with `before` the last ones
    before that position: a reader paging back from the events it shows gets
    the page just older than them, never one that overlaps them.
    """
    context = context_of(request)
    after = body.query_number(request, "after", 0, 0, MAX_POSITION)
    limit = body.query_number(request, "limit", 50, 1, MAX_PAGE)
    before = body.query_number(request, "before", 0, 0, MAX_POSITION)
    if before:
        if "after" in request.query_params:
            raise InvalidFieldError("before", "cannot be given with 'after'")
        # Positions may have gaps: reading from `before - 1 - limit` gives at
        # most `limit` events, all before `before`.
        after = max(0, before - 1 - limit)
        limit = before - 1 - after
    records = (
        await run_in_threadpool(context.store.read_all, after, limit) if limit else []
    )
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
    if not stream:
        raise InvalidFieldError("stream", "names no stream")
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
            "count": start + len(records) if records or not start else None,
        }
    )


async def list_streams(request: Request) -> Response:
    """Return a page of the streams, most recently written first, with event counts.

    `prefix` keeps the streams whose names start with it, `search` those whose
    names hold it (either case); `count` is how many match.
    """
    context = context_of(request)
    query = StreamQuery(
        prefix=_text(request, "prefix"),
        search=_text(request, "search"),
        offset=body.query_number(request, "offset", 0, 0, MAX_POSITION),
        limit=body.query_number(request, "limit", 100, 1, MAX_PAGE),
    )
    position = await context.follower.catch_up()
    page, count = context.streams.page(query)
    return JSONResponse(
        {
            "streams": page,
            "count": count,
            "total": context.streams.count(),
            "offset": query.offset,
            "position": position,
        }
    )


def _text(request: Request, name: str) -> str:
    text = request.query_params.get(name, "")
    if len(text) > MAX_SEARCH:
        raise InvalidFieldError(name, f"must be at most {MAX_SEARCH} characters")
    return text


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
    return event_stream(request, context.follower, await feeds.log_feed(context))


ROUTES = [
    Route("/api/log", read_log, methods=["GET"]),
    Route("/api/log/live", log_live, methods=["GET"]),
    Route("/api/streams", list_streams, methods=["GET"]),
    # A stream's name may hold "/": `player-{name}` holds any name a person
    # chose. Clients encode it as %2F, which the server decodes before routing.
    Route("/api/streams/{stream:path}", read_stream, methods=["GET"]),
    Route("/api/projections", projections, methods=["GET"]),
]
