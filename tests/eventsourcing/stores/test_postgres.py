"""What the PostgreSQL store promises beyond the contract: order, schema, errors."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator

import psycopg
import pytest
from psycopg import sql

from connect_four.eventsourcing.errors import (
    AppendTooLargeError,
    ConcurrencyError,
    InvalidStoreURLError,
    StoreUnavailableError,
)
from connect_four.eventsourcing.events import NewEvent, RecordedEvent
from connect_four.eventsourcing.store import EventStore, StreamState
from connect_four.eventsourcing.stores import open_store
from connect_four.eventsourcing.stores.postgresql import event_store as postgres
from connect_four.eventsourcing.stores.postgresql.event_store import parse_url
from tests.eventsourcing.stores.backends import (
    drop_postgres_schema,
    new_schema_name,
    open_postgres,
    postgres_url,
)

WAIT_SECONDS = 30.0


@pytest.fixture
def schema() -> Iterator[str]:
    """Yield a schema name of the test database, and drop the schema afterwards."""
    name = new_schema_name()
    postgres_url()
    yield name
    drop_postgres_schema(name)


@pytest.fixture
def connection(schema: str) -> Iterator[psycopg.Connection[tuple[object, ...]]]:
    """Yield a plain connection to the test database, beside the store's own."""
    conninfo, _, _ = parse_url(postgres_url())
    with psycopg.connect(conninfo, autocommit=True) as opened:
        yield opened


def new_events(*types: str) -> list[NewEvent]:
    return [NewEvent(type_, b"{}") for type_ in types]


def follow(store: EventStore, after: int, page: int) -> list[RecordedEvent]:
    """Read the log from a position to its current end, page by page."""
    seen = []
    while batch := store.read_all(after=after, limit=page):
        seen += batch
        after = batch[-1].global_position
    return seen


def test_a_follower_sees_every_event_once_in_order_under_many_writers(
    schema: str,
) -> None:
    writers = [open_postgres(schema) for _ in range(8)]
    follower = open_postgres(schema)
    appended: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(len(writers))

    def write(store: EventStore, number: int) -> None:
        barrier.wait()
        for append in range(40):
            events = new_events(*["E"] * (1 + (number + append) % 3))
            store.append(f"w{number}-{append}", events, StreamState.NO_STREAM)
            with lock:
                appended.extend(str(event.id) for event in events)

    threads = [
        threading.Thread(target=write, args=(store, number))
        for number, store in enumerate(writers)
    ]
    for thread in threads:
        thread.start()
    seen: list[RecordedEvent] = []
    while any(thread.is_alive() for thread in threads):
        seen += follow(follower, seen[-1].global_position if seen else 0, page=5)
    for thread in threads:
        thread.join()
    seen += follow(follower, seen[-1].global_position if seen else 0, page=5)
    for store in [*writers, follower]:
        store.close()

    positions = [event.global_position for event in seen]
    assert positions == sorted(set(positions))
    assert sorted(event.id for event in seen) == sorted(appended)
    reader = open_postgres(schema)
    assert seen == follow(reader, 0, page=1000)
    reader.close()


def test_an_append_that_commits_late_hides_later_ones_until_it_commits(
    schema: str, connection: psycopg.Connection[tuple[object, ...]]
) -> None:
    store = open_postgres(schema)
    append = sql.SQL(
        "SELECT * FROM {}.append_events_v3(ARRAY['slow'], ARRAY[-1]::bigint[],"
        " ARRAY[1], %s::uuid[], %s, %s, %s, NULL)"
    )
    slow = NewEvent("Slow", b"{}")

    with connection.transaction():
        connection.execute(
            append.format(sql.Identifier(schema)),
            ([slow.id], [slow.type], [slow.data], [slow.metadata]),
        )
        fast = store.append("fast", new_events("Fast"), StreamState.NO_STREAM)
        hidden = store.read_all()
        head_while_open = store.last_global_position()

    log = store.read_all()
    head = store.last_global_position()
    store.close()
    assert (hidden, head_while_open) == ([], 0)
    assert [event.type for event in log] == ["Slow", "Fast"]
    assert log[1].global_position == fast.global_position == head


