"""Watch every request once: its route, status, time, error kind and commands.

`ObserveRequests` is the outermost middleware. It gives each request a
`RequestRecord`, reachable from anywhere the request's work runs (worker
threads included) through `current_request()`, so that the store's decorator
can note the commands a request stored and their correlation ids. When the
answer is complete the record goes to each sink: the access log and the
metrics. Live feeds (Server-Sent Events, and the live WebSocket, logged as
its handshake's `GET` with status 101) are reported when they open and when
they close, so the metrics can count the connections open now.

The record never holds the query string or any header: a query may carry a
secret, and headers carry seat tokens. Only the path is kept.
"""

from __future__ import annotations

import json
import re
import time
import uuid
from collections.abc import Callable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Final

from starlette.types import ASGIApp, Message, Receive, Scope, Send

REQUEST_ID_HEADER: Final = "x-request-id"
"""A request id a proxy chose (nginx's `$request_id`) is kept; else one is made."""
_REQUEST_ID: Final = re.compile(r"[A-Za-z0-9._-]{1,64}")
_ERROR_BODY_LIMIT: Final = 4096
"""Bytes of an error answer read to find its kind; error answers are small."""
OPERATIONS_PATHS: Final = frozenset({"/healthz", "/readyz", "/metrics"})
"""Probes and scrapes: frequent and dull, so they are logged only at debug level."""


@dataclass(slots=True)
class CommandNote:
    """A command a request stored, as its events' metadata names it."""

    command: str
    correlation_id: str | None
    causation_id: str | None
    streams: list[str] = field(default_factory=list)
    events: int = 0


@dataclass(slots=True)
class RequestRecord:
    """What is known about one request; filled in as it runs."""

    method: str
    path: str
    client: str | None
    request_id: str
    started: float
    route: str | None = None
    """The route's path template (`/api/games/{game_id}`), once routed."""
    status: int | None = None
    error: str | None = None
    """The `error` kind of a JSON error answer."""
    duration: float = 0.0
    streaming: bool = False
    """Whether the answer is a live feed (Server-Sent Events or the WebSocket)."""
    commands: list[CommandNote] = field(default_factory=list)
    game_id: str | None = None
    """The game the path names, if any (a refused command stores no event)."""

    def note_append(
        self, facts: dict[str, str], stream: str, events: int
    ) -> CommandNote:
        """Record an append the request made; appends of one command share a note.

        A command is known by its causation id, which all its events share.
        """
        causation = facts.get("causation_id")
        for note in self.commands:
            if causation is not None and note.causation_id == causation:
                break
        else:
            note = CommandNote(
                facts.get("command", "append"), facts.get("correlation_id"), causation
            )
            self.commands.append(note)
        note.streams.append(stream)
        note.events += events
        return note

    @property
    def is_operations(self) -> bool:
        """Return whether this is a health probe or a metrics scrape."""
        return self.path in OPERATIONS_PATHS

    @property
    def correlation_ids(self) -> list[str]:
        """Return the correlation ids of the commands, each once, in order."""
        ids = (note.correlation_id for note in self.commands if note.correlation_id)
        return list(dict.fromkeys(ids))


_current: ContextVar[RequestRecord | None] = ContextVar("request", default=None)


def current_request() -> RequestRecord | None:
    """Return the record of the request being served here, if any."""
    return _current.get()


Sink = Callable[[RequestRecord], None]
"""Called once with each finished request's record."""
StreamHook = Callable[[RequestRecord, int], None]
"""Called with +1 when a live feed opens and -1 when it closes."""


