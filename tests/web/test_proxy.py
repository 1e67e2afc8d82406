"""The deployment past one machine, on loopback: nginx, two servers, one PostgreSQL.

The proxy runs the configuration shipped in `deploy/nginx/`, rendered as
nginx's Docker image renders it; the servers are real `connect-four serve`
processes over one PostgreSQL schema. A game is played through the proxy
while a live feed, also through the proxy, shows every move; a live
WebSocket whose server stops resumes on the other.
"""

from __future__ import annotations

import os
import re
import shutil
import string
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx2 as httpx
import pytest
from websockets.sync.client import connect
from websockets.typing import Origin

from tests.eventsourcing.stores.backends import (
    drop_postgres_schema,
    new_schema_name,
    postgres_url,
)
from tests.web.games import open_game, play
from tests.web.servers import STARTUP_SECONDS, feed, free_port
from tests.web.service import Service
from tests.web.sockets import RealSocket, subscribe

TEMPLATE = Path(__file__).parents[2] / "deploy" / "nginx" / "connect-four.conf.template"
MAIN_CONFIG = """\
{user}
worker_processes 1;
daemon off;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 256; }}
http {{
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    include {folder}/connect-four.conf;
}}
"""


def nginx_binary() -> str:
    """Return nginx's path; skip the test (fail it under CI) if it is absent."""
    found = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/sbin")
    if found is None:
        reason = "nginx is not installed (Debian: apt-get install -y nginx)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}, but CI must run this test")
        pytest.skip(reason)
    return found


@dataclass
class Proxy:
    """An nginx process in front of the servers."""

    url: str
    folder: Path
    process: subprocess.Popen[bytes]

    def log(self) -> str:
        """Return nginx's access log (its stdout) and error log."""
        access = (self.folder / "stdout.log").read_text(errors="replace")
        errors = (self.folder / "error.log").read_text(errors="replace")
        return access + errors


def start_proxy(folder: Path, servers: list[Service]) -> Proxy:
    """Render the shipped configuration for the servers and start nginx on it."""
    binary = nginx_binary()
    folder.mkdir()
    port = free_port()
    rendered = string.Template(TEMPLATE.read_text()).safe_substitute(
        CONNECT_FOUR_SERVER_ONE=f"127.0.0.1:{servers[0].port}",
        CONNECT_FOUR_SERVER_TWO=f"127.0.0.1:{servers[1].port}",
        CONNECT_FOUR_PROXY_LISTEN=f"127.0.0.1:{port}",
    )
    (folder / "connect-four.conf").write_text(rendered)
    user = "user root;" if os.geteuid() == 0 else ""
    (folder / "nginx.conf").write_text(MAIN_CONFIG.format(user=user, folder=folder))
    with (folder / "stdout.log").open("wb") as output:
        process = subprocess.Popen(
            [binary, "-p", str(folder), "-c", str(folder / "nginx.conf")],
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    proxy = Proxy(f"http://127.0.0.1:{port}", folder, process)
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"nginx stopped at start:\n{proxy.log()}")
        try:
            httpx.get(proxy.url + "/healthz", timeout=1.0)
        except httpx.TransportError:
            time.sleep(0.1)
        else:
            return proxy
    process.kill()
    pytest.fail(f"nginx did not answer within {STARTUP_SECONDS} s:\n{proxy.log()}")


@pytest.fixture
def deployment(tmp_path: Path) -> Iterator[tuple[Proxy, list[Service]]]:
    """Yield nginx in front of two servers over one fresh PostgreSQL schema."""
    nginx_binary()
    schema = new_schema_name()
    base = postgres_url()
    store = f"{base}{'&' if '?' in base else '?'}schema={schema}"
    servers = [
        Service(store, tmp_path / f"serve-{number}.log", ["--no-rate-limit"])
        for number in (1, 2)
    ]
    try:
        for server in servers:
            server.start()
        proxy = start_proxy(tmp_path / "nginx", servers)
        try:
            yield proxy, servers
        finally:
            proxy.process.terminate()
            proxy.process.wait(10)
    finally:
        for server in servers:
            server.stop()
        drop_postgres_schema(schema)


def accepted_moves(server: Service) -> float:
    """Return how many moves one server accepted, from its own metrics."""
    text = httpx.get(server.url + "/metrics").text
    sample = 'connect_four_commands_total{command="make_move",outcome="accepted"} '
    for line in text.splitlines():
        if line.startswith(sample):
            return float(line.removeprefix(sample))
    return 0.0


