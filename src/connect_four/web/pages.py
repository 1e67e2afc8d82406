"""The pages: plain HTML files whose scripts fetch everything from the API.

No page is rendered with data on the server, so nothing a player types can
become markup: the scripts put names on the page as text.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Final

from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

STATIC: Final = Path(__file__).parent / "static"
PAGE_HEADERS: Final = {"Cache-Control": "no-cache"}


def page(file_name: str) -> Callable[[Request], Awaitable[Response]]:
    """Return a handler that answers with one of the static HTML pages."""
    path = STATIC / file_name

    async def show(request: Request) -> Response:
        return FileResponse(path, media_type="text/html", headers=PAGE_HEADERS)

    return show


def routes() -> list[BaseRoute]:
    """Return the routes of the pages and of their scripts, styles and images."""
    return [
        Route("/", page("lobby.html"), methods=["GET"]),
        Route("/games/{game_id}", page("game.html"), methods=["GET"]),
        Route("/games/{game_id}/replay", page("replay.html"), methods=["GET"]),
        Route("/streams", page("streams.html"), methods=["GET"]),
        # A stream's name may hold "/" (a player's stream is named by the name).
        Route("/streams/{stream:path}", page("streams.html"), methods=["GET"]),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
