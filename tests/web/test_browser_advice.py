"""In real Chromium: hints on request, the computer moving first, verdicts in replays.

With CONNECT_FOUR_SCREENSHOTS=1 the tests save the README's pictures of the
hint view and the end-of-game view in docs/screenshots/.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import httpx2 as httpx
import pytest

from connect_four.ai.computers import Computers
from connect_four.application import ConnectFourApp
from connect_four.eventsourcing.stores import open_store
from connect_four.persistence.game_repository import EventSourcedGameRepository
from connect_four.persistence.tables import table_service
from tests.web.chromium import WAIT_MS, PageErrors
from tests.web.games import OpenedGame, open_game, play
from tests.web.servers import ServerProcess
from tests.web.test_browser import screenshot
from tests.web.test_browser_pages import violations

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.slow

MIXED = "47611556754127222"
"""Pons' Test_L2_R1 position: Bob to move wins in 2 with D or F, draws with B."""


JUDGING_MS = 90_000
"""The verdicts may search 2 s worth of nodes, which a loaded machine takes far
longer to do (and the first search loads the compiled engine)."""


def letters(notation: str) -> str:
    return "".join("ABCDEFG"[int(digit) - 1] for digit in notation)


def seated_page(
    page: Page, server: ServerProcess, game: OpenedGame, *players: str
) -> Page:
    """Open a game's page in a browser that holds the players' seats."""
    seats = [
        {"seat": seat["seat"], "player": seat["player"], "token": seat["token"]}
        for seat in game.body["seats"]
        if seat["player"] in players
    ]
    page.goto(server.url + "/")
    page.evaluate(
        "([key, seats]) => localStorage.setItem(key, seats)",
        [f"connect-four:seats:{game.game_id}", json.dumps(seats)],
    )
    page.goto(f"{server.url}/games/{game.game_id}")
    return page


def stored_count(server: ServerProcess, game_id: str) -> int:
    answer = httpx.get(f"{server.url}/api/games/{game_id}/events").json()
    return len(answer["events"])


def test_the_player_to_move_asks_for_hints_and_sees_each_columns_worth(
    browser: Browser, server: ServerProcess, errors: PageErrors
) -> None:
    with httpx.Client(base_url=server.url) as client:
        game = open_game(client, "Ann", "Bob")
        play(client, game, letters(MIXED), ("Ann", "Bob"))
    page = seated_page(errors.page(browser), server, game, "Ann", "Bob")
    page.locator("#turn", has_text="Bob's turn").wait_for(timeout=WAIT_MS)
    stored = stored_count(server, game.game_id)

    page.click("#hint-button")

    page.locator('[data-hint="D"]', has_text="win 2").wait_for(timeout=WAIT_MS)
    assert page.locator('[data-hint="B"]').inner_text() == "draw"
    assert page.locator('[data-hint="C"]').inner_text() == "lose 1"
    assert page.locator(".hint-badge").count() == 7
    assert "D: win in 2. E: win in 12." in page.locator("#hint-words").inner_text()
    assert stored_count(server, game.game_id) == stored
    assert violations(page) == []
    page.wait_for_timeout(300)  # let the last token settle before the picture
    screenshot(page, "hints.png")

    page.keyboard.press("4")
    page.locator("#turn", has_text="Ann's turn").wait_for(timeout=WAIT_MS)
    page.locator(".hint-badge").first.wait_for(state="detached", timeout=WAIT_MS)
    page.keyboard.press("?")
    page.locator(".hint-badge").first.wait_for(timeout=WAIT_MS)
    assert page.locator("#hint-note").inner_text().startswith("For Ann")
    assert errors.errors == []


def test_hints_are_offered_only_on_this_browsers_turn(
    browser: Browser, server: ServerProcess, errors: PageErrors
) -> None:
    with httpx.Client(base_url=server.url) as client:
        game = open_game(client, "Ann", "Bob")
    page = seated_page(errors.page(browser), server, game, "Bob")
    page.locator("#turn", has_text="Waiting for Ann").wait_for(timeout=WAIT_MS)

    assert page.locator("#hint-bar").is_hidden()

    with httpx.Client(base_url=server.url) as client:
        play(client, game, "D", ("Ann", "Bob"))
    page.locator("#turn", has_text="Your turn").wait_for(timeout=WAIT_MS)
    page.locator("#hint-bar").wait_for(timeout=WAIT_MS)
    page.keyboard.press("h")
    page.locator('[data-hint="D"]').wait_for(timeout=WAIT_MS)
    assert errors.errors == []


