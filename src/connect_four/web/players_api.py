"""The HTTP API for names: claim one, and take it to another device.

Each handler parses its input, calls `PlayerService` (through the table
service that checks names for every seat) in a worker thread and renders
JSON; errors are answered by the table in `errors` (`name_taken`,
`link_rejected`: 403).
"""

from __future__ import annotations

from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from connect_four.application.players import Identity
from connect_four.web import body
from connect_four.web.context import context_of


def identity_view(identity: Identity) -> dict[str, object]:
    """Return a name as claimed, and its new secret (shown this once), if any."""
    return {"player": identity.player, "key": identity.key, "secret": identity.secret}


async def claim_name(request: Request) -> Response:
    """Claim a free name (201, with its secret), or confirm one held already (200)."""
    players = context_of(request).tables.players
    data = await body.json_object(request)
    player = body.text(data, "player")
    secrets = body.player_secrets(data)
    identity = await run_in_threadpool(players.claim, player, secrets)
    return JSONResponse(
        identity_view(identity), 200 if identity.secret is None else 201
    )


async def issue_link(request: Request) -> Response:
    """Issue a one-time link that lets another device play under a name."""
    players = context_of(request).tables.players
    data = await body.json_object(request)
    player = body.text(data, "player")
    secret = body.text(data, "secret")
    link = await run_in_threadpool(players.issue_link, player, secret)
    base = str(request.base_url).rstrip("/")
    return JSONResponse(
        {
            "player": link.player,
            # The code travels in the fragment, which browsers never send to a
            # server, so it cannot end up in any access log on the way.
            "link_url": f"{base}/#player={quote(link.player, safe='')}"
            f"&link={link.code}",
            "code": link.code,
            "expires_at": link.expires_at.isoformat(),
        },
        201,
    )


async def link_device(request: Request) -> Response:
    """Give the device that brings a link's code a secret of its own for the name."""
    players = context_of(request).tables.players
    data = await body.json_object(request)
    player = body.text(data, "player")
    code = body.text(data, "code")
    identity = await run_in_threadpool(players.link_device, player, code)
    return JSONResponse(identity_view(identity), 201)


ROUTES = [
    Route("/api/players", claim_name, methods=["POST"]),
    Route("/api/players/links", issue_link, methods=["POST"]),
    Route("/api/players/devices", link_device, methods=["POST"]),
]
