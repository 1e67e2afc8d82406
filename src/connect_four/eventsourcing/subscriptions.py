"""Catch-up subscriptions: read the global log from a checkpoint, then follow it live.

A subscriber names the global position it has already seen (its checkpoint,
0 for "nothing yet"). The subscription reads the history after it in pages and,
once it has reached the end of the log, waits for new events: it polls at a
short interval, or sooner when the store can say that something was appended
(a `AppendNotifier`, such as PostgreSQL's LISTEN/NOTIFY). Every event is
delivered once, in global order, because each read starts right after the last
event delivered and the stores guarantee that a reader following the log page
by page never misses an event that commits late.

The subscription itself keeps nothing durable. A subscriber that must resume
after a restart stores its checkpoint together with what it did with the
events, as a projection does (see `projections`), and starts a new
subscription from there.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import AsyncIterator, Iterator
from typing import Final, Protocol

from connect_four.eventsourcing.events import RecordedEvent
from connect_four.eventsourcing.store import EventStore

PAGE_SIZE: Final = 1000
"""How many events one read of the history asks for."""

POLL_INTERVAL: Final = 0.2
"""Seconds between two looks at the end of the log when following it live."""

STOP_CHECK_INTERVAL: Final = 0.1
"""Seconds a follower waiting on a notifier may take to notice `stop()`."""


class AppendNotifier(Protocol):
    """A store's own signal that events were appended, to wake followers early.

    It counts the appends it has been told of. A follower takes the count
    before it reads the log and, if the read found nothing new, waits for the
    count to move past it: an append that commits after the read began is
    then never slept through.
    """

    def appends(self) -> int:
        """Return how many appends have been notified so far."""
        ...

    def wait_for_append(self, seen: int, timeout: float) -> bool:
        """Block until more than `seen` appends were notified, or the timeout passes.

        Return whether one was.
        """
        ...

    def close(self) -> None:
        """Stop listening."""
        ...


class CatchUpSubscription:
    """Deliver every event after a global position once, in order, then follow live.

    Iterate over `pages()` for batches (what projections want: one transaction
    per page) or over the subscription itself for single events. `stop()` may
    be called from another thread; iteration then ends at the next wait.
    """

    def __init__(
        self,
        store: EventStore,
        after: int = 0,
        *,
        page_size: int = PAGE_SIZE,
        poll_interval: float = POLL_INTERVAL,
        notifier: AppendNotifier | None = None,
    ) -> None:
        if after < 0:
            raise ValueError(f"a checkpoint is a global position >= 0, not {after}")
        if page_size < 1:
            raise ValueError(f"a page holds at least one event, not {page_size}")
        self._store = store
        self._position = after
        self._page_size = page_size
        self._poll_interval = poll_interval
        self._notifier = notifier
        self._stopped = threading.Event()

    @property
    def position(self) -> int:
        """Return the global position of the last event delivered, or the start."""
        return self._position

    def stop(self) -> None:
        """Ask the subscription to end; safe to call from any thread."""
        self._stopped.set()

    @property
    def is_stopped(self) -> bool:
        """Return whether `stop()` was called."""
        return self._stopped.is_set()

    def pages(self, *, live: bool = True) -> Iterator[list[RecordedEvent]]:
        """Yield the events after the position in pages, oldest first.

        With `live=False` the iteration ends once the end of the log is
        reached; otherwise it keeps waiting for new events until stopped. No
        page is ever empty.
        """
        read_all = self._store.read_all
        notifier = self._notifier
        while not self._stopped.is_set():
            seen = 0 if notifier is None else notifier.appends()
            page = read_all(self._position, self._page_size)
            if page:
                self._position = page[-1].global_position
                yield page
            elif not live:
                return
            elif notifier is None:
                self._stopped.wait(self._poll_interval)
            else:
                self._wait_for_append(notifier, seen)

    def __iter__(self) -> Iterator[RecordedEvent]:
        """Yield the events after the position one by one, following the log live."""
        for page in self.pages():
            yield from page

    def _wait_for_append(self, notifier: AppendNotifier, seen: int) -> None:
        # Bounded by the poll interval, so that a lost notification costs no
        # more than a poll, and cut into slices, so that `stop()` is prompt.
        deadline = time.monotonic() + self._poll_interval
        while not self._stopped.is_set():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return
            if notifier.wait_for_append(seen, min(remaining, STOP_CHECK_INTERVAL)):
                return

    async def pages_async(
        self, *, live: bool = True
    ) -> AsyncIterator[list[RecordedEvent]]:
        """Yield pages as `pages()` does, without blocking the event loop.

        Reads run in a worker thread; waits are `asyncio.sleep`, so cancelling
        the consuming task (a closed HTTP connection, say) ends it promptly.
        """
        while not self._stopped.is_set():
            page = await asyncio.to_thread(
                self._store.read_all, self._position, self._page_size
            )
            if page:
                self._position = page[-1].global_position
                yield page
            elif not live:
                return
            else:
                await asyncio.sleep(self._poll_interval)

    async def events_async(self) -> AsyncIterator[RecordedEvent]:
        """Yield the events after the position one by one, following the log live."""
        async for page in self.pages_async():
            for event in page:
                yield event
