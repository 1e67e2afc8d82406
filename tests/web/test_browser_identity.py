"""Names that are yours, in real Chromium: claimed in one browser, moved to another.

Two browser contexts are two devices (each its own local storage). Ann claims
her name by starting a game in the first; the second cannot play under it,
until Ann moves her name there with a device link, which also brings her
seat in the game in progress.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import httpx2 as httpx
import pytest

from tests.web.chromium import WAIT_MS, PageErrors
from tests.web.servers import ServerProcess
from tests.web.test_browser_pages import violations

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytestmark = pytest.mark.slow


def test_a_name_claimed_in_one_browser_plays_in_another_only_through_its_link(
    browser: Browser, errors: PageErrors, server: ServerProcess
) -> None:
    # Given Ann started a game in her first browser, and Bob joined it.
    first = errors.page(browser)
    first.goto(server.url + "/")
    first.fill("#player-one", "Ann")
    first.click("#start-button")
    first.wait_for_url("**/games/*")
    invite = first.locator("#invite-url")
    invite.wait_for(timeout=WAIT_MS)
    game_url = first.url.split("#")[0]
    game_id = game_url.rsplit("/", 1)[-1]
    secret = invite.input_value().split("#join=")[1]
    joined = httpx.post(
        f"{server.url}/api/games/{game_id}/join",
        json={"player": "Bob", "secret": secret},
    )
    assert joined.status_code == 200, joined.text
    first.locator("#turn", has_text="Your turn").wait_for(timeout=WAIT_MS)
    first.locator("#identity-names li", has_text="Ann").wait_for(timeout=WAIT_MS)

    # When a second browser tries the name, in any case, it is refused.
    second = errors.page(browser)
    second.goto(server.url + "/")
    second.fill("#player-one", "ANN")
    second.click("#start-button")
    second.locator("#start-error", has_text="'Ann' is taken").wait_for(timeout=WAIT_MS)
    assert second.url.rstrip("/") == server.url
    second.goto(game_url)
    second.locator("#role", has_text="You are watching").wait_for(timeout=WAIT_MS)

    # When Ann makes a device link in the first browser and opens it in the second.
    first.click("#identity-names .link-device")
    link = first.locator("#identity-names .link-url")
    link.wait_for(timeout=WAIT_MS)
    link_url = link.input_value()
    assert "#player=Ann&link=" in link_url
    assert violations(first) == []  # the names panel, its link shown
    second.goto(link_url)
    second.locator("#identity-status", has_text="You now play as Ann").wait_for(
        timeout=WAIT_MS
    )
    assert "link=" not in second.url  # the code left the address bar
    second.locator("#identity-names li", has_text="Ann").wait_for(timeout=WAIT_MS)

    # Then the second browser holds Ann's seat in the game in progress, and plays it.
    second.goto(game_url)
    second.locator("#turn", has_text="Your turn").wait_for(timeout=WAIT_MS)
    second.locator("#role", has_text="You play as Ann").wait_for(timeout=WAIT_MS)
    second.click('.column[data-column="D"]')
    second.locator('[data-cell="D0"] .token.red').wait_for(timeout=WAIT_MS)
    first.locator('[data-cell="D0"] .token.red').wait_for(timeout=WAIT_MS)
    second.locator("#turn", has_text="Waiting for Bob").wait_for(timeout=WAIT_MS)
    stored = httpx.get(f"{server.url}/api/games/{game_id}").json()
    assert stored["moves"] == ["D"]

    # And the link worked once: opened again, it is refused.
    third = errors.page(browser)
    third.goto(link_url)
    third.locator("#identity-status", has_text="is not valid").wait_for(timeout=WAIT_MS)
    assert errors.errors == []
