"""The API's OpenAPI 3.1 description, served at /openapi.json.

Written by hand, next to the handlers it describes, so that the fuzz test
(schemathesis) can send every documented request shape and the documented
answers can be checked against what the handlers do.
"""

from __future__ import annotations

from typing import Any, Final

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

_STRING: Final = {"type": "string"}
_NULLABLE_STRING: Final = {"type": ["string", "null"]}
_ERROR: Final = {"$ref": "#/components/schemas/Error"}
_GAME_ID: Final = {
    "name": "game_id",
    "in": "path",
    "required": True,
    "schema": {"type": "string", "maxLength": 64},
}
_SEAT_AUTH: Final[list[dict[str, list[str]]]] = [{"seatToken": []}]
_PLAYER_SECRETS: Final = {
    "type": "array",
    "maxItems": 50,
    "items": {"type": "string", "maxLength": 200},
    "description": "secrets of the claimed names this client plays under",
}


def _limit(default: int, maximum: int) -> dict[str, Any]:
    return {
        "name": "limit",
        "in": "query",
        "schema": {
            "type": "integer",
            "minimum": 1,
            "maximum": maximum,
            "default": default,
        },
    }


def _position(name: str, description: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "description": description,
        "schema": {"type": "integer", "minimum": 0, "maximum": 10**18},
    }


def _text(name: str, description: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "description": description,
        "schema": {"type": "string", "maxLength": 200},
    }


def _json_body(schema: dict[str, Any]) -> dict[str, Any]:
    return {"required": True, "content": {"application/json": {"schema": schema}}}


def _answer(description: str, schema: dict[str, Any] | None = None) -> dict[str, Any]:
    answer: dict[str, Any] = {"description": description}
    if schema is not None:
        answer["content"] = {"application/json": {"schema": schema}}
    return answer


def _errors(*statuses: int) -> dict[str, Any]:
    reasons = {
        400: "the body is not a JSON object",
        401: "no seat token was sent",
        403: "the token or join secret opens no seat in this game, or a name is "
        "claimed and none of its secrets came (name_taken)",
        404: "there is no such game",
        409: "a rule of the game forbids it (not your turn, column full, game over)",
        413: "the body is too large",
        422: "a field is missing, of the wrong kind, or not acceptable",
        503: "the engine is busy with other requests: try again shortly",
    }
    return {str(status): _answer(reasons[status], _ERROR) for status in statuses}


def _sse(description: str) -> dict[str, Any]:
    return {
        "get": {
            "summary": description,
            "description": "Server-Sent Events; each id is a global position. "
            "Send Last-Event-ID (or ?after=) to resume after it.",
            "parameters": [_position("after", "resume after this global position")],
            "responses": {
                "200": {
                    "description": "an endless event stream",
                    "content": {"text/event-stream": {}},
                }
            },
        }
    }


GAME_PATH: Final = "/api/games/{game_id}"


def _seat_command(summary: str, answer: str, *statuses: int) -> dict[str, Any]:
    return {
        "post": {
            "summary": summary,
            "parameters": [_GAME_ID],
            "security": _SEAT_AUTH,
            "responses": {"200": _answer(answer), **_errors(*statuses)},
        }
    }


def _life_paths() -> dict[str, Any]:
    """Return the paths of a game's life beyond moves (`web.game_life`)."""
    game = "the game as it now stands"
    return {
        GAME_PATH + "/resign": _seat_command(
            "Give the game up; the other player wins.", game, 401, 403, 404, 409
        ),
        GAME_PATH + "/claim": _seat_command(
            "Claim the win: the opponent has not moved on their turn for the "
            "time limit (see claim.after_seconds in the game).",
            game,
            401,
            403,
            404,
            409,
        ),
        GAME_PATH + "/withdraw": _seat_command(
            "Call off a game nobody joined (or a rematch not yet accepted).",
            game,
            401,
            403,
            404,
            409,
        ),
        GAME_PATH + "/rematch": _seat_command(
            "Offer a rematch with colours swapped, or accept the one offered.",
            "the rematch's id and this player's seat in it (same token)",
            401,
            403,
            404,
            409,
        ),
    }


