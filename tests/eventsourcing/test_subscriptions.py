"""Catch-up subscriptions: history in pages, then live, each event once and in order."""

from __future__ import annotations

import asyncio
import threading
import time
import uuid
from pathlib import Path

import pytest

from connect_four.eventsourcing.errors import StoreUnavailableError
from connect_four.eventsourcing.events import NewEvent, RecordedEvent
from connect_four.eventsourcing.store import EventStore, StreamState
from connect_four.eventsourcing.stores import open_append_notifier
from connect_four.eventsourcing.subscriptions import CatchUpSubscription
from tests.eventsourcing.stores.backends import cut_connections
from tests.eventsourcing.stores.projection_backends import (
    Database,
    open_database,
)

WAIT_SECONDS = 30.0
"""The most a test waits for a notifier; far beyond what it takes."""


@pytest.fixture
def store(database: Database) -> EventStore:
    return database.store


def append(store: EventStore, stream: str, count: int) -> None:
    events = [NewEvent("Noted", b'{"text": "x"}') for _ in range(count)]
    store.append(stream, events, StreamState.ANY)


def positions(events: list[RecordedEvent]) -> list[int]:
    return [event.global_position for event in events]


def logged(store: EventStore) -> list[int]:
    """Return the log's positions (PostgreSQL's are increasing, not dense)."""
    return positions(store.read_all())


class AppendingNotifier:
    """Append when first waited on, as another process would; stop on the next wait."""

    def __init__(self, store: EventStore) -> None:
        self.store = store
        self.subscription: CatchUpSubscription | None = None
        self.waits: list[tuple[int, float]] = []
        self.count = 0

    def appends(self) -> int:
        return self.count

    def wait_for_append(self, seen: int, timeout: float) -> bool:
        self.waits.append((seen, timeout))
        if len(self.waits) == 1:
            append(self.store, "s-late", 2)
            self.count += 1
            return True
        if self.subscription is not None:
            self.subscription.stop()
        return False

    def close(self) -> None:
        pass


def test_history_is_delivered_in_global_order_in_pages(store: EventStore) -> None:
    append(store, "s-1", 3)
    append(store, "s-2", 4)
    subscription = CatchUpSubscription(store, page_size=3)

    pages = list(subscription.pages(live=False))

    assert [len(page) for page in pages] == [3, 3, 1]
    assert positions([e for page in pages for e in page]) == logged(store)
    assert len(logged(store)) == 7
    assert subscription.position == logged(store)[-1]


def test_a_subscription_starts_right_after_its_checkpoint(store: EventStore) -> None:
    append(store, "s-1", 5)
    third = logged(store)[2]

    events = [
        e for page in CatchUpSubscription(store, third).pages(live=False) for e in page
    ]

    assert positions(events) == logged(store)[3:]
    assert len(events) == 2


def test_an_empty_log_delivers_nothing_when_not_following(store: EventStore) -> None:
    assert list(CatchUpSubscription(store).pages(live=False)) == []


def test_a_live_subscription_delivers_events_appended_after_it_caught_up(
    store: EventStore,
) -> None:
    append(store, "s-1", 2)
    notifier = AppendingNotifier(store)
    subscription = CatchUpSubscription(store, notifier=notifier, poll_interval=0.5)
    notifier.subscription = subscription

    events = list(subscription)

    assert positions(events) == logged(store)
    assert [e.stream for e in events] == ["s-1", "s-1", "s-late", "s-late"]
    assert [seen for seen, _ in notifier.waits] == [0, 1]
    assert all(0 < timeout <= 0.5 for _, timeout in notifier.waits)


def test_a_polling_subscription_follows_appends_from_another_thread(
    store: EventStore,
) -> None:
    subscription = CatchUpSubscription(store, poll_interval=0.01)
    seen: list[RecordedEvent] = []
    three_seen = threading.Event()

    def follow() -> None:
        for event in subscription:
            seen.append(event)
            if len(seen) == 3:
                three_seen.set()

    follower = threading.Thread(target=follow)
    follower.start()
    try:
        append(store, "s-1", 1)
        append(store, "s-2", 2)
        assert three_seen.wait(timeout=10)
    finally:
        subscription.stop()
        follower.join(timeout=10)

    assert not follower.is_alive()
    assert positions(seen) == logged(store)
    assert len(seen) == 3


def test_a_stopped_subscription_delivers_nothing_more(store: EventStore) -> None:
    append(store, "s-1", 2)
    subscription = CatchUpSubscription(store)
    subscription.stop()

    assert list(subscription) == []
    assert subscription.is_stopped


def test_the_async_subscription_delivers_the_same_pages(store: EventStore) -> None:
    append(store, "s-1", 5)
    log = logged(store)

    async def collect() -> list[list[RecordedEvent]]:
        subscription = CatchUpSubscription(store, log[0], page_size=2)
        return [page async for page in subscription.pages_async(live=False)]

    pages = asyncio.run(collect())

    assert [positions(page) for page in pages] == [log[1:3], log[3:5]]


def test_the_async_subscription_follows_live_until_stopped(store: EventStore) -> None:
    append(store, "s-1", 1)
    subscription = CatchUpSubscription(store, poll_interval=0.01)

    async def collect() -> list[int]:
        seen: list[int] = []
        async for event in subscription.events_async():
            seen.append(event.global_position)
            if len(seen) == 1:
                await asyncio.to_thread(append, store, "s-2", 1)
            else:
                subscription.stop()
        return seen

    assert asyncio.run(collect()) == logged(store)
    assert len(logged(store)) == 2


def test_a_subscription_refuses_a_negative_checkpoint(store: EventStore) -> None:
    with pytest.raises(ValueError, match="checkpoint"):
        CatchUpSubscription(store, -1)


def test_a_subscription_refuses_pages_of_no_events(store: EventStore) -> None:
    with pytest.raises(ValueError, match="at least one event"):
        CatchUpSubscription(store, page_size=0)


def test_postgres_notifies_a_follower_of_an_append(tmp_path: Path) -> None:
    with open_database("postgres", tmp_path) as database:
        notifier = open_append_notifier(database.url)
        assert notifier is not None
        try:
            seen = notifier.appends()
            assert not notifier.wait_for_append(seen, timeout=0.01)
            append(database.store, "s-1", 2)
            assert notifier.wait_for_append(seen, timeout=10)
            assert notifier.appends() > seen
        finally:
            notifier.close()


def test_a_postgres_notifier_whose_connection_the_server_cut_listens_again(
    tmp_path: Path,
) -> None:
    name = f"notifier-{uuid.uuid4().hex[:12]}"
    with open_database("postgres", tmp_path) as database:
        notifier = open_append_notifier(f"{database.url}&application_name={name}")
        assert notifier is not None
        try:
            seen = notifier.appends()
            assert cut_connections(name) == 1, "the test cut no connection"

            # Waiters hear of the loss, then of the new connection (which
            # wakes them: appends made meanwhile went unheard).
            deadline = time.monotonic() + WAIT_SECONDS
            while True:
                try:
                    if notifier.wait_for_append(seen, timeout=0.2):
                        break
                except StoreUnavailableError:
                    pass
                assert time.monotonic() < deadline, "the notifier never listened again"
            seen = notifier.appends()
            append(database.store, "s-1", 2)

            assert notifier.wait_for_append(seen, timeout=WAIT_SECONDS)
        finally:
            notifier.close()


def test_the_embedded_stores_have_no_notifier_so_followers_poll() -> None:
    assert open_append_notifier("memory:") is None
    assert open_append_notifier("sqlite:///x.db") is None
