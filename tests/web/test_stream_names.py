"""The stream browser finds every stream by name, "/" and "%" in it too.

A player's stream is named by the player's name (`player-{key}`), and a name
may hold any printable character: "/", "?", "#", "%", spaces, quotes, accents.
The pages put a name in a path percent-encoded (`encodeURIComponent`), and the
server decodes the path before it routes, so a "/" arrives as a "/". These
tests go through a real `connect-four serve`: Starlette's TestClient decodes a
path twice, so it would read "%252F" as "/".
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING
from urllib.parse import quote

import httpx2 as httpx
import pytest
from starlette.testclient import TestClient

from connect_four.domain.names import name_key
from tests.web.chromium import WAIT_MS, PageErrors
from tests.web.servers import ServerProcess

if TYPE_CHECKING:
    from playwright.sync_api import Browser

HARD_NAMES = [
    "a/b",
    "/",
    "a/../b",
    "x?y#z",
    "100%",
    "a%2Fb",
    "Émile Zola",
    'O\'Brien "Ed"',
    "..",
    "a\\b",
    "a+b&c=d",
]
"""Allowed names that hold characters with a meaning in URL paths or queries."""


def stream_of(name: str) -> str:
    """Return the stream that holds a player's claim of a name."""
    return f"player-{name_key(name)}"


def path_of(stream: str) -> str:
    """Return a stream's name as a path segment, as the pages' scripts encode it."""
    return quote(stream, safe="")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """Yield a server over a SQLite file where every hard name is claimed."""
    folder = tmp_path_factory.mktemp("names")
    with ServerProcess(f"sqlite://{folder / 'games.db'}", folder / "s.log") as running:
        with httpx.Client(base_url=running.url) as client:
            for name in HARD_NAMES:
                answer = client.post("/api/players", json={"player": name})
                assert answer.status_code == 201, answer.text
        yield running


@pytest.mark.parametrize("name", HARD_NAMES)
def test_a_players_stream_is_read_by_its_encoded_name(
    server: ServerProcess, name: str
) -> None:
    answer = httpx.get(f"{server.url}/api/streams/{path_of(stream_of(name))}")

    assert answer.status_code == 200, answer.text
    assert answer.json()["stream"] == stream_of(name)
    assert [event["type"] for event in answer.json()["events"]] == ["NameClaimed"]


def test_every_listed_stream_reads_back_through_its_encoded_name(
    server: ServerProcess,
) -> None:
    with httpx.Client(base_url=server.url) as client:
        listed = client.get("/api/streams?prefix=player-").json()["streams"]
        read = [
            client.get(f"/api/streams/{path_of(summary['stream'])}").json()
            for summary in listed
        ]

    assert sorted(summary["stream"] for summary in listed) == sorted(
        stream_of(name) for name in HARD_NAMES
    )
    assert [(page["stream"], page["count"]) for page in read] == [
        (summary["stream"], summary["events"]) for summary in listed
    ]


def test_a_stream_whose_name_holds_a_slash_has_a_stream_browser_page(
    server: ServerProcess,
) -> None:
    page = httpx.get(f"{server.url}/streams/{path_of(stream_of('a/b'))}")

    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")


def test_a_stream_path_that_names_no_stream_is_refused(client: TestClient) -> None:
    answer = client.get("/api/streams/")

    assert answer.status_code == 422
    assert answer.json()["message"] == "field 'stream' names no stream"


@pytest.mark.slow
def test_each_players_stream_opens_from_the_stream_list_with_its_events(
    browser: Browser, errors: PageErrors, server: ServerProcess
) -> None:
    page = errors.page(browser)
    page.goto(server.url + "/streams")
    page.select_option("#stream-kind", "player-")
    page.locator("#streams-range", has_text=f"of {len(HARD_NAMES)}").wait_for(
        timeout=WAIT_MS
    )

    for name in HARD_NAMES:
        page.locator("#streams").get_by_title(stream_of(name), exact=True).click()
        page.locator("#title", has_text=f"Stream {stream_of(name)}").wait_for(
            timeout=WAIT_MS
        )
        page.locator("#log tr", has_text="NameClaimed").wait_for(timeout=WAIT_MS)
        assert page.locator("#error").text_content() == ""
        page.go_back()

    assert errors.errors == []


@pytest.mark.slow
def test_a_stream_typed_with_a_bare_slash_in_the_address_bar_opens_too(
    browser: Browser, errors: PageErrors, server: ServerProcess
) -> None:
    page = errors.page(browser)

    page.goto(server.url + "/streams/player-a/b")

    page.locator("#title", has_text="Stream player-a/b").wait_for(timeout=WAIT_MS)
    page.locator("#log tr", has_text="NameClaimed").wait_for(timeout=WAIT_MS)
    assert errors.errors == []
