"""The options of `connect-four serve` for running it as a service.

Logs (`--log-level`, `--log-format`), metrics (`--metrics-port`), readiness
(`--ready-max-lag`) and shutdown (`--shutdown-timeout`). Each option reads
its environment variable when it is not given, so a container can be
configured without a command line. This module is imported for `--help`:
it imports nothing heavy (the log formatters live in `logs`).
"""

from __future__ import annotations

import argparse
import os
import signal
from types import FrameType
from typing import TYPE_CHECKING, Final

from connect_four.cli.errors import SettingError
from connect_four.cli.options import port

if TYPE_CHECKING:
    import uvicorn

    from connect_four.web.operations import Operations

LOG_FORMATS: Final = ("text", "json")
LOG_LEVELS: Final = ("debug", "info", "warning", "error")
LOG_LEVEL_ENV: Final = "CONNECT_FOUR_LOG_LEVEL"
LOG_FORMAT_ENV: Final = "CONNECT_FOUR_LOG_FORMAT"
DEFAULT_SHUTDOWN_TIMEOUT: Final = 10.0
DEFAULT_MAX_LAG: Final = 100
"""The same default as `connect_four.web.health`, kept here so `--help` loads no web."""


def add_operations_options(parser: argparse.ArgumentParser) -> None:
    """Add the logging, metrics, readiness and shutdown options to `serve`."""
    group = parser.add_argument_group("running as a service")
    group.add_argument(
        "--log-level",
        choices=LOG_LEVELS,
        default=None,
        help=f"least severe log lines written (default ${LOG_LEVEL_ENV}, else info;"
        " debug adds health probes and metrics scrapes to the access log)",
    )
    group.add_argument(
        "--log-format",
        choices=LOG_FORMATS,
        default=None,
        help=f"text for a terminal, json for a log collector (default"
        f" ${LOG_FORMAT_ENV}, else text)",
    )
    group.add_argument(
        "--metrics-port",
        type=port,
        default=None,
        metavar="PORT",
        help="serve /metrics on this port of the same host instead of the public"
        " one (the public port then has no /metrics)",
    )
    group.add_argument(
        "--ready-max-lag",
        type=_count,
        default=DEFAULT_MAX_LAG,
        metavar="EVENTS",
        help="/readyz answers 503 while a read model is more than this many events"
        f" behind the log (default {DEFAULT_MAX_LAG})",
    )
    group.add_argument(
        "--shutdown-timeout",
        type=_seconds,
        default=DEFAULT_SHUTDOWN_TIMEOUT,
        metavar="SECONDS",
        help="on SIGTERM, how long requests in flight may take to finish before"
        f" they are cut off (default {DEFAULT_SHUTDOWN_TIMEOUT:g})",
    )


def log_settings(args: argparse.Namespace) -> tuple[str, str]:
    """Return the log level and format: option, then environment, then default.

    Raises:
        SettingError: an environment variable holds an unknown value.
    """
    level = args.log_level or os.environ.get(LOG_LEVEL_ENV) or "info"
    log_format = args.log_format or os.environ.get(LOG_FORMAT_ENV) or "text"
    if level.lower() not in LOG_LEVELS:
        raise SettingError(LOG_LEVEL_ENV, level, LOG_LEVELS)
    if log_format.lower() not in LOG_FORMATS:
        raise SettingError(LOG_FORMAT_ENV, log_format, LOG_FORMATS)
    return level.lower(), log_format.lower()


def build_operations(args: argparse.Namespace) -> Operations:
    """Return the server's operations settings from its options."""
    from connect_four.web.operations import Operations

    return Operations(
        metrics_on_public_port=args.metrics_port is None,
        max_lag=args.ready_max_lag,
    )


def start_metrics_server(operations: Operations, host: str, port: int) -> None:
    """Serve `/metrics` on a port of its own, from a daemon thread."""
    from prometheus_client import start_http_server

    start_http_server(
        port, addr=host, registry=operations.metrics.exposition_registry()
    )


def _count(text: str) -> int:
    if not text.isascii() or not text.isdigit():
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number")
    return int(text)


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0 <= value <= 3600:
        raise argparse.ArgumentTypeError(f"{text!r} is not from 0 to 3600 seconds")
    return value


class _Terminated(BaseException):
    """SIGTERM, re-raised by uvicorn once its graceful shutdown is complete.

    A BaseException, like KeyboardInterrupt, so that no `except Exception`
    on the way out mistakes it for a failure.
    """


def _terminated(signum: int, frame: FrameType | None) -> None:
    raise _Terminated


def serve_until_stopped(server: uvicorn.Server) -> None:
    """Run the server until SIGTERM or Ctrl-C has shut it down gracefully.

    uvicorn handles the signal itself (stop listening, finish the requests in
    flight), then raises it again with the handler found before it started.
    Without one of ours, that would kill the process on the spot, skipping
    the closing of the store; ours ends `run` instead, as a normal exit.
    """
    previous = signal.signal(signal.SIGTERM, _terminated)
    try:
        server.run()
    except _Terminated:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        _forget_this_process()


def _forget_this_process() -> None:
    from connect_four.web.metrics import is_multiprocess

    if is_multiprocess():
        from prometheus_client import multiprocess

        # Its live gauges (open feeds) must no longer count.
        multiprocess.mark_process_dead(os.getpid())  # type: ignore[no-untyped-call]  # untyped upstream
