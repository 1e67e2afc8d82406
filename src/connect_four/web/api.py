"""The HTTP API for games: open, join, move, fork, read, list, and follow live.

Each handler parses its input, calls one application service in a worker
thread (the stores are synchronous; the event loop must never wait on them)
and renders JSON. A game's commands and reads go to the worker by
`asyncio.to_thread` (the event loop's own pool, the request's context vars
copied), not Starlette's `run_in_threadpool`: anyio's capacity limiter and
cancel scopes cost about 35 µs of CPU more a trip (docs/benchmarks.md, the
move path). The lobby's lists, which may wait for the read models to catch
up (long after a restart over a large log), and the engine's first load
keep Starlette's pool: the loop's few threads stay free for moves. Errors are
answered by the table in `errors`, so a handler reads as the success path
only. Every write goes through `TableService` (and so through
`ConnectFourApp` and the repositories); a GET writes nothing.
"""

from __future__ import annotations

import asyncio
from functools import partial

from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from connect_four.ai import opponent
from connect_four.application.tables import SeatedGame
from connect_four.web import body, feeds
from connect_four.web.context import WebContext, context_of
from connect_four.web.errors import InvalidFieldError
from connect_four.web.listings import STATUSES
from connect_four.web.live import event_stream
from connect_four.web.views import event_view, game_view, opening_view

MAX_GAME_MOVES = 42
MAX_OFFSET = 10**9
"""Games to skip in a list: far more than any store holds."""


async def open_game(request: Request) -> Response:
    """Open a game: both names give two seats, one name a seat and an invite."""
    context = context_of(request)
    data = await body.json_object(request)
    player_one = body.text(data, "player_one")
    player_two = body.optional_text(data, "player_two")
    computer = body.optional_text(data, "computer")
    computer_first = body.optional_flag(data, "computer_first")
    secrets = body.player_secrets(data)
    tables = context.tables
    if computer_first and computer is None:
        raise InvalidFieldError("computer_first", "needs a computer level")
    if computer is not None:
        if player_two is not None:
            raise InvalidFieldError("computer", "cannot be asked for with player_two")
        opening = await asyncio.to_thread(
            partial(
                tables.open_against_computer,
                computer_first=computer_first,
                secrets=secrets,
            ),
            player_one,
            computer,
        )
        # The computer's first move needs no one to ask: it follows the answer.
        first_move = BackgroundTask(tables.play_computer, opening.game_id)
        return JSONResponse(
            opening_view(opening, str(request.base_url)),
            201,
            background=first_move if computer_first else None,
        )
    if player_two is not None:
        opening = await asyncio.to_thread(
            tables.open_game, player_one, player_two, secrets
        )
    else:
        opening = await asyncio.to_thread(tables.open_with_invite, player_one, secrets)
    return JSONResponse(opening_view(opening, str(request.base_url)), 201)


async def join_game(request: Request) -> Response:
    """Take seat two of a game with its invite's join secret."""
    context = context_of(request)
    game_id = request.path_params["game_id"]
    data = await body.json_object(request)
    player = body.text(data, "player")
    secret = body.text(data, "secret")
    secrets = body.player_secrets(data)
    issued = await asyncio.to_thread(
        context.tables.join, game_id, player, secret, secrets
    )
    return JSONResponse(
        {
            "game_id": game_id,
            "seat": int(issued.seat),
            "player": issued.player,
            "token": issued.token,
        }
    )


async def make_move(request: Request) -> Response:
    """Drop a token for the player whose seat token comes with the request.

    A move that names its `move_number` is stored once however often it is
    sent, and every answer to it is the game right after that move.
    """
    context = context_of(request)
    game_id = request.path_params["game_id"]
    data = await body.json_object(request)
    column = body.column(data)
    number = body.optional_whole_number(data, "move_number", 1, MAX_GAME_MOVES)
    token = body.seat_token(request)
    tables = context.tables

    def move_then_look() -> SeatedGame:
        # One trip to a worker thread, not two: each trip costs the event
        # loop a hand-off and a wake-up.
        tables.move(game_id, token, column, number)
        return tables.look(game_id, number, since_last_look=True)

    seated = await asyncio.to_thread(move_then_look)
    view = game_view(seated, context.life.claim_after)
    return JSONResponse(view, background=computer_turn(context, seated))


