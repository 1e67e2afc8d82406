"""The web app's security promises, checked from the outside.

Seat tokens are unguessable, compared in constant time, never shown to
spectators and never logged, by the app or by the real server's access log;
a player cannot move for the other; names stay data, never markup; bodies
are limited in size and requests in rate; the server listens on 127.0.0.1
unless told otherwise; pages carry the security headers, with a policy that
forbids inline script.
"""

from __future__ import annotations

import inspect
import json
import logging
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Final, Protocol

import httpx
import pytest
from starlette.testclient import TestClient

from connect_four import web
from connect_four.application import ConnectFourApp, tables
from connect_four.cli import build_parser
from connect_four.domain import table
from connect_four.eventsourcing.stores.memory.event_store import InMemoryEventStore
from connect_four.persistence.game_repository import EventSourcedGameRepository
from connect_four.web import create_app
from connect_four.web.security import CONTENT_SECURITY_POLICY
from tests.web.games import memory_read_models

STATIC: Final = Path(web.__file__).parent / "static"
TOKEN_ALPHABET: Final = re.compile(r"[A-Za-z0-9_-]+")
INJECTION: Final = '<img src=x onerror="alert(1)">'


@pytest.fixture
def store() -> InMemoryEventStore:
    """Return an empty in-memory store."""
    return InMemoryEventStore()


@pytest.fixture
def client(store: InMemoryEventStore) -> Iterator[TestClient]:
    """Yield a client of the web app over the store, its lifespan running."""
    app = ConnectFourApp.over(EventSourcedGameRepository(store))
    with TestClient(create_app(app, store, memory_read_models(store))) as test_client:
        yield test_client


def open_game(client: TestClient | httpx.Client, one: str = "ann") -> dict[str, str]:
    """Open a game with both seats; return the game id and each player's token."""
    answer = client.post("/api/games", json={"player_one": one, "player_two": "bob"})
    assert answer.status_code == 201, answer.text
    body = answer.json()
    return {"game": body["game_id"]} | {s["player"]: s["token"] for s in body["seats"]}


class Answer(Protocol):
    """What the tests read of an HTTP answer, from either client."""

    @property
    def status_code(self) -> int:
        """Return the HTTP status."""
        ...

    def json(self, **kwargs: Any) -> Any:
        """Return the body parsed as JSON."""
        ...


def move(
    client: TestClient | httpx.Client, game: dict[str, str], token: str, column: str
) -> Answer:
    """Send a move with a bearer token."""
    return client.post(
        f"/api/games/{game['game']}/moves",
        json={"column": column},
        headers={"Authorization": f"Bearer {token}"},
    )


def test_seat_tokens_are_long_random_and_never_repeat(client: TestClient) -> None:
    tokens = [
        t for _ in range(100) for k, t in open_game(client).items() if k != "game"
    ]

    assert len(set(tokens)) == len(tokens)
    assert all(TOKEN_ALPHABET.fullmatch(token) for token in tokens)
    # 32 random bytes in URL-safe base64: 256 bits, not guessable.
    assert min(len(token) for token in tokens) >= 43


def test_tokens_come_from_the_secrets_module_and_are_compared_in_constant_time() -> (
    None
):
    assert "secrets.token_urlsafe" in inspect.getsource(tables.new_secret)
    assert tables.SECRET_BYTES >= 32
    assert "hmac.compare_digest" in inspect.getsource(table.Table.holder_of)
    assert "hmac.compare_digest" in inspect.getsource(table.Table.join)


@pytest.mark.parametrize(
    "forge",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),
        lambda token: token.upper(),
        lambda token: token[:20],
        lambda token: table.digest(token),
        lambda token: token + token,
    ],
    ids=["last letter", "upper case", "prefix", "digest", "doubled"],
)
def test_a_token_that_is_almost_right_moves_no_one(
    client: TestClient, store: InMemoryEventStore, forge: object
) -> None:
    game = open_game(client)
    before = store.last_global_position()
    assert callable(forge)

    answer = move(client, game, forge(game["ann"]), "A")

    assert answer.status_code in (401, 403)
    assert store.last_global_position() == before


def test_a_player_cannot_move_for_the_other(
    client: TestClient, store: InMemoryEventStore
) -> None:
    game = open_game(client)
    assert move(client, game, game["ann"], "A").status_code == 200
    before = store.last_global_position()

    answer = move(client, game, game["ann"], "B")

    assert answer.status_code == 409
    assert answer.json()["error"] == "rule_broken"
    assert store.last_global_position() == before


def test_a_token_of_another_game_moves_nothing_here(
    client: TestClient, store: InMemoryEventStore
) -> None:
    game, other = open_game(client), open_game(client)
    before = store.last_global_position()

    answer = move(client, game, other["ann"], "A")

    assert answer.status_code == 403
    assert store.last_global_position() == before


def everything_a_spectator_can_read(client: TestClient, game_id: str) -> str:
    """Return every answer of every GET endpoint for a game, joined."""
    paths = [
        f"/api/games/{game_id}",
        f"/api/games/{game_id}/events",
        "/api/games",
        "/api/leaderboard",
        "/api/log?limit=1000",
        "/api/streams",
        f"/api/streams/game-{game_id}",
        f"/api/streams/seats-{game_id}",
        f"/games/{game_id}",
        f"/games/{game_id}/replay",
        "/",
        "/openapi.json",
    ]
    return "\n".join(client.get(path).text for path in paths)


