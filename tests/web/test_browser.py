"""End to end in real headless Chromium: two players, a spectator, a restart.

Debian's chromium is driven through Playwright with `executable_path`, since
browser downloads are impossible here. Without chromium or Playwright these
tests skip with the reason (and fail under CI, which must install both:
`apt-get install -y chromium` and the `dev` extra).

With CONNECT_FOUR_SCREENSHOTS=1 the tests save the README's screenshots in
docs/screenshots/.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import TYPE_CHECKING

import httpx2 as httpx
import pytest

from tests.web.chromium import WAIT_MS, PageErrors
from tests.web.games import move, open_game
from tests.web.servers import ServerProcess

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

SCREENSHOTS = Path(__file__).parents[2] / "docs" / "screenshots"

pytestmark = pytest.mark.slow


def new_page(browser: Browser, errors: PageErrors, width: int = 1200) -> Page:
    context = browser.new_context(viewport={"width": width, "height": 900})
    return errors.watch(context.new_page())


def screenshot(page: Page, name: str) -> None:
    if os.environ.get("CONNECT_FOUR_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / name), full_page=False)


def token_at(page: Page, cell: str, colour: str) -> None:
    page.locator(f'[data-cell="{cell}"] .token.{colour}').wait_for(timeout=WAIT_MS)


def test_two_browsers_play_a_full_game_while_a_third_watches_it_live(
    browser: Browser, server: ServerProcess, capsys: pytest.CaptureFixture[str]
) -> None:
    errors = PageErrors()
    ann = new_page(browser, errors)
    ann.goto(server.url + "/")
    ann.fill("#player-one", "Ann")
    ann.click("#start-button")
    ann.wait_for_url("**/games/*")
    invite = ann.locator("#invite-url")
    invite.wait_for(timeout=WAIT_MS)
    invite_url = invite.input_value()
    assert "#join=" in invite_url

    bob = new_page(browser, errors, width=375)  # a phone-sized screen
    bob.goto(invite_url)
    bob.fill("#join-name", "Bob")
    bob.click("#join-form button")
    bob.locator("#turn", has_text="Waiting for Ann").wait_for(timeout=WAIT_MS)

    spectator = new_page(browser, errors)
    spectator.goto(server.url + ann.url.removeprefix(server.url).split("#")[0])
    spectator.locator("#role", has_text="You are watching").wait_for(timeout=WAIT_MS)
    ann.locator("#turn", has_text="Your turn").wait_for(timeout=WAIT_MS)

    # Ann plays with the mouse, Bob with the keyboard (digits are columns 1-7).
    delays = []
    for index, column in enumerate("DCDCDCD"):
        cell = f"{column}{index // 2}"
        started = time.monotonic()
        if index % 2 == 0:
            colour = "red"
            ann.click(f'.column[data-column="{column}"]')
        else:
            colour = "yellow"
            bob.keyboard.press(str("ABCDEFG".index(column) + 1))
        token_at(spectator, cell, colour)
        delays.append(time.monotonic() - started)
        token_at(ann, cell, colour)
        token_at(bob, cell, colour)
        if index == 5:
            ann.wait_for_timeout(800)  # let the token land before the picture
            screenshot(ann, "game.png")

    ann.locator("#turn", has_text="You win!").wait_for(timeout=WAIT_MS)
    bob.locator("#turn", has_text="Ann wins!").wait_for(timeout=WAIT_MS)
    spectator.locator("#turn", has_text="Ann wins!").wait_for(timeout=WAIT_MS)
    assert spectator.locator(".cell.win").count() == 4
    assert bob.evaluate("document.documentElement.scrollWidth") <= 375
    with capsys.disabled():
        print(f"\nspectator saw each move after at most {max(delays):.2f} s")

    lobby = new_page(browser, errors)
    lobby.goto(server.url + "/")
    lobby.locator("#finished-games li", has_text="Ann won in 7").wait_for(
        timeout=WAIT_MS
    )
    lobby.locator("#leaders tr", has_text="Ann").wait_for(timeout=WAIT_MS)
    with httpx.Client(base_url=server.url) as client:
        open_game(client, "Cy", "Dee")
        client.post("/api/games", json={"player_one": "Eve"})
    lobby.locator("#open-games li", has_text="Eve").wait_for(timeout=WAIT_MS)
    screenshot(lobby, "lobby.png")

    lobby.set_viewport_size({"width": 1440, "height": 900})
    lobby.goto(server.url + "/streams")
    lobby.locator("#log tr", has_text="GameFinished").wait_for(timeout=WAIT_MS)
    lobby.locator("#projections tr").first.wait_for(timeout=WAIT_MS)
    screenshot(lobby, "streams.png")
    assert errors.errors == []


def test_a_replay_steps_back_and_forks_a_new_game_from_there(
    browser: Browser, server: ServerProcess
) -> None:
    errors = PageErrors()
    with httpx.Client(base_url=server.url) as client:
        game = open_game(client, "Ann", "Bob")
        for player, column in zip("ABABABA", "DCDCDCD", strict=True):
            move(client, game, {"A": "Ann", "B": "Bob"}[player], column)
    page = new_page(browser, errors)
    page.goto(f"{server.url}/games/{game.game_id}/replay")
    page.locator("#turn", has_text="Ann wins").wait_for(timeout=WAIT_MS)
    assert page.locator("#fork").is_disabled()
    page.keyboard.press("Home")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.locator("#turn", has_text="Move 2 of 7").wait_for(timeout=WAIT_MS)
    assert page.locator(".cell .token").count() == 2
    page.wait_for_timeout(800)  # let the tokens land before the picture
    screenshot(page, "replay.png")
    page.click("#fork")
    page.wait_for_url("**/games/*")
    page.locator("#role", has_text="You hold both seats").wait_for(timeout=WAIT_MS)
    page.locator("#turn", has_text="Ann's turn").wait_for(timeout=WAIT_MS)
    assert page.locator(".cell .token").count() == 2
    assert errors.errors == []


def test_a_script_injection_name_is_shown_as_plain_text(
    browser: Browser, server: ServerProcess
) -> None:
    name = '<img src=x onerror="window.injected=1">'
    errors = PageErrors()
    with httpx.Client(base_url=server.url) as client:
        game = open_game(client, name, "Bob")
    page = new_page(browser, errors)
    for path in ("/", f"/games/{game.game_id}", f"/games/{game.game_id}/replay"):
        page.goto(server.url + path)
        page.get_by_text(name).first.wait_for(timeout=WAIT_MS)
        assert page.evaluate("window.injected") is None
        assert page.locator("main img").count() == 0
    assert errors.errors == []


def test_a_watching_page_catches_up_after_its_server_restarts(
    browser: Browser, tmp_path: Path
) -> None:
    store_url = f"sqlite:///{tmp_path / 'games.db'}"
    errors = PageErrors()
    watched = ServerProcess(store_url, tmp_path / "watched.log")
    with (
        ServerProcess(store_url, tmp_path / "played.log") as played,
        httpx.Client(base_url=played.url) as client,
    ):
        game = open_game(client, "Ann", "Bob")
        with watched:
            page = new_page(browser, errors)
            page.goto(f"{watched.url}/games/{game.game_id}")
            page.locator("#live", has_text="live").wait_for(timeout=WAIT_MS)
            move(client, game, "Ann", "D")
            token_at(page, "D0", "red")
        page.locator("#live", has_text="reconnecting").wait_for(timeout=WAIT_MS)
        move(client, game, "Bob", "C")
        move(client, game, "Ann", "D")
        with watched:
            token_at(page, "C0", "yellow")
            token_at(page, "D1", "red")
            page.locator("#live", has_text="live").wait_for(timeout=WAIT_MS)
            move(client, game, "Bob", "C")
            token_at(page, "C1", "yellow")
    assert errors.errors == []


def test_a_player_starts_a_game_against_the_computer_and_it_replies(
    browser: Browser, server: ServerProcess
) -> None:
    errors = PageErrors()
    page = new_page(browser, errors)
    page.goto(server.url + "/")
    page.locator("#computer-choice").wait_for(timeout=WAIT_MS)
    page.fill("#player-one", "Ann")
    page.check("input[name=mode][value=computer]")
    page.select_option("#level", "easy")
    page.click("#start-button")
    page.wait_for_url("**/games/*")
    page.locator("#turn", has_text="Your turn").wait_for(timeout=WAIT_MS)
    page.keyboard.press("4")
    token_at(page, "D0", "red")
    page.locator(".token.yellow").wait_for(timeout=WAIT_MS)
    page.locator("#turn", has_text="Your turn").wait_for(timeout=WAIT_MS)
    assert errors.errors == []
