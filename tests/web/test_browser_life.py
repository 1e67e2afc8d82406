"""In real Chromium: resign, rematch with colours swapped, call a game off, claim a win.

Two browser contexts are two people (each with its own local storage, so its
own seat token); every step waits for a state the page shows. The browser,
the page-error collector and the server come from tests/web/conftest.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.web.chromium import WAIT_MS, PageErrors
from tests.web.servers import ServerProcess
from tests.web.test_browser import screenshot
from tests.web.test_browser_moves import start_from_lobby

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.slow


def serve(tmp_path: Path, *options: str) -> ServerProcess:
    return ServerProcess(
        f"sqlite:///{tmp_path / 'games.db'}", tmp_path / "server.log", options=options
    )


def invite_from_lobby(ann: Page, server: ServerProcess) -> str:
    """Open a game as Ann with an invite; return the invite link."""
    ann.goto(server.url + "/")
    ann.fill("#player-one", "Ann")
    ann.click("#start-button")
    ann.wait_for_url("**/games/*")
    invite = ann.locator("#invite-url")
    invite.wait_for(timeout=WAIT_MS)
    return invite.input_value()


def ann_and_bob(
    browser: Browser, errors: PageErrors, server: ServerProcess
) -> tuple[Page, Page]:
    """Return Ann's and Bob's pages of a game Bob joined by Ann's invite."""
    ann = errors.page(browser)
    invite_url = invite_from_lobby(ann, server)
    bob = errors.page(browser)
    bob.goto(invite_url)
    bob.fill("#join-name", "Bob")
    bob.click("#join-form button")
    bob.locator("#turn", has_text="Waiting for Ann").wait_for(timeout=WAIT_MS)
    ann.locator("#turn", has_text="Your turn").wait_for(timeout=WAIT_MS)
    return ann, bob


def shows(page: Page, text: str) -> None:
    page.locator("#turn", has_text=text).wait_for(timeout=WAIT_MS)


def test_a_player_resigns_after_confirming_and_both_see_it_from_their_side(
    browser: Browser, errors: PageErrors, server: ServerProcess
) -> None:
    ann, bob = ann_and_bob(browser, errors, server)
    ann.click('.column[data-column="D"]')
    shows(bob, "Your turn")

    bob.click("#resign")
    bob.locator("#resign-question", has_text="Resign and let Ann win?").wait_for(
        timeout=WAIT_MS
    )
    bob.click("#resign-cancel")
    bob.locator("#resign").wait_for(timeout=WAIT_MS)
    shows(bob, "Your turn")  # cancelled: nothing happened
    bob.click("#resign")
    bob.click("#resign-yes")

    shows(bob, "You resigned: Ann wins.")
    shows(ann, "Bob resigned: you win!")
    assert ann.title().startswith("Bob resigned: you win ·")
    assert ann.locator("#resign").count() == 0
    ann.locator("#rematch", has_text="Rematch").wait_for(timeout=WAIT_MS)
    screenshot(ann, "resigned.png")
    box = ann.locator("#rematch").bounding_box()
    assert box is not None
    assert box["y"] + box["height"] <= 720  # seen without scrolling on a laptop

    # The replay says how it ended; the position was not decided, so it forks.
    ann.goto(ann.url.split("#")[0] + "/replay")
    shows(ann, "Ann wins (Bob resigned)")
    assert ann.locator("#fork").is_enabled()
    assert errors.errors == []


def test_a_rematch_offered_live_is_accepted_and_played_with_colours_swapped(
    browser: Browser, errors: PageErrors, server: ServerProcess
) -> None:
    ann, bob = ann_and_bob(browser, errors, server)
    old_game = ann.url
    ann.click("#resign")
    ann.click("#resign-yes")
    shows(bob, "Ann resigned: you win!")

    ann.click("#rematch")
    ann.wait_for_url(lambda url: url != old_game and "/games/" in url)
    shows(ann, "Waiting for Bob to accept the rematch")
    bob.locator("#rematch-note", has_text="Ann offers a rematch").wait_for(
        timeout=WAIT_MS
    )
    bob.click("#rematch:has-text('Accept the rematch')")
    bob.wait_for_url(ann.url)

    shows(bob, "Your turn")  # Bob plays red now, with the token he had
    shows(ann, "Waiting for Bob")
    assert bob.locator("#players .name-red", has_text="Bob").count() == 1
    bob.click('.column[data-column="C"]')
    ann.locator('[data-cell="C0"] .token.red').wait_for(timeout=WAIT_MS)
    shows(ann, "Your turn")
    assert errors.errors == []


def test_the_creator_calls_off_a_game_nobody_joined(
    browser: Browser, errors: PageErrors, server: ServerProcess
) -> None:
    ann = errors.page(browser)
    invite_url = invite_from_lobby(ann, server)
    ann.click("#withdraw")
    ann.click("#withdraw-yes")
    shows(ann, "You called this game off")
    assert ann.locator("#invite").is_hidden()

    bob = errors.page(browser)
    bob.goto(invite_url)
    shows(bob, "This game was called off.")
    assert bob.locator("#join").is_hidden()
    lobby = errors.page(browser)
    lobby.goto(server.url + "/")
    lobby.locator("#open-games", has_text="No game is waiting").wait_for(
        timeout=WAIT_MS
    )
    assert errors.errors == []


def test_the_waiting_player_claims_the_win_once_the_other_is_gone_long_enough(
    browser: Browser, errors: PageErrors, tmp_path: Path
) -> None:
    # A limit of three seconds: the page must offer the claim by itself, once due.
    with serve(tmp_path, "--claim-after", "0.05") as server:
        ann, bob = ann_and_bob(browser, errors, server)
        ann.click('.column[data-column="D"]')
        ann.locator("#claim-note", has_text="If Bob has not moved by").wait_for(
            timeout=WAIT_MS
        )
        bob.close()
        ann.click("#claim")
        ann.click("#claim-yes")
        shows(ann, "Bob was gone too long: you win!")
    assert errors.errors == []


@pytest.mark.parametrize("mode", ["pass and play", "computer"])
def test_a_rematch_with_every_seat_or_against_the_computer_starts_at_once(
    browser: Browser, errors: PageErrors, server: ServerProcess, mode: str
) -> None:
    page = errors.page(browser)
    start_from_lobby(page, server, mode)
    old_game = page.url
    page.click("#resign")
    page.click("#resign-yes")
    page.click("#rematch")
    page.wait_for_url(lambda url: url != old_game and "/games/" in url)

    # Colours swapped: the red player of the old game plays yellow now.
    page.locator("#players .name-yellow", has_text="Ann").wait_for(timeout=WAIT_MS)
    if mode == "computer":
        page.locator(".token.red").wait_for(timeout=WAIT_MS)  # the computer's first
        shows(page, "Your turn")
    else:
        shows(page, "Bob's turn")
        page.click('.column[data-column="A"]')
        page.locator('[data-cell="A0"] .token.red').wait_for(timeout=WAIT_MS)
    assert errors.errors == []
