"""A real `connect-four` process on a pseudo-terminal, driven as a person would.

Like pexpect, in a few lines of the standard library: `send` types, `expect`
waits until the screen shows a pattern. The process sees a terminal, so it
behaves as it does for a user (echo, colour, live progress, Ctrl-C).
"""

from __future__ import annotations

import os
import re
import select
import signal
import subprocess
import sys
import time
from collections.abc import Mapping
from types import TracebackType

import pytest

if sys.platform == "win32":  # pragma: no cover - the pty module is POSIX only
    pytest.skip("pseudo-terminals are POSIX only", allow_module_level=True)

import fcntl
import pty
import termios

TIMEOUT_SECONDS = 30.0
_ESCAPES = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


class Screen:
    """A child process on a pseudo-terminal, and everything it has shown."""

    def __init__(
        self, argv: list[str], env: Mapping[str, str], *, columns: int = 100
    ) -> None:
        self._parent, child = pty.openpty()
        os.set_blocking(self._parent, False)
        termios.tcsetwinsize(child, (40, columns))
        self.process = subprocess.Popen(
            argv,
            stdin=child,
            stdout=child,
            stderr=child,
            env={**env, "COLUMNS": str(columns)},
            preexec_fn=_take_terminal,
        )
        os.close(child)
        self.raw = b""
        """Everything the process wrote, as written."""
        self.shown = ""
        """What it wrote as text: \\r\\n turned into \\n, colour codes removed."""
        self._seen = 0

    def send(self, text: str) -> None:
        """Type text at the terminal (a line needs its "\\n")."""
        os.write(self._parent, text.encode())

    def interrupt(self) -> None:
        """Press Ctrl-C: the terminal sends SIGINT to the process group."""
        self.send("\x03")

    def expect(self, pattern: str, timeout: float = TIMEOUT_SECONDS) -> re.Match[str]:
        """Wait until output not matched before shows the regex; return the match."""
        deadline = time.monotonic() + timeout
        compiled = re.compile(pattern)
        while True:
            found = compiled.search(self.shown, self._seen)
            if found is not None:
                self._seen = found.end()
                return found
            left = deadline - time.monotonic()
            if left <= 0 or not self._read(left):
                raise AssertionError(
                    f"{pattern!r} not shown; the screen after the last match:\n"
                    f"{self.shown[self._seen :]}"
                )

    def wait(self, timeout: float = TIMEOUT_SECONDS) -> int:
        """Read the output until the process ends; return its exit status."""
        deadline = time.monotonic() + timeout
        while self.process.poll() is None and time.monotonic() < deadline:
            self._read(0.05)
        while self._read(0.05):
            pass
        return self.process.wait(timeout=max(deadline - time.monotonic(), 0.01))

    def _read(self, timeout: float) -> bool:
        """Read what is there within the timeout; False at the end or the timeout."""
        ready, _, _ = select.select([self._parent], [], [], timeout)
        if not ready:
            return False
        try:
            data = os.read(self._parent, 65536)
        except OSError:  # EIO: the child closed the terminal
            return False
        if not data:
            return False
        self.raw += data
        text = self.raw.decode(errors="replace").replace("\r\n", "\n")
        self.shown = _ESCAPES.sub("", text)
        return True

    def close(self) -> None:
        """End the process if it still runs, and close the terminal."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        os.close(self._parent)

    def __enter__(self) -> Screen:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def _take_terminal() -> None:
    """Make the child a session leader whose controlling terminal is the pty.

    Only then does the terminal turn Ctrl-C into SIGINT for the child.
    """
    os.setsid()
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)
