"""Appends of several threads that share a transaction: each is stored or refused alone.

In every test the first append waits for a lock another connection holds, so
the appends started after it queue behind it, in the order they were started,
and commit together in the next transaction once the lock is released.
"""

from __future__ import annotations

import sqlite3
import threading
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import closing
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from connect_four.eventsourcing.errors import (
    ConcurrencyError,
    DuplicateEventIdError,
    StoreUnavailableError,
)
from connect_four.eventsourcing.events import NewEvent
from connect_four.eventsourcing.store import (
    AppendResult,
    ExpectedVersion,
    StreamState,
)
from connect_four.eventsourcing.stores.postgresql.event_store import (
    PostgresEventStore,
    parse_url,
)
from connect_four.eventsourcing.stores.sqlite.event_store import SQLiteEventStore
from tests.eventsourcing.stores.backends import (
    drop_postgres_schema,
    new_schema_name,
    open_postgres,
    postgres_url,
)
from tests.eventsourcing.stores.waiting import WAIT_SECONDS, wait_until

Store = SQLiteEventStore | PostgresEventStore
Outcome = AppendResult | Exception


@pytest.fixture(params=["sqlite", "postgres"])
def held(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[tuple[Store, Callable[[], None]]]:
    """Yield a store whose writes wait until the returned function is called."""
    if request.param == "sqlite":
        path = tmp_path / "events.db"
        sqlite_store = SQLiteEventStore(path)
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")

        def release() -> None:
            other.execute("ROLLBACK")

        yield sqlite_store, release
        other.close()
        sqlite_store.close()
        return
    schema = new_schema_name()
    postgres_url()
    postgres_store = open_postgres(schema)
    conninfo, _, _ = parse_url(postgres_url())
    with psycopg.connect(conninfo) as connection:
        connection.execute(
            sql.SQL("LOCK TABLE {}.events IN EXCLUSIVE MODE").format(
                sql.Identifier(schema)
            )
        )
        yield postgres_store, connection.rollback
    postgres_store.close()
    drop_postgres_schema(schema)


class Appends:
    """Appends started one by one in threads of their own, each one's outcome kept."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.outcomes: dict[str, Outcome] = {}
        self.threads: list[threading.Thread] = []

    def start(
        self,
        name: str,
        stream: str,
        events: Sequence[NewEvent],
        expected: ExpectedVersion,
    ) -> None:
        """Start an append; once it is under way, return."""

        def append() -> None:
            try:
                self.outcomes[name] = self.store.append(stream, events, expected)
            except (
                ConcurrencyError,
                DuplicateEventIdError,
                StoreUnavailableError,
            ) as e:
                self.outcomes[name] = e

        waiting = self.store.group_commit.waiting
        started = self.store.group_commit.transactions
        self.threads.append(threading.Thread(target=append))
        self.threads[-1].start()
        if not self.threads[:-1]:
            wait_until(
                lambda: self.store.group_commit.transactions > started,
                f"{name} under way",
            )
        else:
            wait_until(
                lambda: self.store.group_commit.waiting > waiting, f"{name} waiting"
            )

    def finish(self) -> dict[str, Outcome]:
        """Wait for every append to be answered; return the answers by name."""
        for thread in self.threads:
            thread.join(WAIT_SECONDS)
        return self.outcomes


def event(event_id: str | None = None) -> NewEvent:
    return NewEvent("E", b"{}", b"{}", event_id or str(uuid.uuid4()))


def test_appends_sharing_a_transaction_are_each_stored_or_refused_alone(
    held: tuple[Store, Callable[[], None]],
) -> None:
    store, release = held
    appends = Appends(store)
    appends.start("first", "first", [event()], StreamState.NO_STREAM)
    appends.start("a", "a", [event()], StreamState.NO_STREAM)
    appends.start("bad", "bad", [event()], 5)  # no such position: refused
    appends.start("b", "b", [event()], StreamState.NO_STREAM)

    release()
    outcomes = appends.finish()

    assert store.group_commit.grouped == 3
    assert isinstance(outcomes["bad"], ConcurrencyError)
    assert [e.stream for e in store.read_all()] == ["first", "a", "b"]
    assert all(isinstance(outcomes[name], AppendResult) for name in ("first", "a", "b"))
    assert store.read_stream("bad") == []


def test_a_stored_id_and_an_id_repeated_in_the_batch_fail_alone(
    held: tuple[Store, Callable[[], None]],
) -> None:
    store, release = held
    stored, repeated = event(), event()
    appends = Appends(store)
    appends.start("first", "first", [stored], StreamState.NO_STREAM)
    appends.start("a", "a", [repeated, event()], StreamState.NO_STREAM)
    appends.start("conflict", "first", [event()], 5)
    appends.start("retry", "retry", [event(stored.id)], StreamState.NO_STREAM)
    appends.start("twin", "twin", [event(), event(repeated.id)], StreamState.NO_STREAM)
    appends.start("b", "b", [event()], StreamState.NO_STREAM)

    release()
    outcomes = appends.finish()

    assert isinstance(outcomes["conflict"], ConcurrencyError)
    refused = outcomes["retry"], outcomes["twin"]
    assert all(isinstance(outcome, DuplicateEventIdError) for outcome in refused)
    assert [str(getattr(outcome, "event_id", "")) for outcome in refused] == [
        stored.id,
        repeated.id,
    ]
    log = store.read_all()
    assert [e.stream for e in log] == ["first", "a", "a", "b"]
    results = [outcomes[name] for name in ("first", "a", "b")]
    assert [getattr(result, "global_position", None) for result in results] == [
        log[0].global_position,
        log[2].global_position,
        log[3].global_position,
    ]
    assert store.read_stream("retry") == store.read_stream("twin") == []


def test_appends_to_one_stream_in_one_transaction_take_consecutive_positions(
    tmp_path: Path,
) -> None:
    store = SQLiteEventStore(tmp_path / "events.db")
    other = sqlite3.connect(tmp_path / "events.db", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    appends = Appends(store)
    appends.start("first", "first", [event()], StreamState.NO_STREAM)
    appends.start("new", "game", [event(), event()], StreamState.NO_STREAM)
    appends.start("next", "game", [event()], 1)
    appends.start("stale", "game", [event()], 1)

    other.execute("ROLLBACK")
    outcomes = appends.finish()

    assert [outcomes["new"], outcomes["next"]] == [
        AppendResult(1, 3),
        AppendResult(2, 4),
    ]
    assert isinstance(outcomes["stale"], ConcurrencyError)
    assert [e.stream_position for e in store.read_stream("game")] == [0, 1, 2]
    other.close()
    store.close()


def test_a_row_a_hand_made_rule_refuses_fails_its_append_alone(tmp_path: Path) -> None:
    path = tmp_path / "events.db"
    store = SQLiteEventStore(path)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute(
        "CREATE TRIGGER no_secrets BEFORE INSERT ON events WHEN NEW.type = 'Secret'"
        " BEGIN SELECT RAISE(ABORT, 'no secrets here'); END"
    )
    other.execute("BEGIN IMMEDIATE")
    appends = Appends(store)
    appends.start("first", "first", [event()], StreamState.NO_STREAM)
    appends.start(
        "secret", "secret", [NewEvent("Secret", b"{}")], StreamState.NO_STREAM
    )
    appends.start("plain", "plain", [event()], StreamState.NO_STREAM)

    other.execute("ROLLBACK")
    outcomes = appends.finish()

    assert isinstance(outcomes["secret"], StoreUnavailableError)
    assert "no secrets here" in str(outcomes["secret"])
    assert [e.stream for e in store.read_all()] == ["first", "plain"]
    other.close()
    store.close()


def test_an_append_alone_that_a_hand_made_rule_refuses_stores_nothing(
    tmp_path: Path,
) -> None:
    store = SQLiteEventStore(tmp_path / "events.db")
    with closing(sqlite3.connect(tmp_path / "events.db")) as other:
        other.execute(
            "CREATE TRIGGER no_secrets BEFORE INSERT ON events WHEN NEW.type = 'Secret'"
            " BEGIN SELECT RAISE(ABORT, 'no secrets here'); END"
        )

    with pytest.raises(StoreUnavailableError, match="no secrets here"):
        store.append("s", [event(), NewEvent("Secret", b"{}")], StreamState.NO_STREAM)

    assert store.read_all() == []
    store.close()
