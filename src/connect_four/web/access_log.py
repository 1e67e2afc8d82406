"""Keep secrets that might ride in a query string out of the access log.

The pages never put a secret in a URL the server sees (seat tokens travel in
headers, join secrets in the fragment), but a hand-made link or a future
client might: `?token=...` would then sit in every log and every log
shipper. So the access log keeps the values of the query parameters the API
is known to read, none of them secret, and writes `(redacted)` for any other.
"""

from __future__ import annotations

import logging
from typing import Final
from urllib.parse import parse_qsl, quote

LOGGED_PARAMETERS: Final = frozenset(
    {"after", "before", "from", "limit", "offset", "status", "move", "prefix"}
)
"""Query parameters whose values are logged: positions, sizes and filters."""
REDACTED: Final = "(redacted)"
ACCESS_LOGGER: Final = "uvicorn.access"


def loggable_path(path: str) -> str:
    """Return a path and query with the values of unlisted parameters hidden."""
    base, mark, query = path.partition("?")
    if not mark:
        return path
    if not query:
        return base
    shown = [
        f"{quote(name, safe='')}={_value(name, value)}"
        for name, value in parse_qsl(query, keep_blank_values=True)
    ]
    return f"{base}?{'&'.join(shown)}" if shown else f"{base}?{REDACTED}"


def _value(name: str, value: str) -> str:
    return quote(value, safe="") if name in LOGGED_PARAMETERS else REDACTED


class QueryRedactingFilter(logging.Filter):
    """Rewrite the path of uvicorn's access log lines with `loggable_path`."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Change the record's path argument in place; never drop the record."""
        # uvicorn logs '%s - "%s %s HTTP/%s" %d' with (client, method, path, ...).
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str):
            record.args = (*args[:2], loggable_path(args[2]), *args[3:])
        return True


def redact_access_log(logger_name: str = ACCESS_LOGGER) -> None:
    """Install the filter on the access logger (once, however often called)."""
    logger = logging.getLogger(logger_name)
    if not any(isinstance(f, QueryRedactingFilter) for f in logger.filters):
        logger.addFilter(QueryRedactingFilter())
