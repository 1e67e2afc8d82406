"""Refuse WebSockets opened by another site's pages.

Browsers let any page open a WebSocket to any server, sending the server's
cookies and reaching servers on this machine (cross-site WebSocket
hijacking); no same-origin rule or CORS check stands in the way. What tells
such a socket apart is its `Origin` header, which browsers always send and
scripts cannot change: a page of this server opens sockets from its own
origin, whose host and port are those the `Host` header names. So a
WebSocket handshake whose `Origin` names another host or port (or `null`,
as sandboxed and `file:` pages send) is refused with 403 before the app
sees it. Clients that are not browsers send no `Origin` and pass: they are
not another site's page acting for a visitor.

A proxy in front must pass the `Host` header as the browser sent it, port
included (nginx: `proxy_set_header Host $http_host`, as in `deploy/nginx/`).
"""

from __future__ import annotations

from typing import Final
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Receive, Scope, Send

from connect_four.web.errors import refuse_handshake

DEFAULT_PORTS: Final = {"http": 80, "https": 443, "ws": 80, "wss": 443}


def origin_address(origin: str) -> tuple[str, int | None] | None:
    """Return the host and port of an `Origin` header (None: not a web origin)."""
    try:
        parts = urlsplit(origin.strip())
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
        return None
    if port is None or port == DEFAULT_PORTS[parts.scheme]:
        port = None
    return parts.hostname.lower().rstrip("."), port


def host_address(host: str) -> tuple[str, int | None] | None:
    """Return the host and port of a `Host` header (default ports as None)."""
    address = origin_address(f"http://{host.strip()}")
    if address is None or address[1] != DEFAULT_PORTS["https"]:
        return address
    return address[0], None  # served through HTTPS on its default port


def is_same_origin(origin: str | None, host: str) -> bool:
    """Return whether a handshake's `Origin` is the origin `Host` names.

    No `Origin` at all is a client other than a browser's page: allowed.
    """
    if origin is None:
        return True
    address = origin_address(origin)
    return address is not None and address == host_address(host)


class SameOriginWebSocketMiddleware:
    """Refuse every WebSocket handshake whose `Origin` is another site."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the handshake on if it comes from this origin; refuse it otherwise."""
        if scope["type"] != "websocket":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        origin = headers.get(b"origin")
        host = headers.get(b"host", b"").decode("latin-1")
        shown = None if origin is None else origin.decode("latin-1")
        if is_same_origin(shown, host):
            await self.app(scope, receive, send)
            return
        message = (
            f"a page of {str(shown)[:100]!r} may not open a live connection here:"
            " only this server's own pages may"
        )
        await refuse_handshake(
            scope, receive, send, 403, "cross_site_websocket", message
        )
