"""A trivial Starlette JSON endpoint on the server stack `connect-four serve` uses.

The anchor of `benchmarks.move_path`: it reads the request's JSON body and
answers a small JSON object, with nothing behind it. It runs under uvicorn
with the same settings as `serve` (`connect_four.cli.serve.server_config`).

    python -m benchmarks.trivial_server --port 8001
"""

from __future__ import annotations

import argparse

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from connect_four.cli.serve import server_config


async def move(request: Request) -> Response:
    """Answer the move's JSON with a small JSON object."""
    data = await request.json()
    return JSONResponse({"game_id": request.path_params["game_id"], "moved": data})


def main() -> None:
    """Serve the trivial endpoint until interrupted."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    app = Starlette(
        routes=[Route("/api/games/{game_id}/moves", move, methods=["POST"])]
    )
    uvicorn.Server(server_config(app, "127.0.0.1", args.port, 1)).run()


if __name__ == "__main__":
    main()
