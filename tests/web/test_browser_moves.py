"""In real Chromium: a move in flight blocks the board; errors clear when fixed.

A quick double click (or a key pressed twice) must store one move, whichever
seats the browser holds; an error line must not outlive its cause.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import httpx2 as httpx
import pytest

from tests.web.chromium import WAIT_MS, PageErrors
from tests.web.servers import ServerProcess

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.slow


def start_from_lobby(page: Page, server: ServerProcess, mode: str) -> str:
    """Start a game from the lobby form; return its id once the page shows it."""
    page.goto(server.url + "/")
    page.fill("#player-one", "Ann")
    if mode == "computer":
        page.locator("#computer-choice").wait_for(timeout=WAIT_MS)
        page.check("input[name=mode][value=computer]")
        page.select_option("#level", "easy")
    else:
        page.check("input[name=mode][value=local]")
        page.fill("#player-two", "Bob")
    page.click("#start-button")
    page.wait_for_url("**/games/*")
    page.locator("#turn", has_text="turn").wait_for(timeout=WAIT_MS)
    return page.url.rsplit("/", 1)[-1]


def fork_of_a_new_game(page: Page, server: ServerProcess) -> str:
    """Fork a fresh two-seat game at its start; return the fork's id."""
    with httpx.Client(base_url=server.url) as client:
        opened = client.post(
            "/api/games", json={"player_one": "Ann", "player_two": "Bob"}
        ).json()
    page.goto(f"{server.url}/games/{opened['game_id']}/replay")
    page.locator("#turn", has_text="Start").wait_for(timeout=WAIT_MS)
    page.click("#fork")
    page.wait_for_url("**/games/*")
    page.locator("#turn", has_text="Ann's turn").wait_for(timeout=WAIT_MS)
    return page.url.rsplit("/", 1)[-1]


def moves_of(server: ServerProcess, game_id: str) -> list[str]:
    """Return the columns stored for a game."""
    return list(httpx.get(f"{server.url}/api/games/{game_id}").json()["moves"])


@pytest.mark.parametrize("gap_ms", [20, 150])
@pytest.mark.parametrize("mode", ["pass and play", "fork", "computer"])
def test_a_quick_double_click_stores_one_move(
    browser: Browser, errors: PageErrors, server: ServerProcess, mode: str, gap_ms: int
) -> None:
    page = errors.page(browser)
    if mode == "fork":
        game_id = fork_of_a_new_game(page, server)
    else:
        game_id = start_from_lobby(page, server, mode)
    box = page.locator('.column[data-column="D"]').bounding_box()
    assert box is not None
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.wait_for_timeout(600)  # past the page's own first settling moment

    page.mouse.click(x, y)
    page.wait_for_timeout(gap_ms)
    page.mouse.click(x, y)
    page.locator('[data-cell="D0"] .token.red').wait_for(timeout=WAIT_MS)
    if mode == "computer":
        page.locator(".token.yellow").wait_for(timeout=WAIT_MS)
    page.wait_for_timeout(1000)  # time for a second move to land, if one were sent

    moves = moves_of(server, game_id)
    assert moves[0] == "D"
    assert len(moves) == (2 if mode == "computer" else 1)
    assert errors.errors == []


def test_a_failed_joins_message_clears_once_the_join_succeeds(
    browser: Browser, errors: PageErrors, server: ServerProcess
) -> None:
    with httpx.Client(base_url=server.url) as client:
        invite = client.post("/api/games", json={"player_one": "Ann"}).json()
    page = errors.page(browser)
    page.goto(invite["invite_url"])
    page.fill("#join-name", "Ann")  # the same name as player one: refused
    page.click("#join-form button")
    page.locator("#error").filter(has_text="Ann").wait_for(timeout=WAIT_MS)

    page.fill("#join-name", "Bob")
    page.click("#join-form button")
    page.locator("#role", has_text="You play as Bob").wait_for(timeout=WAIT_MS)
    assert page.locator("#error").inner_text() == ""
    assert errors.errors == []


def test_server_cannot_be_reached_clears_when_the_server_is_back(
    browser: Browser, errors: PageErrors, tmp_path: Path
) -> None:
    server = ServerProcess(f"sqlite:///{tmp_path / 'games.db'}", tmp_path / "s.log")
    with server:
        page = errors.page(browser)
        game_id = start_from_lobby(page, server, "pass and play")
        page.locator("#live", has_text="live").wait_for(timeout=WAIT_MS)
    page.locator("#live", has_text="reconnecting").wait_for(timeout=WAIT_MS)
    page.wait_for_timeout(500)
    page.keyboard.press("4")
    page.locator("#error", has_text="cannot be reached").wait_for(timeout=WAIT_MS)

    with server:
        page.locator("#live", has_text="live").wait_for(timeout=3 * WAIT_MS)
        page.wait_for_function(
            "document.querySelector('#error').textContent === ''", timeout=WAIT_MS
        )
        assert moves_of(server, game_id) == []
    assert errors.errors == []
