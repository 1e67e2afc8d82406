"""Answer only requests addressed to a name this server is served under.

DNS rebinding: a web page on `evil.example` makes its name resolve to
127.0.0.1, then its scripts talk to a server on this machine as if it were
their own origin, so the browser's same-origin rule protects nothing. What
still tells such a request apart is its `Host` header, which names
`evil.example`. So every request (plain HTTP and WebSocket alike) must name
one of the allowed hosts; any other gets 400 and never reaches the app.

A server bound to loopback is reached as 127.0.0.1, localhost or [::1]; a
server behind a proxy or on a network is reached under names only its
operator knows, given with `connect-four serve --allowed-host NAME` or
`CONNECT_FOUR_ALLOWED_HOSTS`.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Collection, Iterable
from typing import Final

from starlette.types import ASGIApp, Receive, Scope, Send

from connect_four.web.errors import error_response, refuse_handshake

LOOPBACK_NAMES: Final = frozenset({"127.0.0.1", "localhost", "[::1]"})
ANY_HOST: Final = "*"
"""The allowed name that turns the check off (for a proxy that checks names itself)."""
_WILDCARD_ADDRESSES: Final = frozenset({"0.0.0.0", "::", ""})


def normalized(name: str) -> str:
    """Return a host name as the check compares it: lower case, IPv6 in brackets."""
    name = name.strip().lower().rstrip(".")
    if ":" in name and not name.startswith("["):
        return f"[{name}]"
    return name


def host_of(header: str) -> str:
    """Return the name part of a `Host` header (`name:port`, `[v6]:port`)."""
    header = header.strip()
    if header.startswith("["):
        return normalized(header.partition("]")[0] + "]")
    return normalized(header.partition(":")[0])


def is_loopback(address: str) -> bool:
    """Return whether a listening address is reachable from this machine only."""
    if address.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(address.strip("[]")).is_loopback
    except ValueError:
        return False


def allowed_hosts(bind_address: str, extra: Iterable[str] = ()) -> frozenset[str]:
    """Return the names a server listening on `bind_address` answers to.

    Always the loopback names (a server on any address can be reached from
    this machine); the address it listens on, when that is one address; and
    the names given.
    """
    names = set(LOOPBACK_NAMES)
    if bind_address.strip() not in _WILDCARD_ADDRESSES:
        names.add(normalized(bind_address))
    names.update(normalized(name) for name in extra if name.strip())
    return frozenset(names)


def parse_names(text: str) -> list[str]:
    """Return the host names of a comma- or space-separated list."""
    return [name for name in text.replace(",", " ").split() if name]


class TrustedHostMiddleware:
    """Refuse every request whose `Host` is not one of the allowed names."""

    def __init__(self, app: ASGIApp, allowed: Collection[str]) -> None:
        self.app = app
        self.allowed = frozenset(normalized(name) for name in allowed)
        self.any_host = ANY_HOST in self.allowed

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on if its `Host` is allowed; answer 400 otherwise."""
        if scope["type"] not in ("http", "websocket") or self.any_host:
            await self.app(scope, receive, send)
            return
        header = dict(scope["headers"]).get(b"host", b"").decode("latin-1")
        if host_of(header) in self.allowed:
            await self.app(scope, receive, send)
            return
        shown = header[:100] or "(none)"
        message = (
            f"this server does not answer to the host name {shown!r}; it is"
            f" served as {', '.join(sorted(self.allowed))}"
            " (more names: connect-four serve --allowed-host NAME)"
        )
        if scope["type"] == "websocket":
            await refuse_handshake(scope, receive, send, 400, "unknown_host", message)
            return
        await error_response(400, "unknown_host", message)(scope, receive, send)
