"""Progress of long work, on standard error: live on a terminal, plain when piped.

On a terminal the line `label [#####-----] done/total unit (50%)` is redrawn
in place a few times a second; without a total it is a live count. Piped
into a file or another program, it becomes a plain line at every tenth of the
work (or every few seconds for a count), so logs show steady progress and no
carriage returns.
"""

from __future__ import annotations

import sys
import time
from typing import Final, TextIO

BAR_WIDTH: Final = 30
REDRAW_SECONDS: Final = 0.1
PLAIN_SECONDS: Final = 5.0
"""How often a count without a total writes a plain line when piped."""
PLAIN_STEPS: Final = 10
"""How many plain lines a bar with a total writes when piped (one per tenth)."""


class Progress:
    """Report how much of some work is done, suited to where it is written."""

    def __init__(
        self,
        label: str,
        unit: str,
        total: int | None = None,
        stream: TextIO | None = None,
    ) -> None:
        self.label = label
        self.unit = unit
        self.total = total
        self._stream = stream or sys.stderr
        self._live = _is_terminal(self._stream)
        self._shown_at = time.monotonic()
        self._plain_step = 0
        self._done = 0
        self._started = False

    def show(self, done: int) -> None:
        """Record that `done` units are done; redraw or write a line if it is time."""
        self._done = done
        now = time.monotonic()
        if self._live:
            if not self._started or now - self._shown_at >= REDRAW_SECONDS:
                self._write("\r" + self.render(done) + "\x1b[K")
                self._shown_at = now
        elif self.total:
            step = done * PLAIN_STEPS // self.total
            if step > self._plain_step:
                self._plain_step = step
                self._write(self.render(done) + "\n")
        elif now - self._shown_at >= PLAIN_SECONDS:
            self._shown_at = now
            self._write(self.render(done) + "\n")
        self._started = True

    def finish(self, note: str = "") -> None:
        """End the report with its last state (and a note), on a line of its own."""
        if self._live:
            self._write("\r" + self.render(self._done) + note + "\x1b[K\n")
        elif note or not self.total or self._plain_step < PLAIN_STEPS:
            self._write(self.render(self._done) + note + "\n")

    def clear(self) -> None:
        """Remove the live line (the work's own output comes next); no-op when piped."""
        if self._live and self._started:
            self._write("\r\x1b[K")

    def render(self, done: int) -> str:
        """Return the progress line's text for an amount done."""
        if not self.total:
            return f"{self.label}: {done:,} {self.unit}"
        share = min(done / self.total, 1.0)
        filled = round(share * BAR_WIDTH)
        bar = "#" * filled + "-" * (BAR_WIDTH - filled)
        return f"{self.label} [{bar}] {done}/{self.total} {self.unit} ({share:.0%})"

    def _write(self, text: str) -> None:
        self._stream.write(text)
        self._stream.flush()


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except ValueError:  # a closed stream
        return False
