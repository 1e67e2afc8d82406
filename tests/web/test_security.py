"""Secrets stay secret, pages run no inline script, every answer carries headers."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from connect_four.web.security import CONTENT_SECURITY_POLICY
from tests.web.games import open_game, play

STATIC = Path(__file__).parents[2] / "src/connect_four/web/static"
PAGES = ["/", "/games/some-id", "/games/some-id/replay", "/streams", "/streams/game-x"]
INJECTION = '<img src=x onerror="alert(1)">'


@pytest.mark.parametrize("path", [*PAGES, "/api/games", "/static/game.js"])
def test_every_answer_carries_the_security_headers(
    client: TestClient, path: str
) -> None:
    headers = client.get(path).headers
    assert headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"] == "no-referrer"


def test_the_policy_allows_scripts_and_styles_only_from_the_server() -> None:
    directives = dict(d.split(" ", 1) for d in CONTENT_SECURITY_POLICY.split("; "))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert "unsafe" not in CONTENT_SECURITY_POLICY


@pytest.mark.parametrize("page", sorted(STATIC.glob("*.html")), ids=lambda p: p.name)
def test_pages_hold_no_inline_script_handler_or_style(page: Path) -> None:
    html = page.read_text()
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert 'src="/static/' in tag
    assert re.search(r"<script\b[^>]*>\s*[^<\s]", html) is None
    assert re.search(r"\son\w+\s*=", html) is None
    assert re.search(r"\sstyle\s*=", html) is None
    assert "<style" not in html


@pytest.mark.parametrize("script", sorted(STATIC.glob("*.js")), ids=lambda p: p.name)
def test_scripts_never_parse_text_as_markup(script: Path) -> None:
    source = script.read_text()
    for sink in (
        "innerHTML",
        "outerHTML",
        "insertAdjacentHTML",
        "document.write",
        "eval(",
    ):
        assert sink not in source


@pytest.mark.parametrize("path", PAGES)
def test_pages_are_the_same_static_file_whatever_the_game(
    client: TestClient, path: str
) -> None:
    game = open_game(client, INJECTION, "bob")
    assert game.body["seats"][0]["player"] == INJECTION
    page = client.get(path.replace("some-id", game.game_id))
    assert page.headers["content-type"].startswith("text/html")
    assert "onerror" not in page.text


def test_a_script_injection_name_comes_back_as_json_data(client: TestClient) -> None:
    game = open_game(client, INJECTION, "bob")
    response = client.get(f"/api/games/{game.game_id}")
    assert response.headers["content-type"] == "application/json"
    assert response.json()["player_one"] == INJECTION


def test_seat_tokens_never_reach_the_logs(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    game = open_game(client)
    play(client, game, "ABABABA")
    logged = "\n".join(record.getMessage() for record in caplog.records)
    for token in game.tokens.values():
        assert token not in logged


def test_spectators_see_no_token_or_digest(client: TestClient) -> None:
    game = open_game(client)
    seen = "".join(
        client.get(path).text
        for path in (
            f"/api/games/{game.game_id}",
            f"/api/games/{game.game_id}/events",
            f"/api/streams/seats-{game.game_id}",
            "/api/log?limit=500",
            "/api/games",
        )
    )
    for token in game.tokens.values():
        assert token not in seen
    assert re.search(r"[0-9a-f]{64}", seen) is None
