"""Live feeds: every event once, in order, across server processes and restarts."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import httpx2 as httpx
import pytest

from connect_four.eventsourcing.events import NewEvent, RecordedEvent
from connect_four.eventsourcing.store import StreamState
from connect_four.eventsourcing.stores.memory.event_store import InMemoryEventStore
from connect_four.web.follower import LogFollower
from connect_four.web.live import feed as live_feed
from tests.eventsourcing.stores.backends import (
    drop_postgres_schema,
    new_schema_name,
    postgres_url,
)
from tests.web.games import OpenedGame, move, open_game
from tests.web.servers import ServerProcess, feed, with_query


def test_a_feed_sends_what_was_missed_then_live_events_each_once() -> None:
    store = InMemoryEventStore()
    for number in range(3):
        store.append(
            "a",
            [NewEvent("Happened", b"{}")],
            number - 1 if number else StreamState.NO_STREAM,
        )

    async def scenario() -> list[str]:
        follower = LogFollower(store)
        await follower.catch_up()

        async def backlog(after: int) -> list[RecordedEvent]:
            return [r for r in store.read_stream("a") if r.global_position > after]

        messages = live_feed(follower, lambda r: r.stream == "a", backlog, after=1)
        seen = [await anext(messages)]  # the retry hint
        seen += [await anext(messages), await anext(messages)]  # positions 2 and 3
        store.append("b", [NewEvent("Elsewhere", b"{}")], StreamState.NO_STREAM)
        store.append("a", [NewEvent("Happened", b"{}")], 2)
        await follower.catch_up()
        seen.append(await anext(messages))
        await messages.aclose()  # type: ignore[attr-defined]  # a generator, typed as an iterator
        return seen

    sent = asyncio.run(scenario())
    assert sent[0] == "retry: 1000\n\n"
    assert [m.split("\n")[0] for m in sent[1:]] == ["id: 2", "id: 3", "id: 5"]


@pytest.fixture(params=["sqlite", "postgres"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Yield the URL of a fresh store that several server processes can share."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'games.db'}"
        return
    schema = new_schema_name()
    yield with_query(postgres_url(), schema=schema)
    drop_postgres_schema(schema)


def started(server: ServerProcess) -> httpx.Client:
    return httpx.Client(base_url=server.url, timeout=10.0)


@pytest.mark.slow
def test_a_watcher_on_one_server_sees_each_move_made_through_another(
    store_url: str, tmp_path: Path
) -> None:
    with (
        ServerProcess(store_url, tmp_path / "a.log") as watched,
        ServerProcess(store_url, tmp_path / "b.log") as played,
        started(played) as player,
    ):
        game: OpenedGame = open_game(player)
        live = f"{watched.url}/api/games/{game.game_id}/live?after=0"
        with feed(live) as watcher:
            assert [e["type"] for e in watcher.take(3)] == [
                "SeatTaken",
                "SeatTaken",
                "GameStarted",
            ]
            for player_name, column in (("ann", "D"), ("bob", "C")):
                assert move(player, game, player_name, column).status_code == 200
                event = watcher.next()
                assert (event["type"], event["data"]["column"]) == ("MoveMade", column)


@pytest.mark.slow
def test_a_restarted_server_resumes_a_feed_from_its_last_event_id(
    store_url: str, tmp_path: Path
) -> None:
    watched = ServerProcess(store_url, tmp_path / "a.log")
    with (
        ServerProcess(store_url, tmp_path / "b.log") as played,
        started(played) as player,
    ):
        game = open_game(player)
        with watched, feed(f"{watched.url}/api/games/{game.game_id}/live") as watcher:
            assert move(player, game, "ann", "D").status_code == 200
            last_seen = watcher.next()["global_position"]
        # The watched server is down while the game goes on elsewhere.
        assert move(player, game, "bob", "C").status_code == 200
        assert move(player, game, "ann", "D").status_code == 200
        with (
            watched,
            feed(f"{watched.url}/api/games/{game.game_id}/live", last_seen) as watcher,
        ):
            missed = watcher.take(2)
            assert [e["data"]["column"] for e in missed] == ["C", "D"]
            assert missed[0]["global_position"] > last_seen
            assert move(player, game, "bob", "C").status_code == 200
            assert watcher.next()["stream_position"] == 4