@pytest.mark.slow
def test_a_game_played_through_the_proxy_reaches_a_live_feed_through_it(
    deployment: tuple[Proxy, list[Service]],
) -> None:
    proxy, _ = deployment
    with httpx.Client(base_url=proxy.url) as client:
        game = open_game(client)
        with feed(f"{proxy.url}/api/games/{game.game_id}/live") as live:
            play(client, game, "ABABABA")
            events = live.take(8)  # from the game's position when the feed opened
    assert [event["type"] for event in events] == [*["MoveMade"] * 7, "GameFinished"]
    assert [event["data"]["column"] for event in events[:7]] == list("ABABABA")


def live_connections(server: Service) -> float:
    """Return how many live connections one server holds, from its own metrics."""
    text = httpx.get(server.url + "/metrics").text
    for line in text.splitlines():
        if line.startswith("connect_four_live_connections "):
            return float(line.split()[1])
    return 0.0


@pytest.mark.slow
def test_a_live_socket_moves_to_the_other_server_when_its_own_stops(
    deployment: tuple[Proxy, list[Service]],
) -> None:
    proxy, servers = deployment
    address = proxy.url.replace("http://", "ws://") + "/api/live"
    with httpx.Client(base_url=proxy.url) as client:
        game = open_game(client)
        feed = f"game:{game.game_id}"
        with connect(address, origin=Origin(proxy.url), open_timeout=10) as socket:
            live = RealSocket(socket)
            live.send(subscribe(feed, after=0))
            assert live.frame()["type"] == "subscribed"
            play(client, game, "AB")
            seen = live.events(5)
            holder = next(s for s in servers if live_connections(s) == 1)
            holder.terminate()
            assert live.frame()["type"] == "reconnect"
        assert holder.wait_exit(15) == 0
        play(client, game, "AB")  # while no socket is open
        with connect(address, origin=Origin(proxy.url), open_timeout=10) as socket:
            live = RealSocket(socket)
            live.send(subscribe(feed, after=seen[-1]["global_position"]))
            assert live.frame()["type"] == "subscribed"
            resumed = live.events(2)
            play(client, game, "C")  # ann's turn again
            resumed += live.events(1)
    assert [e["data"].get("column") for e in seen[3:]] == ["A", "B"]
    assert [e["data"]["column"] for e in resumed] == ["A", "B", "C"]
    positions = [e["global_position"] for e in [*seen, *resumed]]
    assert positions == sorted(set(positions))


@pytest.mark.slow
def test_the_proxy_balances_requests_over_both_servers_without_stickiness(
    deployment: tuple[Proxy, list[Service]],
) -> None:
    proxy, servers = deployment
    with httpx.Client(base_url=proxy.url) as client:
        play(client, open_game(client), "ABABABA")
    counts = [accepted_moves(server) for server in servers]
    assert sum(counts) == 7
    assert all(count > 0 for count in counts), counts


@pytest.mark.slow
def test_the_proxy_keeps_metrics_private_and_query_strings_out_of_its_log(
    deployment: tuple[Proxy, list[Service]],
) -> None:
    proxy, _ = deployment
    assert httpx.get(proxy.url + "/metrics").status_code == 404
    assert httpx.get(proxy.url + "/api/log?after=0&token=s3cr3t").status_code == 200
    time.sleep(0.2)  # nginx writes its access log line after the answer
    assert '"GET /api/log" 200' in proxy.log()
    assert "s3cr3t" not in proxy.log()


@pytest.mark.slow
def test_a_server_stopping_mid_game_leaves_the_game_to_the_other(
    deployment: tuple[Proxy, list[Service]],
) -> None:
    proxy, servers = deployment
    with httpx.Client(base_url=proxy.url) as client:
        game = open_game(client)
        play(client, game, "ABA")
        servers[0].terminate()
        assert servers[0].wait_exit(15) == 0
        play(client, game, "BABA", players=("bob", "ann"))
        state = client.get(f"/api/games/{game.game_id}").json()
    assert state["status"] == "finished"


def test_compose_gives_the_proxy_every_setting_its_template_names() -> None:
    names = set(re.findall(r"\$\{(\w+)\}", TEMPLATE.read_text()))
    compose = (TEMPLATE.parents[2] / "compose.yaml").read_text()
    assert names == {
        "CONNECT_FOUR_SERVER_ONE",
        "CONNECT_FOUR_SERVER_TWO",
        "CONNECT_FOUR_PROXY_LISTEN",
    }
    for name in names:
        assert f"      {name}: " in compose, name
    assert "./deploy/nginx:/etc/nginx/templates:ro" in compose
