"""The CLI's one table from errors to messages and exit statuses."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from connect_four.application.errors import ApplicationError
from connect_four.domain.exceptions import ConnectFourError
from connect_four.eventsourcing.errors import EventSourcingError

logger = logging.getLogger("connect_four.cli")

USAGE_ERROR = 2
FAILURE = 1
INTERRUPTED = 130
"""The shell's status for a program stopped by Ctrl-C (128 + SIGINT)."""


@dataclass
class Status:
    """The exit status a command ends with."""

    code: int = 0


@contextmanager
def report_errors() -> Iterator[Status]:
    """Turn foreseeable errors into one line on stderr; never show a traceback."""
    status = Status()
    try:
        yield status
    except (ConnectFourError, ApplicationError, EventSourcingError) as exc:
        print(f"connect-four: {exc}", file=sys.stderr)
        status.code = FAILURE
    except KeyboardInterrupt:
        print(file=sys.stderr)
        status.code = INTERRUPTED
    except BrokenPipeError:
        # The reader went away (`connect-four games | head`). Point stdout at
        # devnull so that the interpreter's final flush cannot fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        status.code = FAILURE
    except Exception:  # the top-level handler STYLE.md allows: log once, fail plainly
        logger.exception("unexpected failure")
        print("connect-four: unexpected failure (details above)", file=sys.stderr)
        status.code = FAILURE
