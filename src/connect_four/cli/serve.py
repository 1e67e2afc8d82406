"""`connect-four serve`: play in web browsers, over the same store as the terminal."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping
from datetime import timedelta
from typing import TYPE_CHECKING, Final

from connect_four.cli.operations import add_operations_options
from connect_four.cli.options import minutes, port
from connect_four.cli.settings import add_store_option

if TYPE_CHECKING:
    import uvicorn
    from starlette.applications import Starlette

DEFAULT_HOST: Final = "127.0.0.1"
DEFAULT_PORT: Final = 8000
ALLOWED_HOSTS_ENV: Final = "CONNECT_FOUR_ALLOWED_HOSTS"
CLAIM_AFTER_ENV: Final = "CONNECT_FOUR_CLAIM_AFTER"
DEFAULT_CLAIM_MINUTES: Final = 5.0
"""The same as `application.game_life.CLAIM_AFTER`, named here so --help stays fast."""


def register(subcommands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `serve` command."""
    parser = subcommands.add_parser(
        "serve",
        help="serve games to web browsers",
        description="Serve the lobby, the games, replays and the stream browser"
        " over HTTP. Several servers may share one PostgreSQL (or SQLite) store:"
        " they behave as one.",
    )
    parser.add_argument(
        "--host",
        default=DEFAULT_HOST,
        help=f"address to listen on (default {DEFAULT_HOST}: this machine only;"
        " 0.0.0.0 lets other machines connect)",
    )
    parser.add_argument(
        "--port", type=port, default=DEFAULT_PORT, help=f"default {DEFAULT_PORT}"
    )
    parser.add_argument(
        "--allowed-host",
        dest="allowed_hosts",
        metavar="NAME",
        action="append",
        default=[],
        help="a host name browsers reach this server under, besides 127.0.0.1,"
        " localhost, [::1] and the --host address (repeatable; also"
        f" ${ALLOWED_HOSTS_ENV}, comma-separated; '*' allows any): requests"
        " naming any other host get 400, which stops DNS rebinding",
    )
    parser.add_argument(
        "--no-rate-limit",
        dest="rate_limit",
        action="store_false",
        help="let each address send commands as fast as it likes (for load tests"
        " on this machine; by default a few per second, in bursts)",
    )
    parser.add_argument(
        "--claim-after",
        type=minutes,
        metavar="MINUTES",
        help="how long a player may keep the other waiting on their turn before"
        " the other may claim the win (also"
        f" ${CLAIM_AFTER_ENV}; default {DEFAULT_CLAIM_MINUTES:g})",
    )
    add_store_option(parser)
    add_operations_options(parser)
    parser.set_defaults(handler=serve)


def claim_after(args: argparse.Namespace, environ: Mapping[str, str]) -> float:
    """Return the minutes before a win can be claimed: option, environment, default.

    Raises:
        argparse.ArgumentTypeError: the environment's value is not a positive number.
    """
    if args.claim_after is not None:
        return float(args.claim_after)
    return minutes(environ.get(CLAIM_AFTER_ENV) or str(DEFAULT_CLAIM_MINUTES))


def serve(args: argparse.Namespace) -> int:
    """Run the web server until interrupted; return the exit status."""
    try:
        import prometheus_client  # noqa: F401  # the web app's metrics need it
        import uvicorn  # noqa: F401  # the server; imported again where used
    except ImportError:
        print(
            "connect-four: the web server needs the 'web' extra:"
            " pip install 'connect-four[web]'",
            file=sys.stderr,
        )
        return 1
    from connect_four.cli import operations as ops
    from connect_four.cli.errors import SettingError
    from connect_four.cli.logs import configure_logging
    from connect_four.cli.wiring import open_web
    from connect_four.web.rate_limit import DEFAULT_RATE_LIMIT
    from connect_four.web.shutdown import GracefulServer
    from connect_four.web.trusted_hosts import allowed_hosts, parse_names

    try:
        configure_logging(*ops.log_settings(args))
    except SettingError as exc:
        print(f"connect-four: {exc}", file=sys.stderr)
        return 2
    if args.host not in (DEFAULT_HOST, "localhost", "::1"):
        print(
            f"connect-four: listening on {args.host}: other machines can connect."
            " Seat tokens travel in clear text unless a proxy adds HTTPS.",
            file=sys.stderr,
        )
    try:
        claim_minutes = claim_after(args, os.environ)
    except argparse.ArgumentTypeError as exc:
        print(f"connect-four: ${CLAIM_AFTER_ENV}: {exc}", file=sys.stderr)
        return 2
    operations = ops.build_operations(args)
    with open_web(
        args,
        operations,
        rate_limit=DEFAULT_RATE_LIMIT if args.rate_limit else None,
        allowed_hosts=allowed_hosts(
            args.host,
            [
                *parse_names(os.environ.get(ALLOWED_HOSTS_ENV, "")),
                *args.allowed_hosts,
            ],
        ),
        claim_after=timedelta(minutes=claim_minutes),
    ) as web:
        if args.metrics_port is not None:
            ops.start_metrics_server(operations, args.host, args.metrics_port)
        config = server_config(
            web, args.host, args.port, max(round(args.shutdown_timeout), 1)
        )
        ops.serve_until_stopped(GracefulServer(config, operations.draining))
    return 0


def server_config(
    app: Starlette, host: str, port: int, graceful_seconds: int
) -> uvicorn.Config:
    """Return uvicorn's settings for the web app (the benchmarks use them too).

    uvicorn picks its parts itself: uvloop and httptools when installed
    (the `web` extra installs them: they served 1.2 to 1.9 times the moves
    in docs/benchmarks.md's alternated runs), asyncio and h11 otherwise.
    """
    import uvicorn

    from connect_four.web.security import MAX_BODY_BYTES

    return uvicorn.Config(
        app,
        host=host,
        port=port,
        timeout_graceful_shutdown=graceful_seconds,
        server_header=False,
        log_config=None,
        access_log=False,
        # A live connection's requests are a few dozen bytes: refuse
        # frames as large as request bodies are refused (close 1009).
        ws_max_size=MAX_BODY_BYTES,
    )
