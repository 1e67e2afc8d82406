"""One reader of the global log per server process, shared by every live page.

The follower polls the store with a catch-up subscription (in a worker thread,
so the event loop never blocks) and hands each new event to its listeners (the
lobby's fold) and to every open live connection whose filter accepts it. A
thousand watchers therefore cost one poll, not a thousand. Because the follower
reads the store itself, an event appended by any other server process sharing
the store reaches this process's pages just the same.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from typing import Final

from connect_four.eventsourcing.errors import StoreUnavailableError
from connect_four.eventsourcing.events import RecordedEvent
from connect_four.eventsourcing.store import EventStore
from connect_four.eventsourcing.subscriptions import CatchUpSubscription

logger = logging.getLogger(__name__)

POLL_INTERVAL: Final = 0.15
"""Seconds between two looks at the end of the log."""
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
            subscription = CatchUpSubscription(self._store, self.position)
            async for page in subscription.pages_async(live=False):
                for record in page:
                    for listener in self._listeners:
                        listener(record)
                    for subscriber in tuple(self._subscribers):
                        subscriber.offer(record)
                self.position = page[-1].global_position
            return self.position

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
