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
        self.queue_capacity = QUEUE_CAPACITY
        """Events each new subscriber may fall behind by before it overflows."""

    def subscribe(self, accepts: Filter) -> Subscriber:
        """Start queueing the events after `position` that the filter accepts."""
        subscriber = Subscriber(accepts, self.queue_capacity)
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
                except UnreadableEventError:
                    healthy, damaged = await run_in_threadpool(
                        read_up_to_damage, self._store, self.position
                    )
                    self._hand_out(healthy)
                    self.position = damaged
                    continue
                if not page:
                    return self.position
                self._hand_out(page)

    def _hand_out(self, records: list[RecordedEvent]) -> None:
        for record in records:
            for listener in self._listeners:
                listener(record)
            for subscriber in tuple(self._subscribers):
                subscriber.offer(record)
            self.position = record.global_position

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


def read_up_to_damage(store: EventStore, after: int) -> tuple[list[RecordedEvent], int]:
    """Return the healthy events after `after` before a damaged one, and its position.

    For a reader that only passes events on (a live feed), never decides from
    them. `read_all(after, 1)` reads the first event after `after`, so events
    are read one by one up to the damaged one; then the damaged one's
    position is the first `after` from which a read succeeds again (a store
    that knows the position says so, which spares the probing; global
    positions may have gaps). The damage is logged once per call.
    """
    healthy: list[RecordedEvent] = []
    while True:
        try:
            page = store.read_all(after, 1)
        except UnreadableEventError as error:
            damage = error
            break
        if not page:
            return healthy, after  # repaired meanwhile: nothing to pass
        healthy.append(page[0])
        after = page[0].global_position
    head = store.last_global_position()
    known = getattr(damage, "global_position", None)
    damaged = known if isinstance(known, int) and known > after else after + 1
    while damaged < head:
        try:
            store.read_all(damaged, 1)
        except UnreadableEventError:
            damaged += 1
            continue
        break
    # A foreseeable condition: the message names the stream and the
    # position; a traceback adds nothing.
    logger.error(
        "live feeds pass by the damaged event at global position %d: %s",
        damaged,
        damage,
    )
    return healthy, damaged
