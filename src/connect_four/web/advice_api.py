"""The engine's advice over HTTP: hints for the player to move, verdicts on moves.

Both are reads that store nothing. Their work is bounded by the adviser (a
node budget per request, the opening book first, one search at a time, a
cache of recent answers): see `connect_four.ai.advice` and docs/web.md.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from connect_four.application.advice import Hints, JudgedMove, Worth
from connect_four.eventsourcing.codec import JSONObject
from connect_four.web import body
from connect_four.web.context import context_of


async def hints(request: Request) -> Response:
    """Return each column's worth to the player whose seat token comes along."""
    context = context_of(request)
    game_id = request.path_params["game_id"]
    token = body.seat_token(request)
    found = await run_in_threadpool(context.advice.hints_for_seat, game_id, token)
    return JSONResponse(hints_view(found))


async def verdicts(request: Request) -> Response:
    """Return the engine's verdict on every move of a game so far."""
    context = context_of(request)
    game_id = request.path_params["game_id"]
    judged = await run_in_threadpool(context.advice.verdicts, game_id)
    return JSONResponse(
        {"game_id": game_id, "moves": [judged_view(move) for move in judged]}
    )


def hints_view(found: Hints) -> JSONObject:
    """Return hints as JSON: per column, the score, its kind and plain words."""
    return {
        "game_id": found.game_id,
        "player": found.player,
        "moves": found.moves,
        "columns": {
            str(column): {**worth_view(worth), "words": found.words(column)}
            for column, worth in found.columns.items()
        },
    }


def judged_view(move: JudgedMove) -> JSONObject:
    """Return one judged move as JSON, worths from the mover's side."""
    return {
        "number": move.number,
        "player": move.player,
        "column": str(move.column),
        "verdict": str(move.verdict),
        "kept": worth_view(move.kept),
        "best": worth_view(move.best),
        "mistake": move.mistake,
    }


def worth_view(worth: Worth) -> JSONObject:
    """Return a worth: its score (null if unknown), exactness and short text."""
    return {"score": worth.score, "exact": worth.exact, "text": str(worth)}


ROUTES = [
    Route("/api/games/{game_id}/hints", hints, methods=["GET"]),
    Route("/api/games/{game_id}/verdicts", verdicts, methods=["GET"]),
]