def test_the_computer_moves_first_by_itself_and_a_reload_carries_on(
    browser: Browser, server: ServerProcess, errors: PageErrors
) -> None:
    page = errors.page(browser)
    page.goto(server.url + "/")
    page.locator("#computer-choice").wait_for(timeout=WAIT_MS)
    page.fill("#player-one", "Ann")
    page.check("input[name=mode][value=computer]")
    page.select_option("#level", "easy")
    page.select_option("#first-mover", "computer")
    assert violations(page) == []
    page.click("#start-button")
    page.wait_for_url("**/games/*")

    page.locator(".cell .token.red").wait_for(timeout=WAIT_MS)
    page.locator("#turn", has_text="Your turn").wait_for(timeout=WAIT_MS)
    page.reload()
    page.locator("#turn", has_text="Your turn").wait_for(timeout=WAIT_MS)
    assert page.locator(".cell .token").count() == 1
    assert page.locator("#players").inner_text().startswith("computer (easy)")

    page.keyboard.press("1")
    page.locator(".cell .token.yellow").wait_for(timeout=WAIT_MS)
    page.locator(".cell .token.red >> nth=1").wait_for(timeout=WAIT_MS)
    page.locator("#turn", has_text="Your turn").wait_for(timeout=WAIT_MS)
    assert errors.errors == []


def test_a_page_finds_the_computers_first_move_missing_and_gets_it_made(
    browser: Browser, server: ServerProcess, errors: PageErrors
) -> None:
    # Opened as a server that stopped before the computer's move would leave it.
    store = open_store(server.store_url)
    try:
        app = ConnectFourApp.over(EventSourcedGameRepository(store))
        tables = table_service(app, store, Computers())
        opening = tables.open_against_computer("Ann", "easy", computer_first=True)
    finally:
        store.close()
    (seat,) = opening.seats
    body = {"seats": [{"seat": 2, "player": "Ann", "token": seat.token}]}
    game = OpenedGame(opening.game_id, {"Ann": seat.token}, body)
    assert stored_count(server, game.game_id) == 1  # GameStarted only

    page = seated_page(errors.page(browser), server, game, "Ann")

    page.locator("#turn", has_text="Your turn").wait_for(timeout=WAIT_MS)
    assert page.locator(".cell .token.red").count() == 1
    assert errors.errors == []


def test_the_end_of_a_game_tells_each_player_their_result_and_shows_the_four(
    browser: Browser, server: ServerProcess, errors: PageErrors
) -> None:
    with httpx.Client(base_url=server.url) as client:
        game = open_game(client, "Ann", "Bob")
        play(client, game, "DCECFC", ("Ann", "Bob"))
    ann = seated_page(errors.page(browser), server, game, "Ann")
    bob = seated_page(errors.page(browser), server, game, "Bob")
    ann.locator("#turn", has_text="Your turn").wait_for(timeout=WAIT_MS)

    ann.keyboard.press("7")

    ann.locator("#turn", has_text="You win!").wait_for(timeout=WAIT_MS)
    bob.locator("#turn", has_text="You lose: Ann wins!").wait_for(timeout=WAIT_MS)
    assert ann.locator(".cell.win").count() == 4
    assert ann.locator("#hint-bar").is_hidden()
    ann.wait_for_timeout(1200)  # let the last token land before the picture
    screenshot(ann, "game-over.png")
    assert errors.errors == []


def test_the_replay_shows_the_engines_verdict_on_each_move(
    browser: Browser, server: ServerProcess, errors: PageErrors
) -> None:
    with httpx.Client(base_url=server.url) as client:
        game = open_game(client, "Ann", "Bob")
        # Ann's E misses her win in D and lets Bob win in C.
        play(client, game, "DCDCDCEC", ("Ann", "Bob"))
    page = errors.page(browser)
    page.goto(f"{server.url}/games/{game.game_id}/replay")
    page.locator("#turn", has_text="Bob wins").wait_for(timeout=WAIT_MS)

    page.locator("#events [data-verdict]").nth(7).wait_for(timeout=JUDGING_MS)

    chips = page.locator("#events [data-verdict]").all_inner_texts()
    assert chips[6:] == ["blunder", "best"]
    assert page.locator("#turn [data-verdict]").inner_text() == "best"
    page.keyboard.press("ArrowLeft")
    page.locator("#turn", has_text="Move 7 of 8").wait_for(timeout=WAIT_MS)
    blunder = page.locator("#turn [data-verdict]")
    assert blunder.inner_text() == "blunder"
    assert "turns a win into a loss" in str(blunder.get_attribute("title"))
    assert violations(page) == []
    page.wait_for_timeout(300)  # let the board redraw before the picture
    screenshot(page, "verdicts.png")
    assert errors.errors == []
