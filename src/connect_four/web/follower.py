"""One reader of the global log per server process, shared by every live page.

The follower polls the store (in a worker thread, so the event loop never
blocks) and hands each new event to its listeners (the stream browser's
index) and to every open live connection whose filter accepts it. A thousand
watchers therefore cost one poll, not a thousand. Because the follower reads
the store itself, an event appended by any other server process sharing the
store reaches this process's pages just the same.

It only pushes events to pages; it decides nothing from them. So an event the
store cannot even hand out (a damaged row) is logged once and passed by here,
and every other stream's feed goes on: whoever reads that event's stream for
real (a page's load, a projection) meets the same error and reports it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from typing import Final

from starlette.concurrency import run_in_threadpool

from connect_four.eventsourcing.errors import (
    StoreUnavailableError,
    UnreadableEventError,
)
from connect_four.eventsourcing.events import RecordedEvent
from connect_four.eventsourcing.store import EventStore

logger = logging.getLogger(__name__)

POLL_INTERVAL: Final = 0.15
"""Seconds between two looks at the end of the log."""
PAGE_SIZE: Final = 1000
QUEUE_CAPACITY: Final = 10_000
"""Events a live connection may fall behind by before it is closed to resume."""

Listener = Callable[[RecordedEvent], None]
Filter = Callable[[RecordedEvent], bool]


class Subscriber:
    """One live connection's queue of the events its filter accepts."""

    def __init__(self, accepts: Filter, capacity: int = QUEUE_CAPACITY) -> None:
        self.accepts = accepts
        self.overflowed = False
        self._queue: asyncio.Queue[RecordedEvent] = asyncio.Queue(capacity)

    def offer(self, record: RecordedEvent) -> None:
        """Queue an event the filter accepts; on overflow, note it, never block."""
        if self.overflowed or not self.accepts(record):
            return
        try:
            self._queue.put_nowait(record)
        except asyncio.QueueFull:
            # The connection will end and the browser resume from its last id,
            # reading the missed events from the store: nothing is lost.
            self.overflowed = True

    async def next(self, timeout: float) -> RecordedEvent | None:
        """Return the next queued event, or None if none came within the timeout."""
        try:
            return await asyncio.wait_for(self._queue.get(), timeout)
        except TimeoutError:
            return None


class LogFollower:
    """Follow the store's global log and fan each event out in this process."""

    def __init__(
        self,
        store: EventStore,
        listeners: Sequence[Listener] = (),
        *,
        poll_interval: float = POLL_INTERVAL,
    ) -> None:
        self._store = store
        self._listeners = tuple(listeners)
        self._poll_interval = poll_interval
        self._subscribers: set[Subscriber] = set()
        self._lock = asyncio.Lock()
        self.position = 0
        """The global position of the last event handed out."""

    def subscribe(self, accepts: Filter) -> Subscriber:
        """Start queueing the events after `position` that the filter accepts."""
        subscriber = Subscriber(accepts)
        self._subscribers.add(subscriber)
        return subscriber

    def unsubscribe(self, subscriber: Subscriber) -> None:
        """Stop queueing events for a closed connection."""
        self._subscribers.discard(subscriber)

    async def catch_up(self) -> int:
        """Hand out every event appended since the last look; return the position.

        Raises:
            StoreUnavailableError: the store cannot be read.
        """
        async with self._lock:
            while True:
                try:
                    page = await run_in_threadpool(
                        self._store.read_all, self.position, PAGE_SIZE
                    )
                except UnreadableEventError as exc:
                    self.position = await run_in_threadpool(self._pass_damaged, exc)
                    continue
                if not page:
                    return self.position
                for record in page:
                    for listener in self._listeners:
                        listener(record)
                    for subscriber in tuple(self._subscribers):
                        subscriber.offer(record)
                self.position = page[-1].global_position

    def _pass_damaged(self, error: UnreadableEventError) -> int:
        """Return the global position of the damaged event after `position`.

        `read_all(after, 1)` reads the first event after `after`: it fails
        for every `after` below the damaged event and succeeds from its
        position on, which is the only way to learn that position through
        the store's protocol (global positions may have gaps).
        """
        after = self.position
        head = self._store.last_global_position()
        while after < head:
            try:
                self._store.read_all(after, 1)
            except UnreadableEventError:
                after += 1
                continue
            break
        # A foreseeable condition, logged once per damaged event: the message
        # names the stream and the position; a traceback adds nothing.
        logger.error(
            "live feeds pass by the damaged event at global position %d: %s",
            after,
            error,
        )
        return after

    async def run(self) -> None:
        """Catch up, then keep looking for new events until cancelled."""
        unavailable = False
        while True:
            try:
                await self.catch_up()
            except StoreUnavailableError as exc:
                # A store that is down for a moment (a database restart) must
                # not end live updates for good: say so once, then keep trying.
                if not unavailable:
                    logger.warning("live updates paused: %s", exc)
                unavailable = True
            else:
                if unavailable:
                    logger.warning("live updates resumed")
                unavailable = False
            await asyncio.sleep(self._poll_interval)