async def fork_game(request: Request) -> Response:
    """Open a new game at the position after the original's first moves."""
    context = context_of(request)
    game_id = request.path_params["game_id"]
    data = await body.json_object(request)
    moves = body.whole_number(data, "moves", 0, MAX_GAME_MOVES)
    secrets = body.player_secrets(data)
    opening = await asyncio.to_thread(context.tables.fork, game_id, moves, secrets)
    return JSONResponse(opening_view(opening, str(request.base_url)), 201)


async def show_game(request: Request) -> Response:
    """Return a game's state, players, moves and positions."""
    context = context_of(request)
    game_id = request.path_params["game_id"]
    seated = await asyncio.to_thread(context.tables.look, game_id)
    return JSONResponse(game_view(seated, context.life.claim_after))


async def play_computer(request: Request) -> Response:
    """Ask the computer to move if it is its turn; answer at once, move after.

    A page that finds the computer to move (after a server restart lost the
    move it was about to make, say) asks for it here: asking twice, or from
    two pages, still makes one move.
    """
    context = context_of(request)
    game_id = request.path_params["game_id"]
    seated = await asyncio.to_thread(context.tables.look, game_id)
    return JSONResponse(
        {"game_id": game_id, "computers_turn": seated.computers_turn},
        202,
        background=computer_turn(context, seated),
    )


def computer_turn(context: WebContext, seated: SeatedGame) -> BackgroundTask | None:
    """Return a task that makes the computer's move, if it is the computer's turn.

    It runs after the answer is sent, so the player sees their own move at
    once and the computer's through the live feed.
    """
    if not seated.computers_turn:
        return None
    return BackgroundTask(context.tables.play_computer, seated.game_id)


async def computer_levels(request: Request) -> Response:
    """Return the levels of the computer opponent (none if it is not installed)."""
    levels = await run_in_threadpool(opponent.computer_levels)
    return JSONResponse({"levels": list(levels)})


async def list_games(request: Request) -> Response:
    """Return a page of the most recently active games, optionally of one status."""
    context = context_of(request)
    status = request.query_params.get("status")
    if status is not None and status not in STATUSES:
        raise InvalidFieldError("status", "must be one of " + ", ".join(STATUSES))
    limit = body.query_number(request, "limit", 50, 1, 500)
    offset = body.query_number(request, "offset", 0, 0, MAX_OFFSET)
    position = await context.follower.catch_up()
    await run_in_threadpool(context.listings.catch_up)
    games = await run_in_threadpool(context.listings.games, status, limit, offset)
    return JSONResponse({"games": games, "position": position})


async def leaderboard(request: Request) -> Response:
    """Return players by Elo rating over finished games."""
    context = context_of(request)
    limit = body.query_number(request, "limit", 20, 1, 500)
    position = await context.follower.catch_up()
    await run_in_threadpool(context.listings.catch_up)
    players = await run_in_threadpool(context.listings.leaderboard, limit)
    return JSONResponse({"players": players, "position": position})


async def game_events(request: Request) -> Response:
    """Return a game's stored events, each with its positions and metadata."""
    context = context_of(request)
    game_id = request.path_params["game_id"]
    seated = await asyncio.to_thread(context.tables.look, game_id)
    return JSONResponse(
        {"game_id": game_id, "events": [event_view(r) for r in seated.records]}
    )


async def game_live(request: Request) -> Response:
    """Stream a game's events (and its seats') as Server-Sent Events."""
    context = context_of(request)
    found = await feeds.game_feed(context, request.path_params["game_id"])
    return event_stream(request, context.follower, found)


async def lobby_live(request: Request) -> Response:
    """Stream every game's and seat's events, for the lobby, as Server-Sent Events."""
    context = context_of(request)
    return event_stream(request, context.follower, await feeds.lobby_feed(context))


ROUTES = [
    Route("/api/games", open_game, methods=["POST"]),
    Route("/api/games", list_games, methods=["GET"]),
    Route("/api/games/{game_id}", show_game, methods=["GET"]),
    Route("/api/games/{game_id}/join", join_game, methods=["POST"]),
    Route("/api/games/{game_id}/moves", make_move, methods=["POST"]),
    Route("/api/games/{game_id}/forks", fork_game, methods=["POST"]),
    Route("/api/games/{game_id}/computer", play_computer, methods=["POST"]),
    Route("/api/games/{game_id}/events", game_events, methods=["GET"]),
    Route("/api/games/{game_id}/live", game_live, methods=["GET"]),
    Route("/api/lobby/live", lobby_live, methods=["GET"]),
    Route("/api/leaderboard", leaderboard, methods=["GET"]),
    Route("/api/computer", computer_levels, methods=["GET"]),
]