PLAYER_PATHS: Final[dict[str, Any]] = {
    "/api/players": {
        "post": {
            "summary": "Claim a name: the first claim gets the secret that plays "
            "under it (shown once); a client that holds it already gets 200.",
            "requestBody": _json_body(
                {
                    "type": "object",
                    "required": ["player"],
                    "properties": {
                        "player": _STRING,
                        "player_secrets": _PLAYER_SECRETS,
                    },
                }
            ),
            "responses": {
                "200": _answer("the name, held by one of the secrets sent"),
                "201": _answer("the name, claimed, and its secret"),
                **_errors(400, 403, 413, 422),
            },
        }
    },
    "/api/players/links": {
        "post": {
            "summary": "Issue a one-time link (30 minutes) for another device "
            "to play under a name; needs a secret of the name.",
            "requestBody": _json_body(
                {
                    "type": "object",
                    "required": ["player", "secret"],
                    "properties": {"player": _STRING, "secret": _STRING},
                }
            ),
            "responses": {
                "201": _answer("the link, its code and when it expires"),
                **_errors(400, 403, 413, 422),
            },
        }
    },
    "/api/players/devices": {
        "post": {
            "summary": "Bring a device link's code: this device gets a secret "
            "of its own for the name.",
            "requestBody": _json_body(
                {
                    "type": "object",
                    "required": ["player", "code"],
                    "properties": {"player": _STRING, "code": _STRING},
                }
            ),
            "responses": {
                "201": _answer("the name and this device's secret"),
                **_errors(400, 403, 413, 422),
            },
        }
    },
}

