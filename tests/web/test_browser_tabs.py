"""In real Chromium: many live tabs of the site, and a live connection that drops.

A browser opens at most six HTTP/1.1 connections to one host. When every
live page held one (Server-Sent Events), a seventh tab got no page and a
player's move never left. Each tab now has one WebSocket, which that limit
does not count, so a thirteenth tab loads and plays while twelve others
follow live. A tab whose connection drops resumes after the last event it
saw: its event list shows every event once.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import httpx2 as httpx
import pytest

from tests.web.chromium import WAIT_MS, PageErrors
from tests.web.games import move, open_game
from tests.web.servers import ServerProcess

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page

pytestmark = pytest.mark.slow


@pytest.fixture
def store_url(tmp_path: Path) -> str:
    """Return the URL of a SQLite store that several servers can share."""
    return f"sqlite:///{tmp_path / 'games.db'}"


def open_live_tab(context: BrowserContext, errors: PageErrors, url: str) -> Page:
    """Open a tab of the context at a page and wait until its feed is live."""
    page = errors.watch(context.new_page())
    page.goto(url, timeout=WAIT_MS)
    page.locator('#live[data-status="live"]').wait_for(timeout=WAIT_MS)
    return page


def start_pass_and_play(page: Page, server: ServerProcess) -> str:
    """Start a game for two at this browser from the lobby; return its id."""
    page.goto(server.url + "/", timeout=WAIT_MS)
    page.fill("#player-one", "Ann")
    page.check("input[name=mode][value=local]")
    page.fill("#player-two", "Bob")
    page.click("#start-button")
    page.wait_for_url("**/games/*")
    page.locator("#turn", has_text="Ann's turn").wait_for(timeout=WAIT_MS)
    return page.url.rsplit("/", 1)[-1]


def test_a_thirteenth_tab_loads_and_plays_while_twelve_follow_live(
    browser: Browser, errors: PageErrors, server: ServerProcess
) -> None:
    context = errors.context(browser)
    first = errors.watch(context.new_page())
    game_id = start_pass_and_play(first, server)
    first.close()
    game_url = f"{server.url}/games/{game_id}"
    urls = [game_url] * 6 + [server.url + "/"] * 3
    urls += [f"{server.url}/streams", f"{server.url}/streams/game-{game_id}"]
    urls += [f"{server.url}/streams"]
    tabs = [open_live_tab(context, errors, url) for url in urls]
    assert len(tabs) == 12

    # The thirteenth tab gets its page at once, and Ann's move lands.
    player = open_live_tab(context, errors, game_url)
    player.locator("#turn", has_text="Ann's turn").wait_for(timeout=WAIT_MS)
    player.click('.column[data-column="D"]')
    player.locator('[data-cell="D0"] .token.red').wait_for(timeout=WAIT_MS)
    player.locator("#turn", has_text="Bob's turn").wait_for(timeout=WAIT_MS)
    moves = httpx.get(f"{server.url}/api/games/{game_id}").json()["moves"]
    assert moves == ["D"]

    # Every other tab sees it live.
    for tab in tabs[:6]:
        tab.locator('[data-cell="D0"] .token.red').wait_for(timeout=WAIT_MS)
    for tab in tabs[6:9]:
        row = tab.locator(f'#playing-games li[data-game="{game_id}"]')
        row.filter(has_text="1 moves").wait_for(timeout=WAIT_MS)
    for tab in tabs[9:]:
        tab.locator("#log tr", has_text="MoveMade").first.wait_for(timeout=WAIT_MS)
    assert all(
        tab.locator("#live").get_attribute("data-status") == "live"
        for tab in [*tabs, player]
    )
    assert errors.errors == []


def listed_positions(page: Page) -> list[int]:
    """Return the global positions the game page's event list shows, oldest first."""
    texts = page.locator("#events .pos").all_inner_texts()
    return sorted(int(text.lstrip("#")) for text in texts)


def test_a_tab_whose_server_restarts_resumes_with_every_event_once(
    browser: Browser, errors: PageErrors, store_url: str, tmp_path: Path
) -> None:
    watched = ServerProcess(store_url, tmp_path / "watched.log")
    with (
        ServerProcess(store_url, tmp_path / "other.log") as other,
        httpx.Client(base_url=other.url) as client,
    ):
        game = open_game(client)
        with watched:
            page = open_live_tab(
                errors.context(browser), errors, f"{watched.url}/games/{game.game_id}"
            )
            assert move(client, game, "ann", "D").status_code == 200
            page.locator('[data-cell="D0"] .token.red').wait_for(timeout=WAIT_MS)
        page.locator('#live[data-status="reconnecting"]').wait_for(timeout=WAIT_MS)
        # The game goes on through the other server while this page has none.
        assert move(client, game, "bob", "C").status_code == 200
        assert move(client, game, "ann", "D").status_code == 200
        with watched:
            page.locator('#live[data-status="live"]').wait_for(timeout=3 * WAIT_MS)
            page.locator('[data-cell="D1"] .token.red').wait_for(timeout=WAIT_MS)
            assert move(client, game, "bob", "C").status_code == 200
            page.locator('[data-cell="C1"] .token.yellow').wait_for(timeout=WAIT_MS)
        stored = client.get(f"/api/games/{game.game_id}/events").json()["events"]
    expected = sorted(event["global_position"] for event in stored)
    assert len(expected) == 5  # the start and four moves
    assert listed_positions(page) == expected
    assert errors.errors == []