def test_a_store_numbered_by_an_older_release_numbers_on_after_its_last_event(
    schema: str, connection: psycopg.Connection[tuple[object, ...]]
) -> None:
    old = sql.SQL(
        "CREATE SCHEMA {schema}; CREATE TABLE {schema}.events ("
        " global_position bigint PRIMARY KEY, stream text NOT NULL,"
        " stream_position bigint NOT NULL, event_id uuid NOT NULL, type text NOT NULL,"
        " data bytea NOT NULL, metadata bytea NOT NULL,"
        " recorded_at timestamptz NOT NULL DEFAULT now(),"
        " CONSTRAINT events_stream_position_key UNIQUE (stream, stream_position));"
        " INSERT INTO {schema}.events VALUES"
        " (1, 'game-1', 0, gen_random_uuid(), 'Old', '', '', now()),"
        " (2, 'game-1', 1, gen_random_uuid(), 'Old', '', '', now());"
        " CREATE FUNCTION {schema}.append_events_v2(p_stream text, p_expected bigint,"
        " p_ids uuid[], p_types text[], p_data bytea[], p_metadata bytea[],"
        " OUT accepted boolean, OUT actual bigint, OUT last_global bigint)"
        " LANGUAGE sql AS 'SELECT true, 0::bigint, 0::bigint'"
    ).format(schema=sql.Identifier(schema))
    connection.execute(old)

    store = open_postgres(schema)
    store.append("game-1", new_events("New"), 1)
    log = store.read_all()
    store.close()

    assert [(event.type, event.stream_position) for event in log] == [
        ("Old", 0),
        ("Old", 1),
        ("New", 2),
    ]
    assert [event.global_position for event in log][:2] == [1, 2]
    assert log[2].global_position > 2
    with pytest.raises(psycopg.errors.FeatureNotSupported, match="upgrade"):
        connection.execute(
            sql.SQL(
                "SELECT * FROM {}.append_events_v2("
                "'x', -1, '{{}}', '{{}}', '{{}}', '{{}}')"
            ).format(sql.Identifier(schema))
        )


def test_a_row_written_around_the_lock_still_raises_a_concurrency_error(
    schema: str, connection: psycopg.Connection[tuple[object, ...]]
) -> None:
    store = open_postgres(schema)
    store.append("game", new_events("Start"), StreamState.NO_STREAM)
    insert = sql.SQL(
        "INSERT INTO {}.events (global_position, stream, stream_position, event_id,"
        " type, data, metadata) VALUES (100, 'game', 1, %s, 'Sneaky', '', '')"
    ).format(sql.Identifier(schema))
    outcome: list[BaseException] = []

    def append_move() -> None:
        try:
            store.append("game", new_events("Move"), 0)
        except ConcurrencyError as exc:
            outcome.append(exc)

    with connection.transaction():
        connection.execute(insert, (uuid.uuid4(),))
        writer = threading.Thread(target=append_move)
        writer.start()
        deadline = time.monotonic() + WAIT_SECONDS
        query = (
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND wait_event = 'transactionid'"
        )
        while (row := connection.execute(query).fetchone()) and row[0] == 0:
            if time.monotonic() > deadline:
                pytest.fail("the store's writer never waited for the sneaky row")
            time.sleep(0.01)
    writer.join()
    store.close()

    (error,) = outcome
    assert isinstance(error, ConcurrencyError)
    assert (error.stream, error.expected, error.actual) == ("game", 0, 1)


def test_stores_starting_together_create_the_schema_once(schema: str) -> None:
    opened: list[EventStore] = []
    barrier = threading.Barrier(4)

    def start() -> None:
        barrier.wait()
        opened.append(open_postgres(schema))

    threads = [threading.Thread(target=start) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    opened[0].append("s", new_events("A"), StreamState.NO_STREAM)

    assert len(opened) == 4
    assert [e.type for e in opened[3].read_stream("s")] == ["A"]
    for store in opened:
        store.close()


def test_the_schema_is_named_in_the_url(schema: str) -> None:
    separator = "&" if "?" in postgres_url() else "?"
    store = open_store(f"{postgres_url()}{separator}schema={schema}")
    store.append("s", new_events("A"), StreamState.NO_STREAM)
    store.close()
    same = open_postgres(schema)
    other = open_postgres(new_schema_name())
    try:
        assert [e.type for e in same.read_stream("s")] == ["A"]
        assert other.read_stream("s") == []
    finally:
        same.close()
        other.close()
        drop_postgres_schema(other.schema)


@pytest.mark.parametrize(
    "query", ["schema=no-dashes", "schema=a;drop", "pool_size=0", "pool_size=x"]
)
def test_an_unusable_schema_or_pool_size_is_refused(query: str) -> None:
    with pytest.raises(InvalidStoreURLError):
        open_store(f"postgresql://postgres@127.0.0.1:5432/db?{query}")


def test_an_unreachable_server_is_unavailable_and_its_password_stays_secret() -> None:
    with pytest.raises(StoreUnavailableError) as raised:
        open_store("postgresql://ann:secret@127.0.0.1:1/games?connect_timeout=2")

    assert "127.0.0.1:1/games" in str(raised.value)
    assert "secret" not in str(raised.value)


@pytest.mark.parametrize("count", [3, 1500], ids=["few events", "many events"])
def test_an_append_over_the_byte_limit_is_refused_before_anything_is_written(
    schema: str, monkeypatch: pytest.MonkeyPatch, count: int
) -> None:
    # The real limit is 256 MiB; a small one shows the same refusal cheaply,
    # for appends of few events (one parameter per field) and of many (arrays).
    monkeypatch.setattr(postgres, "MAX_APPEND_BYTES", 1000)
    store = open_postgres(schema)
    events = [NewEvent("Big", b'{"x": "' + b"x" * 600 + b'"}') for _ in range(count)]

    with pytest.raises(AppendTooLargeError) as refused:
        store.append("big-1", events, StreamState.NO_STREAM)

    assert (refused.value.stream, refused.value.limit) == ("big-1", 1000)
    assert refused.value.size > 1000
    assert store.read_stream("big-1") == []
    store.close()