class ObserveRequests:
    """Record each HTTP request, then hand the record to every sink."""

    def __init__(
        self,
        app: ASGIApp,
        sinks: Sequence[Sink] = (),
        on_stream: Sequence[StreamHook] = (),
        clock: Callable[[], float] = time.perf_counter,
    ) -> None:
        self.app = app
        self.sinks = tuple(sinks)
        self.on_stream = tuple(on_stream)
        self._clock = clock

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve the request, watching its answer go out."""
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        record = new_record(scope, self._clock())
        token = _current.set(record)
        # The answer's body, kept only for a JSON error answer (to read its kind).
        error_body: bytearray | None = None

        async def watching_send(message: Message) -> None:
            nonlocal error_body
            kind = message["type"].removeprefix("websocket.")
            if kind == "http.response.start":
                if self._start(record, message):
                    error_body = bytearray()
            elif kind == "http.response.body" and error_body is not None:
                room = _ERROR_BODY_LIMIT - len(error_body)
                error_body.extend(message.get("body", b"")[:room])
            elif kind in ("accept", "close") and record.status is None:
                self._start_socket(record, accepted=kind == "accept")
            await send(message)

        try:
            await self.app(scope, receive, watching_send)
        finally:
            _current.reset(token)
            record.duration = self._clock() - record.started
            record.route = route_template(scope)
            game_id = dict(scope.get("path_params", {})).get("game_id")
            record.game_id = game_id if isinstance(game_id, str) else None
            if record.status is None:
                record.status = 500  # the app failed before it could answer
            if error_body is not None:
                record.error = error_kind(bytes(error_body))
            if record.streaming:
                for hook in self.on_stream:
                    hook(record, -1)
            for sink in self.sinks:
                sink(record)

    def _start_socket(self, record: RequestRecord, *, accepted: bool) -> None:
        """Note a WebSocket handshake's outcome: accepted (101, open) or refused."""
        record.status = 101 if accepted else 403
        if accepted:
            record.streaming = True
            for hook in self.on_stream:
                hook(record, +1)

    def _start(self, record: RequestRecord, message: Message) -> bool:
        """Note the answer's status and kind; return whether it is a JSON error."""
        record.status = int(message["status"])
        headers = dict(message.get("headers", []))
        content_type = headers.get(b"content-type", b"").decode("latin-1")
        if content_type.startswith("text/event-stream"):
            record.streaming = True
            for hook in self.on_stream:
                hook(record, +1)
        message["headers"] = [
            *message.get("headers", []),
            (b"x-request-id", record.request_id.encode("ascii")),
        ]
        return record.status >= 400 and "json" in content_type


def new_record(scope: Scope, now: float) -> RequestRecord:
    """Return the record of a request that starts now."""
    client = scope.get("client")
    return RequestRecord(
        method=scope.get("method", "GET"),  # a WebSocket's handshake is a GET
        path=scope["path"],
        client=client[0] if client else None,
        request_id=request_id(scope),
        started=now,
    )


def request_id(scope: Scope) -> str:
    """Return the proxy's request id if it is a plain token, else a new one."""
    for name, value in scope.get("headers", []):
        if name == b"x-request-id":
            given = bytes(value).decode("latin-1")
            if _REQUEST_ID.fullmatch(given):
                return given
    return uuid.uuid4().hex


def route_template(scope: Scope) -> str | None:
    """Return the path with its parameters named (`/api/games/{game_id}`), if routed.

    Metrics are labelled by this template, never by the raw path, so that
    their number of series stays bounded whatever paths clients send.
    """
    if "endpoint" not in scope:
        return None
    segments = str(scope["path"]).split("/")
    for name, value in dict(scope.get("path_params", {})).items():
        text = str(value)
        if not text:
            continue
        if "/" in text:
            joined = "/".join(segments)
            if joined.endswith(text):
                segments = [*joined[: -len(text)].split("/")[:-1], f"{{{name}}}"]
            continue
        for index in range(len(segments) - 1, -1, -1):
            if segments[index] == text:
                segments[index] = f"{{{name}}}"
                break
    return "/".join(segments)


def error_kind(body: bytes) -> str | None:
    """Return the `error` field of a JSON error answer, or None."""
    if not body:
        return None
    try:
        answer = json.loads(body)
    except ValueError:
        return None
    kind = answer.get("error") if isinstance(answer, dict) else None
    return kind if isinstance(kind, str) and len(kind) <= 64 else None
