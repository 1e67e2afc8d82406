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
from collections.abc import AsyncIterator, Iterator
from typing import Final, Protocol

from connect_four.eventsourcing.events import RecordedEvent
from connect_four.eventsourcing.store import EventStore

PAGE_SIZE: Final = 1000
"""How many events one read of the history asks for."""

POLL_INTERVAL: Final = 0.2
"""Seconds between two looks at the end of the log when following it live."""


class AppendNotifier(Protocol):
    """A store's own signal that events were appended, to wake followers early."""

    def wait_for_append(self, timeout: float) -> bool:
        """Block until an append is signalled or the timeout passes; say which."""
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
        while not self._stopped.is_set():
            page = read_all(self._position, self._page_size)
            if page:
                self._position = page[-1].global_position
                yield page
            elif not live:
                return
            else:
                self._wait()

    def __iter__(self) -> Iterator[RecordedEvent]:
        """Yield the events after the position one by one, following the log live."""
        for page in self.pages():
            yield from page

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

    def _wait(self) -> None:
        if self._notifier is None:
            self._stopped.wait(self._poll_interval)
        else:
            # The notifier may miss nothing, but a bounded wait lets `stop()`
            # take effect and covers a lost notification.
            self._notifier.wait_for_append(self._poll_interval)
