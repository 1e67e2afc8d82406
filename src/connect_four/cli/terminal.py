"""The terminal the CLI talks to: whether to colour, and reading a line safely."""

from __future__ import annotations

import io
import os
import select
import sys
import time
from collections.abc import Mapping
from typing import Protocol, TextIO

from connect_four.cli.errors import InputClosedError


class _Stream(Protocol):
    def isatty(self) -> bool: ...


def colour_enabled(stream: _Stream, environ: Mapping[str, str] | None = None) -> bool:
    """Return whether text written to `stream` may carry ANSI colour codes.

    Colour is off when `NO_COLOR` is set to anything non-empty (no-color.org),
    when `TERM` is `dumb`, and whenever the stream is not a terminal, so that
    pipes, files and logs get plain text.
    """
    environ = os.environ if environ is None else environ
    if environ.get("NO_COLOR") or environ.get("TERM") == "dumb":
        return False
    return stream.isatty()


class Terminal:
    """Write lines to, and read answers from, the user's terminal.

    The streams default to the `sys` streams as they are when each call is
    made, so tests that swap `sys.stdin` or capture `sys.stdout` see it all.
    """

    def __init__(
        self, stdin: TextIO | None = None, stdout: TextIO | None = None
    ) -> None:
        self._stdin = stdin
        self._stdout = stdout
        self.colour = colour_enabled(self.stdout)
        _tolerate_unencodable(self.stdout)
        _tolerate_undecodable(self.stdin, self.stdout)

    @property
    def stdin(self) -> TextIO:
        """Return the stream answers are read from."""
        return self._stdin or sys.stdin

    @property
    def stdout(self) -> TextIO:
        """Return the stream lines are written to."""
        return self._stdout or sys.stdout

    def say(self, text: str = "") -> None:
        """Write one line (or several, joined by newlines)."""
        self.stdout.write(text + "\n")
        self.stdout.flush()

    def ask(self, prompt: str) -> str:
        """Show the prompt and return the line typed, without its line ending.

        Ctrl-C raises `KeyboardInterrupt` as usual; the caller decides what
        leaving means.

        Raises:
            InputClosedError: standard input has ended (Ctrl-D, or a pipe closed).
        """
        self.stdout.write(prompt)
        self.stdout.flush()
        line = self.stdin.readline()
        if not line:
            # The answer never came: end the prompt's line before anything else.
            self.stdout.write("\n")
            raise InputClosedError
        answer = line.rstrip("\r\n")
        if not self.stdin.isatty():
            # A terminal echoes what is typed; show piped answers the same way,
            # so that a transcript reads as the game went.
            self.say(answer)
        return answer

    def typed_while_waiting(self, seconds: float) -> str | None:
        """Wait up to `seconds`; return a line typed at the terminal meanwhile.

        Only a terminal is watched: piped answers are a script, read in turn
        by `ask`. A line typed out of turn is consumed here, so it can never
        become a move that the player did not see coming.

        Raises:
            InputClosedError: the user ended input (Ctrl-D) while waiting.
        """
        if not self._watchable():
            time.sleep(seconds)
            return None
        ready, _, _ = select.select([self.stdin], [], [], seconds)
        if not ready:
            return None
        line = self.stdin.readline()
        if not line:
            raise InputClosedError
        return line.rstrip("\r\n")

    def forget_typed(self) -> None:
        """Drop whatever was typed at the terminal but not yet read (no Enter yet)."""
        if self._watchable():
            import termios

            termios.tcflush(self.stdin.fileno(), termios.TCIFLUSH)

    def _watchable(self) -> bool:
        # select() takes only sockets on Windows, so waiting there just sleeps.
        return os.name == "posix" and _is_terminal(self.stdin)

    def emphasis(self, text: str) -> str:
        """Return text in bold when colour is on."""
        return f"\x1b[1m{text}\x1b[0m" if self.colour else text

    def warning(self, text: str) -> str:
        """Return text in a warning colour when colour is on."""
        return f"\x1b[35m{text}\x1b[0m" if self.colour else text


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty() and stream.fileno() >= 0
    except (ValueError, io.UnsupportedOperation):
        return False


def _tolerate_unencodable(stream: TextIO) -> None:
    """Let a terminal that cannot show the board's drawing characters get '?'.

    Without this, a Latin-1 terminal would end the game with a traceback.
    """
    if not isinstance(stream, io.TextIOWrapper) or stream.errors != "strict":
        return
    try:
        "┌●○—".encode(stream.encoding)
    except (UnicodeEncodeError, LookupError):
        stream.reconfigure(errors="replace")


def _tolerate_undecodable(stdin: TextIO, stdout: TextIO) -> None:
    """Let bytes that are not UTF-8 reach the answer checks instead of a traceback.

    In a strict locale (en_US.UTF-8, say) Python decodes standard input
    strictly, and one stray byte would end the game with `UnicodeDecodeError`.
    With `surrogateescape` such bytes arrive as lone surrogates, which the
    name and move checks refuse as control characters, as they already do
    in the C locale; echoing such an answer then shows '?' for them.
    """
    if isinstance(stdin, io.TextIOWrapper) and stdin.errors == "strict":
        stdin.reconfigure(errors="surrogateescape")
        if isinstance(stdout, io.TextIOWrapper) and stdout.errors == "strict":
            stdout.reconfigure(errors="replace")
