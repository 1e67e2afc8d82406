"""The access log: one line per request, and one per command it stored.

A sink of `ObserveRequests`. The line names the method, the path (never the
query string: a query may carry a secret), the status, the time taken, the
client's address, the request id (the proxy's `X-Request-ID` when it sends
one) and the correlation ids of the commands the request stored, the same
ids the events' metadata carries. Before it, each command the request stored
(its events share one causation id) gets a line of its own with its
correlation and causation ids. Health probes and metrics scrapes are
logged at debug level only, so they do not drown the requests of players.
"""

from __future__ import annotations

import logging

from connect_four.web.observation import RequestRecord

logger = logging.getLogger("connect_four.access")
command_logger = logging.getLogger("connect_four.commands")


def log_request(record: RequestRecord) -> None:
    """Write a line per command the request stored, then the request's line.

    A sink of `ObserveRequests`.
    """
    for note in record.commands:
        command_logger.info(
            "%s: %d event%s in %s",
            note.command,
            note.events,
            "" if note.events == 1 else "s",
            ", ".join(dict.fromkeys(note.streams)),
            extra={
                "request_id": record.request_id,
                "command": note.command,
                "correlation_id": note.correlation_id,
                "causation_id": note.causation_id,
                "events": note.events,
            },
        )
    level = logging.DEBUG if record.is_operations else logging.INFO
    if not logger.isEnabledFor(level):
        return
    correlation = record.correlation_ids
    logger.log(
        level,
        '%s "%s %s" %s %.1f ms',
        record.client or "-",
        record.method,
        record.path,
        record.status,
        record.duration * 1000,
        extra={
            "request_id": record.request_id,
            "method": record.method,
            "path": record.path,
            "route": record.route,
            "status": record.status,
            "duration_ms": round(record.duration * 1000, 2),
            "client": record.client,
            "error": record.error,
            "correlation_id": correlation[0] if len(correlation) == 1 else None,
            "correlation_ids": correlation if len(correlation) > 1 else None,
            "commands": [note.command for note in record.commands] or None,
            "game_id": record.game_id,
        },
    )
