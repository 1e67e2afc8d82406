"""The CLI's errors, all under one root (`CLIError`), and its table of messages.

The commands that raise these are imported to build `--help`, so this module
imports only the standard library at import time: the error roots of the
other packages (the game's rules, the application, the event-sourcing core)
are imported by `report_errors`, once a command runs.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

USAGE_ERROR = 2
FAILURE = 1
INTERRUPTED = 130
"""The shell's status for a program stopped by Ctrl-C (128 + SIGINT)."""


class CLIError(Exception):
    """A command cannot go on as asked; the message says why."""


class InputClosedError(CLIError):
    """Standard input reached its end: the user (or the pipe) has no more to say."""

    def __init__(self) -> None:
        super().__init__("standard input is closed")


class InvalidAnswerError(CLIError, ValueError):
    """An answer at the move prompt is neither a column nor a known request."""

    def __init__(self, answer: str, reason: str) -> None:
        self.answer = answer
        self.reason = reason
        super().__init__(f"{reason}: type a column letter A to G, or q to quit")


class AmbiguousGameIdError(CLIError):
    """A prefix typed for a game id is the start of several games' ids."""

    def __init__(self, prefix: str, matches: Sequence[str]) -> None:
        self.prefix = prefix
        self.matches = tuple(matches)
        listed = "\n".join(f"  {match}" for match in self.matches)
        super().__init__(
            f"{prefix!r} is the start of {len(self.matches)} games' ids;"
            f" type more of it:\n{listed}"
        )


class ShortGameIdError(CLIError):
    """No game has this id, which is too short to be taken as a prefix."""

    def __init__(self, given: str, shortest: int) -> None:
        self.given = given
        self.shortest = shortest
        super().__init__(
            f"there is no game {given!r} (an id may be cut short,"
            f" to its first {shortest} characters or more)"
        )


class GameNotStartedError(CLIError):
    """A game opened in a browser has no board yet: its second seat is free.

    Its id is real (the browser shows it), so "there is no game" would send
    the user looking for a typo; the message says what the game waits for.
    """

    def __init__(self, game_id: str, reason: str) -> None:
        self.game_id = game_id
        self.reason = reason
        super().__init__(f"game {game_id} has not started: {reason}")


class LineError(CLIError, ValueError):
    """An input line of `solve` is not `position [score]`."""

    def __init__(self, line_number: int, reason: str) -> None:
        self.line_number = line_number
        self.reason = reason
        super().__init__(f"line {line_number}: {reason}")


class SettingError(CLIError, ValueError):
    """An environment variable holds a value the server does not know."""

    def __init__(self, name: str, value: str, known: tuple[str, ...]) -> None:
        self.name = name
        self.value = value
        super().__init__(f"${name} is {value!r}; use one of: {', '.join(known)}")


class BackupError(CLIError):
    """A backup or restore cannot start as asked."""


@dataclass
class Status:
    """The exit status a command ends with."""

    code: int = 0


@contextmanager
def report_errors() -> Iterator[Status]:
    """Turn foreseeable errors into one line on stderr; never show a traceback."""
    from connect_four.application.errors import ApplicationError
    from connect_four.domain.exceptions import ConnectFourError
    from connect_four.eventsourcing.errors import EventSourcingError

    status = Status()
    try:
        yield status
    except (ConnectFourError, ApplicationError, EventSourcingError, CLIError) as exc:
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
        import logging  # here, not at the top: `--help` imports this module

        logging.getLogger("connect_four.cli").exception("unexpected failure")
        print("connect-four: unexpected failure (details above)", file=sys.stderr)
        status.code = FAILURE
