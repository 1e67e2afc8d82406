"""`create_app`: the web's composition root, an ASGI app over a ConnectFourApp."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Collection
from datetime import timedelta

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.routing import Route

from connect_four.ai.advice import EngineAdvisor
from connect_four.application import ConnectFourApp
from connect_four.application.advice import AdviceService, Advisor
from connect_four.application.game_life import CLAIM_AFTER, GameLife
from connect_four.application.tables import TableService
from connect_four.eventsourcing.store import EventStore
from connect_four.persistence.tables import table_service
from connect_four.readmodels import ReadModels
from connect_four.web import (
    advice_api,
    api,
    game_life,
    live_socket,
    log_api,
    pages,
    players_api,
)
from connect_four.web.context import WebContext
from connect_four.web.errors import (
    KNOWN_ERRORS,
    UnexpectedErrorMiddleware,
    handle_http_exception,
    handle_known_error,
)
from connect_four.web.follower import POLL_INTERVAL, LogFollower
from connect_four.web.listings import Listings
from connect_four.web.openapi import openapi_schema
from connect_four.web.operations import Operations
from connect_four.web.origin import SameOriginWebSocketMiddleware
from connect_four.web.rate_limit import RateLimit, RateLimitMiddleware
from connect_four.web.security import (
    MAX_BODY_BYTES,
    BodySizeLimitMiddleware,
    SecurityHeadersMiddleware,
)
from connect_four.web.stream_index import StreamIndex
from connect_four.web.trusted_hosts import TrustedHostMiddleware

READ_MODELS_INTERVAL = 0.5
"""Seconds between two catch-ups of the read models when no request asks for one."""


def create_app(
    app: ConnectFourApp,
    store: EventStore,
    read_models: ReadModels,
    *,
    tables: TableService | None = None,
    life: GameLife | None = None,
    claim_after: timedelta = CLAIM_AFTER,
    poll_interval: float = POLL_INTERVAL,
    max_body_bytes: int = MAX_BODY_BYTES,
    rate_limit: RateLimit | None = None,
    allowed_hosts: Collection[str] | None = None,
    operations: Operations | None = None,
    advisor: Advisor | None = None,
) -> Starlette:
    """Return the ASGI app: the HTTP API, the live feeds (WebSocket, SSE), the pages.

    `store` must be the store `app`'s repository writes to: the web reads the
    log from it for the live feeds and the stream browser, and `tables` (by
    default a `TableService` over it, with the computer opponent) keeps the
    seats in it beside the games. The lists come from `read_models` (over the
    same store), which the app keeps current while it runs. The caller owns
    the app, the store and the read models and closes them after the server
    stops. With `rate_limit`, each client address may send commands only that
    fast. With `allowed_hosts`, a request whose `Host` names no other gets
    400 (see `trusted_hosts`); `serve` always passes them. `operations`
    brings the health probes, the metrics, the access log and the shutdown
    of live feeds (a fresh `Operations()` if not given). `advisor` gives
    hints and verdicts (by default an `EngineAdvisor`, whose engine loads on
    the first request that needs a search). `life` (resign, claim the win,
    call off, rematch) must be over `tables`; by default it is, and a player
    may claim the win after `claim_after`.
    """
    operations = operations or Operations()
    streams = StreamIndex()
    follower = LogFollower(store, [streams.apply], poll_interval=poll_interval)
    if tables is None:
        tables = table_service(app, store, operations.computers())
    context = WebContext(
        app=app,
        tables=tables,
        life=life or GameLife(app, tables, claim_after=claim_after),
        store=store,
        follower=follower,
        listings=Listings(read_models, follower),
        streams=streams,
        advice=AdviceService(tables, advisor or EngineAdvisor()),
    )

    @contextlib.asynccontextmanager
    async def lifespan(web: Starlette) -> AsyncIterator[None]:
        running = context_of_app(web)
        tasks = [
            asyncio.create_task(running.follower.run()),
            asyncio.create_task(running.listings.keep_current(READ_MODELS_INTERVAL)),
        ]
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()
            for task in tasks:
                with contextlib.suppress(asyncio.CancelledError):
                    await task

    handlers: dict[type[Exception] | int, object] = dict.fromkeys(
        KNOWN_ERRORS, handle_known_error
    )
    handlers[HTTPException] = handle_http_exception
    web = Starlette(
        routes=[
            Route("/openapi.json", openapi_schema, methods=["GET"]),
            *operations.routes(store, read_models),
            *api.ROUTES,
            *game_life.ROUTES,
            *advice_api.ROUTES,
            *players_api.ROUTES,
            *log_api.ROUTES,
            *live_socket.ROUTES,
            *pages.routes(),
        ],
        middleware=[
            *operations.middleware(),
            Middleware(SecurityHeadersMiddleware),
            *(
                []
                if allowed_hosts is None
                else [Middleware(TrustedHostMiddleware, allowed_hosts)]
            ),
            Middleware(SameOriginWebSocketMiddleware),
            *(
                []
                if rate_limit is None
                else [Middleware(RateLimitMiddleware, rate_limit)]
            ),
            Middleware(UnexpectedErrorMiddleware),
            Middleware(BodySizeLimitMiddleware, max_bytes=max_body_bytes),
        ],
        exception_handlers=handlers,  # type: ignore[arg-type]  # handlers are typed per class
        lifespan=lifespan,
    )
    web.state.context = context
    return web


def context_of_app(web: Starlette) -> WebContext:
    """Return the context of an app built by `create_app`."""
    context = web.state.context
    if not isinstance(context, WebContext):
        raise TypeError("the Starlette app was not built by create_app")
    return context
