"""What the KurrentDB store does beyond the contract: URLs, namespaces, errors."""

from __future__ import annotations

import pytest
from kurrentdbclient import KurrentDBClient

from connect_four.eventsourcing.errors import (
    AppendTooLargeError,
    InvalidStoreURLError,
    StoreUnavailableError,
)
from connect_four.eventsourcing.events import NewEvent
from connect_four.eventsourcing.store import StreamState
from connect_four.eventsourcing.stores import open_store
from connect_four.eventsourcing.stores.kurrentdb.event_store import KurrentDBEventStore
from tests.eventsourcing.stores.fake_kurrentdb import FakeKurrentDBClient


def test_the_namespace_option_is_ours_and_the_rest_goes_to_the_client() -> None:
    store = open_store("kurrentdb://127.0.0.1:2113?tls=false&namespace=team-a-")

    assert isinstance(store, KurrentDBEventStore)
    assert store.namespace == "team-a-"
    assert isinstance(store.client, KurrentDBClient)
    assert store.client.connection_spec.scheme == "esdb"
    assert store.client.connection_spec.options.tls is False
    store.close()


@pytest.mark.parametrize(
    "url", ["kurrentdb://127.0.0.1:2113?bogus=1", "esdb://?tls=false"]
)
def test_a_url_the_client_refuses_is_an_invalid_store_url(url: str) -> None:
    with pytest.raises(InvalidStoreURLError):
        open_store(url)


def test_an_unreachable_server_is_unavailable_and_its_password_stays_secret() -> None:
    store = open_store("esdb://admin:secret@127.0.0.1:1?tls=false")

    with pytest.raises(StoreUnavailableError) as raised:
        store.read_stream("game-1")
    store.close()

    assert "127.0.0.1:1" in str(raised.value)
    assert "secret" not in str(raised.value)


def test_namespaces_on_one_server_keep_their_streams_and_logs_apart() -> None:
    client = FakeKurrentDBClient()
    one, two = KurrentDBEventStore(client, "one-"), KurrentDBEventStore(client, "two-")

    one.append("game-1", [NewEvent("A", b"{}")], StreamState.NO_STREAM)
    two.append("game-1", [NewEvent("B", b"{}")], StreamState.NO_STREAM)

    assert [(e.stream, e.type) for e in one.read_all()] == [("game-1", "A")]
    assert [(e.stream, e.type) for e in two.read_stream("game-1")] == [("game-1", "B")]
    assert one.last_global_position() < two.last_global_position()


def test_without_a_namespace_streams_keep_their_names_and_system_events_stay_out() -> (
    None
):
    client = FakeKurrentDBClient()
    store = KurrentDBEventStore(client)

    store.append("game-1", [NewEvent("A", b"{}")], StreamState.NO_STREAM)

    assert [e.stream_name for e in client.get_stream("game-1")] == ["game-1"]
    assert [e.stream for e in store.read_all()] == ["game-1"]


def test_an_append_with_any_reports_where_its_events_landed() -> None:
    store = KurrentDBEventStore(FakeKurrentDBClient())
    store.append("s", [NewEvent("A", b"{}"), NewEvent("B", b"{}")], StreamState.ANY)

    result = store.append("s", [NewEvent("C", b"{}")], StreamState.EXISTS)

    assert result.stream_position == 2
    assert result.global_position == store.last_global_position()


def test_an_append_over_the_servers_size_limit_is_too_large_and_stores_nothing() -> (
    None
):
    client = FakeKurrentDBClient(max_append_size=1024)
    store = KurrentDBEventStore(client, "team-a-")
    events = [NewEvent("MoveMade", b'{"column": "A"}' + b" " * 100) for _ in range(10)]

    with pytest.raises(AppendTooLargeError) as refused:
        store.append("game-1", events, StreamState.NO_STREAM)

    assert (refused.value.stream, refused.value.limit) == ("game-1", 1024)
    assert refused.value.size == sum(len(e.data) + len(e.metadata) for e in events)
    assert "split the append" in str(refused.value)
    assert store.read_stream("game-1") == []
