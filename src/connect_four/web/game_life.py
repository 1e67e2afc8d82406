"""The HTTP API for a game's life beyond moves: resign, claim, call off, rematch.

Each handler reads the seat token, calls one `GameLife` command in a worker
thread and answers with the game as it now stands (or, for a rematch, the
seat in the new game). Refusals come from the error table in `errors`.
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from connect_four.eventsourcing.codec import JSONObject
from connect_four.web import body
from connect_four.web.context import WebContext, context_of
from connect_four.web.views import game_view


def full_view(context: WebContext, game_id: str) -> JSONObject:
    """Return a game's view with its claim clock (from a worker thread)."""
    seated = context.tables.look(game_id)
    return game_view(seated, context.life.claim_after)


async def _command(request: Request, command: Callable[[str, str], None]) -> Response:
    context = context_of(request)
    game_id = request.path_params["game_id"]
    token = body.seat_token(request)
    await run_in_threadpool(command, game_id, token)
    return JSONResponse(await run_in_threadpool(full_view, context, game_id))


async def resign(request: Request) -> Response:
    """Give the game up for the seat whose token comes with the request."""
    return await _command(request, context_of(request).life.resign)


async def claim_win(request: Request) -> Response:
    """Claim the win from an opponent who has not moved on their turn for too long."""
    return await _command(request, context_of(request).life.claim_win)


async def withdraw(request: Request) -> Response:
    """Call off a game nobody joined: its invite opens no seat any more."""
    return await _command(request, context_of(request).life.withdraw)


async def rematch(request: Request) -> Response:
    """Offer a rematch with colours swapped, or accept the one the other offered."""
    context = context_of(request)
    game_id = request.path_params["game_id"]
    token = body.seat_token(request)
    asked = await run_in_threadpool(context.life.rematch, game_id, token)
    page = f"{str(request.base_url).rstrip('/')}/games/{asked.game_id}"
    return JSONResponse(
        {
            "game_id": asked.game_id,
            "rematch_of": game_id,
            "started": asked.started,
            "seat": {
                "seat": int(asked.seat.seat),
                "player": asked.seat.player,
                "token": asked.seat.token,
            },
            "watch_url": page,
        }
    )


ROUTES = [
    Route("/api/games/{game_id}/resign", resign, methods=["POST"]),
    Route("/api/games/{game_id}/claim", claim_win, methods=["POST"]),
    Route("/api/games/{game_id}/withdraw", withdraw, methods=["POST"]),
    Route("/api/games/{game_id}/rematch", rematch, methods=["POST"]),
]
