"""Run a long search so that the person waiting sees progress and can stop it.

A compiled (numba) kernel never returns to the interpreter until it is done,
so Python cannot raise `KeyboardInterrupt` inside it, and nothing can draw
progress meanwhile. `watched` therefore runs the search in a worker thread
(the compiled kernel releases the GIL) while the calling thread reports the
engine's live node count; Ctrl-C reaches the calling thread, which tells the
engine to stop at its next node, waits briefly for the worker to unwind
and lets the `KeyboardInterrupt` go on.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Final, TypeVar

from connect_four.ai.engine import Engine

Result = TypeVar("Result")

STOP_SECONDS: Final = 0.5
"""How long Ctrl-C waits for the search to unwind before leaving it behind."""
WATCH_SECONDS: Final = 0.1
"""How often progress is reported (and Ctrl-C noticed) while a search runs."""


def watched(
    engine: Engine,
    search: Callable[[], Result],
    progress: Callable[[int], None] = lambda nodes: None,
) -> Result:
    """Return what `search` (a search on `engine`) returns, reporting its nodes.

    Raises:
        KeyboardInterrupt: the user pressed Ctrl-C; the search has stopped.
    """
    outcome: list[Result] = []
    failure: list[BaseException] = []

    def work() -> None:
        try:
            outcome.append(search())
        except BaseException as exc:  # noqa: BLE001 - re-raised in the calling thread
            failure.append(exc)

    worker = threading.Thread(target=work, name="connect-four-search", daemon=True)
    worker.start()
    try:
        while worker.is_alive():
            worker.join(WATCH_SECONDS)
            progress(engine.searched)
    except KeyboardInterrupt:
        engine.stop()
        # A search stops within microseconds; only numba loading or compiling
        # the kernel (the first search of a process) cannot be cut short, and
        # the process is leaving: the daemon worker does not hold it back.
        worker.join(STOP_SECONDS)
        raise
    if failure:
        raise failure[0]
    return outcome[0]