def test_spectators_see_no_token_secret_or_digest(client: TestClient) -> None:
    game = open_game(client)
    invite = client.post("/api/games", json={"player_one": "cy"}).json()
    move(client, game, game["ann"], "A")

    seen = everything_a_spectator_can_read(client, game["game"])
    seen += everything_a_spectator_can_read(client, invite["game_id"])

    secrets = [game["ann"], game["bob"], invite["invite_secret"]]
    secrets += [s["token"] for s in invite["seats"]]
    for secret in secrets:
        assert secret not in seen
        assert table.digest(secret) not in seen


def test_no_log_record_holds_a_token_or_secret(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    game = open_game(client)
    invite = client.post("/api/games", json={"player_one": "cy"}).json()
    client.post(
        f"/api/games/{invite['game_id']}/join",
        json={"player": "dee", "secret": invite["invite_secret"]},
    )
    for token, column in ((game["ann"], "A"), (game["ann"], "B"), ("forged", "C")):
        move(client, game, token, column)

    logged = "\n".join(
        f"{record.getMessage()} {record.args} {record.exc_text}"
        for record in caplog.records
    )
    for secret in (game["ann"], game["bob"], invite["invite_secret"]):
        assert secret not in logged


def test_a_name_is_data_never_markup(client: TestClient) -> None:
    game = open_game(client, INJECTION)

    api = client.get(f"/api/games/{game['game']}")
    page = client.get(f"/games/{game['game']}")

    assert api.headers["content-type"] == "application/json"
    assert api.json()["player_one"] == INJECTION
    assert page.headers["content-type"].startswith("text/html")
    assert INJECTION not in page.text
    assert "onerror" not in page.text


@pytest.mark.parametrize("script", sorted(STATIC.glob("*.js")), ids=lambda p: p.name)
def test_no_script_turns_text_into_markup(script: Path) -> None:
    source = script.read_text(encoding="utf-8")
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write"):
        assert sink not in source
    assert re.search(r"\beval\s*\(|new Function\s*\(", source) is None


@pytest.mark.parametrize(
    "path", ["/", "/games/x", "/games/x/replay", "/streams", "/api/games", "/nowhere"]
)
def test_every_answer_carries_the_security_headers(
    client: TestClient, path: str
) -> None:
    headers = client.get(path).headers

    policy = headers["content-security-policy"]
    assert policy == CONTENT_SECURITY_POLICY
    directives = dict(part.split(" ", 1) for part in policy.split("; "))
    assert directives["script-src"] == "'self'"
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert directives["frame-ancestors"] == "'none'"
    assert headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize("page", sorted(STATIC.glob("*.html")), ids=lambda p: p.name)
def test_no_page_holds_inline_script(page: Path) -> None:
    html = page.read_text(encoding="utf-8")

    assert re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html) is None
    assert re.search(r"\son[a-z]+\s*=", html) is None
    assert "javascript:" not in html


def test_the_server_listens_on_this_machine_only_by_default() -> None:
    args = build_parser().parse_args(["serve"])

    assert args.host == "127.0.0.1"


def free_port() -> int:
    """Return a TCP port nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def listening_addresses(port: int) -> set[str]:
    """Return the local IPv4 addresses with a socket listening on a port (Linux)."""
    found = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        local, state = line.split()[1], line.split()[3]
        address, _, hex_port = local.partition(":")
        if state == "0A" and int(hex_port, 16) == port:
            octets = bytes.fromhex(address)[::-1]
            found.add(".".join(str(octet) for octet in octets))
    return found


@pytest.fixture
def server(
    tmp_path: Path,
) -> Iterator[tuple[httpx.Client, subprocess.Popen[bytes], int]]:
    """Run `connect-four serve` with its defaults; yield a client, the process, port."""
    port = free_port()
    command = [
        sys.executable, "-m", "connect_four.cli",
        "--store", f"sqlite:///{tmp_path / 'games.db'}",
        "serve", "--port", str(port),
    ]  # fmt: skip
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    base = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(base_url=base, timeout=10) as http:
            for _ in range(600):
                try:
                    http.get("/api/games")
                    break
                except httpx.TransportError:
                    time.sleep(0.05)
            yield http, process, port
    finally:
        if process.poll() is None:
            os.kill(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


@pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="reads /proc/net/tcp")
def test_the_real_server_binds_to_127_0_0_1_and_logs_no_secret(
    server: tuple[httpx.Client, subprocess.Popen[bytes], int],
) -> None:
    http, process, port = server
    assert listening_addresses(port) == {"127.0.0.1"}
    game = open_game(http)
    invite = http.post("/api/games", json={"player_one": "cy"}).json()
    http.post(
        f"/api/games/{invite['game_id']}/join",
        json={"player": "dee", "secret": invite["invite_secret"]},
    )
    move(http, game, game["ann"], "A")
    move(http, game, game["ann"], "B")
    statuses = {http.post("/api/games", json={}).status_code for _ in range(40)}
    assert 429 in statuses

    os.kill(process.pid, signal.SIGTERM)
    output = process.communicate(timeout=30)[0].decode(errors="replace")

    assert "POST /api/games" in output  # the access log was on
    assert "429" in output  # the burst below hit the rate limit
    for secret in (game["ann"], game["bob"], invite["invite_secret"]):
        assert secret not in output
    assert "Traceback" not in output


def test_the_openapi_description_names_no_secret_in_a_url() -> None:
    store = InMemoryEventStore()
    app = ConnectFourApp.over(EventSourcedGameRepository(store))
    with TestClient(create_app(app, store, memory_read_models(store))) as client:
        described = json.dumps(client.get("/openapi.json").json()["paths"])

    # Secrets travel in headers and bodies, which access logs do not record.
    assert "token}" not in described
    assert "secret}" not in described
