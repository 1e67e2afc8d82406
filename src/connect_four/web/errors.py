"""The web's own errors, and its one table from every error to an HTTP answer.

Every answer to a failed request is JSON, `{"error": kind, "message": text}`,
with a status the table chooses: 400 for a body that is not JSON, 422 for JSON
of the wrong shape or a value no game accepts, 401/403 for a missing or wrong
seat token (or a claimed name without its secret), 404 for an unknown game,
409 for a rule of the game or a concurrent update, 500 for a stored event
that cannot be read, 503 when the store cannot be reached or the engine is
busy with other requests. The 5xx answers are the server's fault, so each is
logged once as well, in one line. Anything else is logged once with its
traceback and shown as a plain failure, without a traceback.
"""

from __future__ import annotations

import logging
from typing import Final

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from connect_four.ai.errors import (
    AIModuleMissingError,
    ComputerUnavailableError,
    UnknownComputerLevelError,
)
from connect_four.application.errors import (
    AdvisorBusyError,
    ApplicationError,
    ForkPositionError,
    NoHintsError,
    NoSeatsError,
    UnknownGameError,
)
from connect_four.domain.exceptions import (
    ClaimOnOwnTurnError,
    ClaimTooEarlyError,
    ConnectFourError,
    GameOverError,
    GameUnderwayError,
    InvalidPlayersError,
    InviteRejectedError,
    InviteUsedError,
    InviteWithdrawnError,
    LinkRejectedError,
    MoveNumberError,
    NameTakenError,
    NoSeatOfferedError,
    RematchNotReadyError,
    SeatTokenRejectedError,
    UnknownColumnError,
    WaitingForOpponentError,
)
from connect_four.eventsourcing.errors import (
    ConcurrencyError,
    EventSourcingError,
    ProjectionStoppedError,
    StoreUnavailableError,
    UnreadableDocumentError,
    UnreadableEventError,
)

logger = logging.getLogger(__name__)


class WebError(Exception):
    """Root of the errors the web adapter raises itself."""


class MalformedRequestError(WebError):
    """The request body is not the JSON object the endpoint reads."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(f"malformed request: {reason}")


class InvalidFieldError(WebError):
    """A field of the request is missing or has a value of the wrong kind."""

    def __init__(self, field: str, reason: str) -> None:
        self.field = field
        self.reason = reason
        super().__init__(f"field {field!r} {reason}")


class BodyTooLargeError(WebError):
    """A request body is larger than the limit."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        super().__init__(f"the request body is larger than {limit} bytes")


class UnknownFeedError(WebError):
    """A live connection asked for a feed this server does not have."""

    def __init__(self, name: str, feeds: str) -> None:
        self.name = name
        super().__init__(f"there is no feed {name[:200]!r}; the feeds are {feeds}")


class AlreadySubscribedError(WebError):
    """A live connection asked a second time for a feed it follows already."""

    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__(
            f"this connection follows the feed {name!r} already;"
            " unsubscribe first to start it again from another position"
        )


