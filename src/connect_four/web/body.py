"""Read what a request sends: its JSON body, query numbers and the seat token."""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request

from connect_four.domain.board import Column
from connect_four.web.errors import (
    InvalidFieldError,
    MalformedRequestError,
    SeatTokenMissingError,
)


async def json_object(request: Request) -> dict[str, Any]:
    """Return the request's body, which must be a JSON object.

    Raises:
        MalformedRequestError: the body is not declared as JSON, is not JSON,
            or is not an object.
    """
    media_type = request.headers.get("content-type", "").split(";")[0].strip()
    if media_type.lower() != "application/json":
        raise MalformedRequestError(
            "send a JSON object with the header 'Content-Type: application/json'"
        )
    raw = await request.body()
    try:
        body = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise MalformedRequestError(f"the body is not valid JSON ({exc})") from None
    except ValueError:
        # An integer of more digits than Python converts (sys.int_info), sent
        # to make the server spend time on it: not a number any field takes.
        raise MalformedRequestError("the body holds a number too long") from None
    except RecursionError:
        raise MalformedRequestError("the body is nested too deeply") from None
    if not isinstance(body, dict):
        raise MalformedRequestError("the body must be a JSON object")
    return body


def text(body: dict[str, Any], name: str) -> str:
    """Return a required string field.

    Raises:
        InvalidFieldError: it is missing or not a string.
    """
    value = body.get(name)
    if not isinstance(value, str):
        raise InvalidFieldError(name, "is required and must be a string")
    return value


def optional_text(body: dict[str, Any], name: str) -> str | None:
    """Return a string field that may be missing or null.

    Raises:
        InvalidFieldError: it is there but not a string.
    """
    value = body.get(name)
    if value is not None and not isinstance(value, str):
        raise InvalidFieldError(name, "must be a string or null")
    return value


def optional_flag(body: dict[str, Any], name: str) -> bool:
    """Return a true/false field; absent or null is false.

    Raises:
        InvalidFieldError: it is there but neither true, false nor null.
    """
    value = body.get(name)
    if value is None:
        return False
    if not isinstance(value, bool):
        raise InvalidFieldError(name, "must be true or false")
    return value


def whole_number(body: dict[str, Any], name: str, low: int, high: int) -> int:
    """Return a required integer field within bounds.

    Raises:
        InvalidFieldError: it is missing, not an integer, or out of bounds.
    """
    value = body.get(name)
    if isinstance(value, int) and not isinstance(value, bool) and low <= value <= high:
        return value
    raise InvalidFieldError(name, f"must be a whole number from {low} to {high}")


def optional_whole_number(
    body: dict[str, Any], name: str, low: int, high: int
) -> int | None:
    """Return an integer field within bounds, or None if it is absent or null.

    Raises:
        InvalidFieldError: it is there but not an integer, or out of bounds.
    """
    if body.get(name) is None:
        return None
    return whole_number(body, name, low, high)


def column(body: dict[str, Any]) -> Column:
    """Return the column a move names, a letter from A to G.

    Raises:
        InvalidFieldError: it is missing or names no column.
    """
    value = body.get("column")
    if isinstance(value, str) and value.upper() in Column.__members__:
        return Column(value.upper())
    raise InvalidFieldError("column", "must be one of the letters A to G")


def query_number(request: Request, name: str, default: int, low: int, high: int) -> int:
    """Return an integer query parameter within bounds, or its default if absent.

    Raises:
        InvalidFieldError: it is not an integer within bounds.
    """
    raw = request.query_params.get(name)
    if raw is None:
        return default
    raw = raw.strip()
    if not is_small_number(raw) or not low <= int(raw) <= high:
        raise InvalidFieldError(name, f"must be a whole number from {low} to {high}")
    return int(raw)


def is_small_number(raw: str) -> bool:
    """Return whether text is a non-negative integer of at most 18 ASCII digits."""
    return raw.isascii() and raw.isdigit() and len(raw) <= 18


def seat_token(request: Request) -> str:
    """Return the bearer token from the Authorization header.

    Raises:
        SeatTokenMissingError: there is none.
    """
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise SeatTokenMissingError
    return token


MAX_PLAYER_SECRETS = 50
"""Player secrets one request may bring: the names one device plays under."""
MAX_SECRET_LENGTH = 200
"""The longest secret read; the server's own are 43 characters."""


def player_secrets(body: dict[str, Any]) -> tuple[str, ...]:
    """Return the player secrets a request brings (`player_secrets`), maybe none.

    Raises:
        InvalidFieldError: it is there but not a short list of short strings.
    """
    value = body.get("player_secrets")
    if value is None:
        return ()
    if (
        not isinstance(value, list)
        or len(value) > MAX_PLAYER_SECRETS
        or not all(
            isinstance(item, str) and len(item) <= MAX_SECRET_LENGTH for item in value
        )
    ):
        raise InvalidFieldError(
            "player_secrets",
            f"must be a list of at most {MAX_PLAYER_SECRETS} strings",
        )
    return tuple(value)
