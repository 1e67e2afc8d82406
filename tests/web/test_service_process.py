"""A real `connect-four serve`: metrics on their own port, JSON logs on stderr."""

from __future__ import annotations

import json
from pathlib import Path

import httpx2 as httpx
import pytest

from tests.web.games import open_game, play
from tests.web.servers import free_port
from tests.web.service import Service

pytestmark = pytest.mark.slow


def test_metrics_port_serves_the_metrics_off_the_public_port(tmp_path: Path) -> None:
    metrics_port = free_port()
    options = ["--metrics-port", str(metrics_port)]
    store_url = f"sqlite:///{tmp_path / 'games.db'}"
    with Service(store_url, tmp_path / "serve.log", options) as server:
        with httpx.Client(base_url=server.url) as client:
            play(client, open_game(client), "AB")
            public = client.get("/metrics")
        private = httpx.get(f"http://127.0.0.1:{metrics_port}/metrics")
    assert public.status_code == 404
    assert private.status_code == 200
    assert (
        'connect_four_commands_total{command="make_move",outcome="accepted"} 2.0'
        in private.text
    )


def test_json_logs_carry_the_correlation_id_of_each_command(tmp_path: Path) -> None:
    options = ["--log-format", "json"]
    store_url = f"sqlite:///{tmp_path / 'games.db'}"
    with (
        Service(store_url, tmp_path / "serve.log", options) as server,
        httpx.Client(base_url=server.url) as client,
    ):
        game = open_game(client)
        play(client, game, "D")
    entries = [json.loads(line) for line in server.log().splitlines() if line]
    moves = [
        entry
        for entry in entries
        if entry["logger"] == "connect_four.access"
        and entry.get("route") == "/api/games/{game_id}/moves"
    ]
    commands = [e for e in entries if e["logger"] == "connect_four.commands"]
    assert [entry["correlation_id"] for entry in moves] == [game.game_id]
    assert [(e["command"], e["correlation_id"]) for e in commands] == [
        ("open_game", game.game_id),
        ("make_move", game.game_id),
    ]
    assert moves[0]["request_id"] == commands[1]["request_id"]


def test_servers_sharing_a_metrics_directory_each_answer_for_all(
    tmp_path: Path,
) -> None:
    shared = tmp_path / "metrics"
    shared.mkdir()
    env = {"PROMETHEUS_MULTIPROC_DIR": str(shared)}
    store_url = f"sqlite:///{tmp_path / 'games.db'}"
    one = Service(store_url, tmp_path / "one.log", env=env)
    two = Service(store_url, tmp_path / "two.log", env=env)
    with one, two:
        for server, columns in ((one, "AB"), (two, "ABA")):
            with httpx.Client(base_url=server.url) as client:
                play(client, open_game(client), columns)
        scraped = [httpx.get(server.url + "/metrics").text for server in (one, two)]
    accepted = 'connect_four_commands_total{command="make_move",outcome="accepted"} 5.0'
    for text in scraped:
        assert accepted in text
        assert "connect_four_read_model_checkpoint{" in text
