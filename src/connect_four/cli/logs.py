"""How `connect-four serve` writes its logs: plain text or JSON lines, on stderr.

Plain text suits a terminal; `--log-format json` writes one JSON object a
line, for a log collector. Either way a line carries the fields the web's
loggers attach (`request_id`, `correlation_id`, `status`, ...). Secrets are
kept out at the source (the access log never sees headers or query strings),
and a filter masks anything shaped like a bearer token or a `token=`,
`secret=` or `#join=` value that a message might still contain. A request's
path is the client's to choose: in the text format its control characters
are escaped, so `%0a` cannot forge a second line nor `%1b` recolour a
terminal (JSON escapes them by itself).
"""

from __future__ import annotations

import json
import logging
import re
import sys
from datetime import UTC, datetime
from typing import Final, TextIO

_STANDARD_FIELDS: Final = frozenset(
    logging.LogRecord("", 0, "", 0, "", None, None).__dict__
) | {"message", "asctime", "taskName", "color_message"}
_SECRET: Final = re.compile(
    r"(?i)(bearer\s+|(?:token|secret|join|password)[\"']?\s*[=:]\s*[\"']?)"
    r"[A-Za-z0-9._~+/-]{8,}"
)
REDACTED: Final = "(redacted)"
_SECRET_WORDS: Final = ("bearer", "token", "secret", "join", "password")
"""Every match of `_SECRET` holds one of these: a line without any needs no scan."""
IN_THE_MESSAGE: Final = frozenset(
    {"method", "path", "client", "status", "duration_ms", "command", "commands"}
    | {"events", "outcome", "stream"}
)
"""Fields the web's messages already say in words: the text format leaves them out."""


def redact(text: str) -> str:
    """Return the text with anything shaped like a token or secret masked.

    Most lines (every access-log line of a move, say) name none of the words
    a secret follows, and looking for the words costs a twentieth of the
    case-insensitive scan (about 25 µs a line): so an ASCII line without them
    is returned as it is. Any other line is scanned in full (case folding
    can match a non-ASCII letter to an ASCII one).
    """
    if text.isascii():
        lowered = text.lower()
        if not any(word in lowered for word in _SECRET_WORDS):
            return text
    return _SECRET.sub(lambda match: match.group(1) + REDACTED, text)


def escape_unprintable(text: str) -> str:
    """Return the text with each unprintable character as its Python escape.

    A line that needs none (nearly every one) costs one `isprintable` scan.
    """
    if text.isprintable():
        return text
    return "".join(
        character if character.isprintable() else repr(character)[1:-1]
        for character in text
    )


def extra_fields(record: logging.LogRecord) -> dict[str, object]:
    """Return the fields a logger attached with `extra=`, leaving out empty ones."""
    return {
        key: value
        for key, value in record.__dict__.items()
        if key not in _STANDARD_FIELDS and value is not None
    }


class TextFormatter(logging.Formatter):
    """Format `time level logger: message key=value ...` for a terminal."""

    def format(self, record: logging.LogRecord) -> str:
        """Return the record's line."""
        moment = datetime.fromtimestamp(record.created, UTC).strftime("%H:%M:%S")
        line = f"{moment} {record.levelname:<7} {record.name}: {record.getMessage()}"
        fields = {
            key: value
            for key, value in extra_fields(record).items()
            if key not in IN_THE_MESSAGE
        }
        shown = " ".join(f"{key}={_plain(value)}" for key, value in fields.items())
        if shown:
            line = f"{line} [{shown}]"
        line = escape_unprintable(line)
        if record.exc_info:
            line = f"{line}\n{self.formatException(record.exc_info)}"
        return redact(line)


class JsonFormatter(logging.Formatter):
    """Format one JSON object a line: time, level, logger, message and fields."""

    def format(self, record: logging.LogRecord) -> str:
        """Return the record as a JSON line."""
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            **extra_fields(record),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return redact(json.dumps(entry, default=str, ensure_ascii=False))


def _plain(value: object) -> str:
    if isinstance(value, list | tuple):
        return ",".join(str(item) for item in value)
    return str(value)


def configure_logging(
    level: str = "info", log_format: str = "text", stream: TextIO | None = None
) -> logging.Handler:
    """Send every log record at `level` or above to stderr, in the chosen format.

    Returns the handler, so that a caller that configures logging more than
    once in a process (a test) can remove it again.
    """
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter() if log_format == "json" else TextFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(level.upper())
    return handler