class TooManyFeedsError(WebError):
    """A live connection asked for more feeds than one connection may follow."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        super().__init__(f"one connection follows at most {limit} feeds")


class SeatTokenMissingError(WebError):
    """A move needs the seat token of the player making it."""

    def __init__(self) -> None:
        super().__init__(
            "a move needs your seat token in the header 'Authorization: Bearer <token>'"
        )


_STATUS: Final[tuple[tuple[type[Exception], int, str], ...]] = (
    (MalformedRequestError, 400, "malformed_request"),
    (InvalidFieldError, 422, "invalid_field"),
    (InvalidPlayersError, 422, "invalid_players"),
    (UnknownColumnError, 422, "unknown_column"),
    (BodyTooLargeError, 413, "body_too_large"),
    (SeatTokenMissingError, 401, "seat_token_missing"),
    (SeatTokenRejectedError, 403, "seat_token_rejected"),
    (NoSeatsError, 403, "no_seats"),
    (InviteRejectedError, 403, "invite_rejected"),
    (NameTakenError, 403, "name_taken"),
    (LinkRejectedError, 403, "link_rejected"),
    (UnknownGameError, 404, "unknown_game"),
    (UnknownFeedError, 404, "unknown_feed"),
    (AlreadySubscribedError, 409, "already_subscribed"),
    (TooManyFeedsError, 422, "too_many_feeds"),
    (InviteUsedError, 409, "invite_used"),
    (WaitingForOpponentError, 409, "waiting_for_opponent"),
    (ForkPositionError, 409, "fork_position"),
    (NoHintsError, 409, "no_hints"),
    (MoveNumberError, 409, "move_number_taken"),
    (GameOverError, 409, "game_over"),
    (ClaimTooEarlyError, 409, "claim_too_early"),
    (ClaimOnOwnTurnError, 409, "claim_on_own_turn"),
    (InviteWithdrawnError, 409, "invite_withdrawn"),
    (GameUnderwayError, 409, "game_underway"),
    (RematchNotReadyError, 409, "rematch_not_ready"),
    (NoSeatOfferedError, 409, "no_seat_offered"),
    (ConnectFourError, 409, "rule_broken"),
    (ConcurrencyError, 409, "concurrent_update"),
    # A damaged, unknown or impossible stored event is the server's fault, not
    # the request's: no change to the request can succeed, and retrying cannot
    # help (unlike 503). So 500, but with a message that names the stream and
    # the position, for whoever repairs the store.
    (UnreadableEventError, 500, "unreadable_event"),
    # A read model stopped at such an event: the list cannot be complete.
    (ProjectionStoppedError, 500, "unreadable_event"),
    # A read model's stored document edited into something it cannot read:
    # the message says which rebuild writes it again.
    (UnreadableDocumentError, 500, "unreadable_document"),
    (StoreUnavailableError, 503, "store_unavailable"),
    (AdvisorBusyError, 503, "engine_busy"),
)
"""The table: the first row whose class matches an error decides its answer."""


def error_response(status: int, kind: str, message: str) -> JSONResponse:
    """Return the JSON answer every failed request gets."""
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse({"error": kind, "message": message}, status, headers)


def classify(exc: Exception) -> tuple[int, str, str] | None:
    """Return the status, kind and message the table gives an error, if listed."""
    if isinstance(exc, ComputerUnavailableError):
        return 422, "invalid_field", str(_computer_field(exc))
    for cls, status, kind in _STATUS:
        if isinstance(exc, cls):
            return status, kind, str(exc)
    return None


def answer_for(exc: Exception) -> JSONResponse | None:
    """Return the answer the table gives an error, or None if it is not listed."""
    found = classify(exc)
    return None if found is None else error_response(*found)


async def refuse_handshake(
    scope: Scope, receive: Receive, send: Send, status: int, kind: str, message: str
) -> None:
    """Refuse a WebSocket handshake with a JSON answer, where the server can send one.

    A server without the ASGI denial-response extension answers 403 with no body.
    """
    if "websocket.http.response" in scope.get("extensions", {}):
        await error_response(status, kind, message)(scope, receive, send)
        return
    await send({"type": "websocket.close", "code": 1008})


async def handle_known_error(request: Request, exc: Exception) -> Response:
    """Answer a listed error with its status and message; log the server's faults."""
    answer = answer_for(exc)
    if answer is None:
        raise exc
    if answer.status_code >= 500:
        logger.error("%s %s failed: %s", request.method, request.url.path, exc)
    return answer


async def handle_http_exception(request: Request, exc: Exception) -> Response:
    """Answer Starlette's own errors (unknown route, wrong method) as JSON."""
    if not isinstance(exc, HTTPException):
        raise exc
    kind = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http")
    response = error_response(exc.status_code, kind, str(exc.detail))
    if exc.headers:
        response.headers.update(exc.headers)
    return response


class UnexpectedErrorMiddleware:
    """Log an unforeseen failure once and answer plainly, without details.

    Starlette's own last-resort handler answers too, but then re-raises, so the
    server would log the same failure a second time.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Run the app; turn an escaping error into a logged 500 answer."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception:  # the top-level web handler STYLE.md allows
            logger.exception(
                "unexpected failure in %s %s", scope["method"], scope["path"]
            )
            if started:
                return  # the answer is under way: closing it is all that is left
            response = error_response(
                500, "internal_error", "unexpected failure; it was logged"
            )
            await response(scope, receive, send)


def _computer_field(exc: ComputerUnavailableError) -> InvalidFieldError:
    """Return the computer opponent's refusal as the request field it concerns."""
    if isinstance(exc, UnknownComputerLevelError):
        return InvalidFieldError("computer", "must be one of " + ", ".join(exc.levels))
    if isinstance(exc, AIModuleMissingError):
        return InvalidFieldError(
            "computer", "is not available: the AI is not installed"
        )
    return InvalidFieldError("computer", exc.reason)


KNOWN_ERRORS: Final = (
    WebError,
    ConnectFourError,
    ApplicationError,
    ComputerUnavailableError,
    EventSourcingError,
)
"""The error classes the table answers; each becomes an exception handler."""