SCHEMA: Final[dict[str, Any]] = {
    "openapi": "3.1.0",
    "info": {
        "title": "connect-four",
        "version": "1",
        "description": "Event-sourced Connect Four: open, join and play games; "
        "read every stored event. Live feeds: the Server-Sent Events paths "
        "below, or all of them on one WebSocket at /api/live (JSON frames "
        "subscribe/unsubscribe; see docs/web.md, 'Live updates').",
    },
    "components": {
        "securitySchemes": {"seatToken": {"type": "http", "scheme": "bearer"}},
        "schemas": {
            "Error": {
                "type": "object",
                "required": ["error", "message"],
                "properties": {"error": _STRING, "message": _STRING},
            },
            "Game": {"type": "object", "required": ["game_id", "status", "board"]},
            "Opening": {
                "type": "object",
                "required": ["game_id", "seats", "invite_url", "watch_url"],
            },
        },
    },
    "paths": {
        **PLAYER_PATHS,
        "/api/games": {
            "post": {
                "summary": "Open a game: two names give two seat tokens; one name "
                "gives a seat token and an invite link for the second player; one "
                "name and a computer level give a seat against the computer.",
                "requestBody": _json_body(
                    {
                        "type": "object",
                        "required": ["player_one"],
                        "properties": {
                            "player_one": _STRING,
                            "player_two": _NULLABLE_STRING,
                            "computer": _NULLABLE_STRING,
                            "player_secrets": _PLAYER_SECRETS,
                            "computer_first": {"type": ["boolean", "null"]},
                        },
                    }
                ),
                "responses": {
                    "201": _answer(
                        "the game, its seats and invite",
                        {"$ref": "#/components/schemas/Opening"},
                    ),
                    **_errors(400, 403, 413, 422),
                },
            },
            "get": {
                "summary": "List the newest games: waiting, playing and finished.",
                "parameters": [
                    {
                        "name": "status",
                        "in": "query",
                        "schema": {"enum": ["waiting", "playing", "finished"]},
                    },
                    _limit(50, 500),
                    {
                        "name": "offset",
                        "in": "query",
                        "description": "games to skip",
                        "schema": {"type": "integer", "minimum": 0, "maximum": 10**9},
                    },
                ],
                "responses": {"200": _answer("games"), **_errors(422)},
            },
        },
        GAME_PATH: {
            "get": {
                "summary": "Return a game's state.",
                "parameters": [_GAME_ID],
                "responses": {
                    "200": _answer("the game", {"$ref": "#/components/schemas/Game"}),
                    **_errors(404),
                },
            }
        },
        GAME_PATH + "/join": {
            "post": {
                "summary": "Take seat two with the invite's join secret.",
                "parameters": [_GAME_ID],
                "requestBody": _json_body(
                    {
                        "type": "object",
                        "required": ["player", "secret"],
                        "properties": {
                            "player": _STRING,
                            "secret": _STRING,
                            "player_secrets": _PLAYER_SECRETS,
                        },
                    }
                ),
                "responses": {
                    "200": _answer("the seat token"),
                    **_errors(400, 403, 404, 409, 413, 422),
                },
            }
        },
        GAME_PATH + "/moves": {
            "post": {
                "summary": "Drop a token; needs the seat token of the player to move.",
                "description": "With move_number (the move's number in the game, "
                "from 1) the request can be sent again safely: the same move under "
                "the same number is stored once and every answer is the same, the "
                "game right after that move; a number the game has passed with "
                "another move, or not reached, gets 409 move_number_taken.",
                "parameters": [_GAME_ID],
                "security": _SEAT_AUTH,
                "requestBody": _json_body(
                    {
                        "type": "object",
                        "required": ["column"],
                        "properties": {
                            "column": {"enum": list("ABCDEFG")},
                            "move_number": {
                                "type": ["integer", "null"],
                                "minimum": 1,
                                "maximum": 42,
                            },
                        },
                    }
                ),
                "responses": {
                    "200": _answer(
                        "the game right after the move",
                        {"$ref": "#/components/schemas/Game"},
                    ),
                    **_errors(400, 401, 403, 404, 409, 413, 422),
                },
            }
        },
        GAME_PATH + "/forks": {
            "post": {
                "summary": "Open a new game at the position after the first moves.",
                "parameters": [_GAME_ID],
                "requestBody": _json_body(
                    {
                        "type": "object",
                        "required": ["moves"],
                        "properties": {
                            "moves": {"type": "integer", "minimum": 0, "maximum": 42},
                            "player_secrets": _PLAYER_SECRETS,
                        },
                    }
                ),
                "responses": {
                    "201": _answer(
                        "the new game and both its seats",
                        {"$ref": "#/components/schemas/Opening"},
                    ),
                    **_errors(400, 403, 404, 409, 413, 422),
                },
            }
        },
        **_life_paths(),
        GAME_PATH + "/computer": {
            "post": {
                "summary": "Ask the computer to move, if it holds the seat to move.",
                "description": "Answers at once; the move follows on the live "
                "feed. Asking twice still makes one move.",
                "parameters": [_GAME_ID],
                "responses": {
                    "202": _answer("whether it is the computer's turn"),
                    **_errors(404),
                },
            }
        },
        GAME_PATH + "/hints": {
            "get": {
                "summary": "Return each column's worth to the player to move.",
                "description": "Only for the holder of the seat whose turn it is."
                " Per column: the solver's score (null if no search finished"
                " within the budget), whether it is exact, and plain words (win"
                " in N, draw, lose in N). Stores nothing. The work is bounded: the"
                " opening book first, then about 1 s of search, one request at a"
                " time; a request that waits 5 s for the engine gets 503.",
                "parameters": [_GAME_ID],
                "security": [{"seatToken": []}],
                "responses": {
                    "200": _answer("the worth of each legal column"),
                    **_errors(401, 403, 404, 409, 503),
                },
            }
        },
        GAME_PATH + "/verdicts": {
            "get": {
                "summary": "Return the engine's verdict on every move so far.",
                "description": "Each move: best, good, inaccuracy, mistake,"
                " blunder or unknown, with the worth it kept and the best there"
                " was. Stores nothing; about 2 s of search per game at most,"
                " cached.",
                "parameters": [_GAME_ID],
                "responses": {
                    "200": _answer("the moves with their verdicts"),
                    **_errors(404, 503),
                },
            }
        },
        GAME_PATH + "/events": {
            "get": {
                "summary": "Return a game's stored events.",
                "parameters": [_GAME_ID],
                "responses": {"200": _answer("events"), **_errors(404)},
            }
        },
        GAME_PATH + "/live": _sse("Follow a game's events live."),
        "/api/lobby/live": _sse("Follow every game's events live."),
        "/api/log/live": _sse("Follow the whole log live."),
        "/api/leaderboard": {
            "get": {
                "summary": "Return players by Elo rating over finished games.",
                "parameters": [_limit(20, 500)],
                "responses": {"200": _answer("players"), **_errors(422)},
            }
        },
        "/api/computer": {
            "get": {
                "summary": "Return the computer opponent's levels, weakest first.",
                "responses": {"200": _answer("levels")},
            }
        },
        "/api/log": {
            "get": {
                "summary": "Return a page of the global log after a position.",
                "parameters": [
                    _position("after", "exclusive"),
                    _position("before", "the last events before it; not with after"),
                    _limit(50, 500),
                ],
                "responses": {"200": _answer("events"), **_errors(422)},
            }
        },
        "/api/streams": {
            "get": {
                "summary": "Return a page of the streams, most recently written first.",
                "parameters": [
                    _text("prefix", "names that start with it"),
                    _text("search", "names that hold it, either case"),
                    _position("offset", "streams to skip"),
                    _limit(100, 500),
                ],
                "responses": {"200": _answer("streams"), **_errors(422)},
            }
        },
        "/api/streams/{stream}": {
            "get": {
                "summary": "Return a page of one stream's events.",
                "parameters": [
                    {
                        "name": "stream",
                        "in": "path",
                        "required": True,
                        "description": "the stream's name, percent-encoded"
                        " (a '/' in it as %2F)",
                        "schema": _STRING,
                    },
                    _position("from", "first stream position"),
                    _limit(100, 500),
                ],
                "responses": {"200": _answer("events"), **_errors(422)},
            }
        },
        "/api/projections": {
            "get": {
                "summary": "Return each read model's checkpoint and lag.",
                "responses": {"200": _answer("projections")},
            }
        },
    },
}


async def openapi_schema(request: Request) -> Response:
    """Answer with the API's OpenAPI description."""
    return JSONResponse(SCHEMA)
