"""Only requests addressed to a served name reach the app (DNS rebinding)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx2 as httpx
import pytest
from starlette.testclient import TestClient

from connect_four.application import ConnectFourApp
from connect_four.eventsourcing.stores.memory.event_store import InMemoryEventStore
from connect_four.web import create_app
from connect_four.web.trusted_hosts import allowed_hosts, host_of
from tests.web.games import memory_read_models
from tests.web.servers import ServerProcess


@pytest.fixture
def loopback_client(
    app: ConnectFourApp, store: InMemoryEventStore
) -> Iterator[TestClient]:
    """Yield a client of an app that answers to the loopback names only."""
    web = create_app(
        app, store, memory_read_models(store), allowed_hosts=allowed_hosts("127.0.0.1")
    )
    with TestClient(web, base_url="http://127.0.0.1:8000") as client:
        yield client


@pytest.mark.parametrize("host", ["127.0.0.1:8000", "localhost", "[::1]:8000"])
def test_a_loopback_server_answers_to_its_loopback_names(
    loopback_client: TestClient, host: str
) -> None:
    response = loopback_client.get("/api/games", headers={"Host": host})
    assert response.status_code == 200


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8000", "127.0.0.2"])
def test_a_request_naming_another_host_gets_400_with_the_served_names(
    loopback_client: TestClient, host: str
) -> None:
    response = loopback_client.get("/", headers={"Host": host})
    assert response.status_code == 400
    assert response.json()["error"] == "unknown_host"
    assert "--allowed-host" in response.json()["message"]
    assert "127.0.0.1" in response.json()["message"]


def test_a_refused_host_changes_nothing_stored(
    loopback_client: TestClient, store: InMemoryEventStore
) -> None:
    response = loopback_client.post(
        "/api/games",
        json={"player_one": "ann", "player_two": "bob"},
        headers={"Host": "evil.example"},
    )
    assert response.status_code == 400
    assert store.last_global_position() == 0


def test_allowed_names_add_to_the_loopback_ones_and_the_bound_address() -> None:
    names = allowed_hosts("192.168.1.5", ["Games.Example.", "::1"])
    assert names == {"127.0.0.1", "localhost", "[::1]", "192.168.1.5", "games.example"}


def test_a_wildcard_address_adds_no_name_of_its_own() -> None:
    assert allowed_hosts("0.0.0.0") == {"127.0.0.1", "localhost", "[::1]"}


def test_host_headers_are_read_without_their_port() -> None:
    assert host_of("Example.COM:8000") == "example.com"
    assert host_of("[::1]:8700") == "[::1]"


@pytest.mark.slow
def test_a_real_server_refuses_other_hosts_unless_allowed_and_logs_no_secret(
    tmp_path: Path,
) -> None:
    store = f"sqlite:///{tmp_path / 'games.db'}"
    with ServerProcess(store, tmp_path / "a.log") as plain:
        assert (
            httpx.get(plain.url + "/", headers={"Host": "evil.example"}).status_code
            == 400
        )
        assert httpx.get(plain.url + "/api/log?after=0&token=s3cret").status_code == 200
        assert (
            httpx.get(plain.url.replace("127.0.0.1", "localhost") + "/").status_code
            == 200
        )
        log = plain.log()
    assert "s3cret" not in log  # the access log leaves query strings out
    with ServerProcess(
        store, tmp_path / "b.log", options=("--allowed-host", "games.example")
    ) as named:
        answer = httpx.get(named.url + "/", headers={"Host": "games.example:80"})
        assert answer.status_code == 200
