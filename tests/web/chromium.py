"""Headless Debian Chromium through Playwright, for the browser tests.

Browser downloads are impossible here, so Playwright drives /usr/bin/chromium
(or $CONNECT_FOUR_CHROMIUM). Without it or Playwright the tests skip with the
reason, and fail under CI, which must have both.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page

CHROMIUM = os.environ.get("CONNECT_FOUR_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WAIT_MS = 10_000
"""How long a page may take to show something; generous for a loaded CI machine."""
LAPTOP = {"width": 1280, "height": 720}
PHONE = {"width": 390, "height": 844}


def unavailable(reason: str) -> None:
    """Skip a browser test, or fail it under CI, which must run them."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}, but CI must run the browser tests")
    pytest.skip(reason)


@contextmanager
def chromium() -> Iterator[Browser]:
    """Launch headless Chromium for the duration of a block."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("Playwright is not installed (pip install playwright)")
    if shutil.which(CHROMIUM) is None:
        unavailable(f"no chromium at {CHROMIUM} (apt-get install -y chromium)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield launched
        finally:
            launched.close()


class PageErrors:
    """Collect script errors and dialogs of pages, which must stay empty."""

    def __init__(self) -> None:
        self.errors: list[str] = []
        self._contexts: list[BrowserContext] = []

    def watch(self, page: Page) -> Page:
        """Record the page's script errors and dialogs from now on."""
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on(
            "dialog", lambda dialog: self.errors.append(f"dialog: {dialog.message}")
        )
        return page

    def page(self, browser: Browser, viewport: dict[str, int] = LAPTOP) -> Page:
        """Open a page in a browser context of its own (its own local storage)."""
        return self.watch(self.context(browser, viewport).new_page())

    def context(
        self, browser: Browser, viewport: dict[str, int] = LAPTOP
    ) -> BrowserContext:
        """Open a browser context (one profile: its storage, its connections)."""
        context = browser.new_context(viewport=viewport)  # type: ignore[arg-type]  # a dict of width and height is a ViewportSize
        self._contexts.append(context)
        return context

    def close(self) -> None:
        """Close every page opened here: open pages poll and follow feeds."""
        for context in self._contexts:
            context.close()
        self._contexts.clear()


@contextmanager
def watched_pages() -> Iterator[PageErrors]:
    """Yield a `PageErrors` whose pages close at the end of the block."""
    errors = PageErrors()
    try:
        yield errors
    finally:
        errors.close()
