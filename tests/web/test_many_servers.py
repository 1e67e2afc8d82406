"""Real servers sharing one store: lists while games are played, a damaged row."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx2 as httpx
import pytest

from connect_four.eventsourcing.stores import open_store
from tests.eventsourcing.stores.backends import (
    drop_postgres_schema,
    new_schema_name,
    postgres_url,
)
from tests.readmodels.recompute import recompute
from tests.web.games import OpenedGame, move, open_game
from tests.web.servers import ServerProcess, feed, with_query

GAMES_PER_PLAYER = 4
WON_BY_ANN = "DCDCDCD"
UNLIMITED = ("--no-rate-limit",)


@pytest.fixture(params=["sqlite", "postgres"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Yield the URL of a fresh store that several server processes can share."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'games.db'}"
        return
    schema = new_schema_name()
    yield with_query(postgres_url(), schema=schema)
    drop_postgres_schema(schema)


def play_games(url: str, statuses: list[int], players: tuple[str, str]) -> None:
    with httpx.Client(base_url=url, timeout=30.0) as client:
        for _ in range(GAMES_PER_PLAYER):
            game = open_game(client, *players)
            for turn, column in enumerate(WON_BY_ANN):
                number = turn + 1
                statuses.append(
                    client.post(
                        f"/api/games/{game.game_id}/moves",
                        json={"column": column, "move_number": number},
                        headers={
                            "Authorization": f"Bearer {game.tokens[players[turn % 2]]}"
                        },
                    ).status_code
                )


def read_lists(url: str, statuses: list[int], stop: threading.Event) -> None:
    with httpx.Client(base_url=url, timeout=30.0) as client:
        while not stop.is_set():
            for path in ("/api/games", "/api/leaderboard", "/api/games?status=waiting"):
                statuses.append(client.get(path).status_code)


@pytest.mark.slow
def test_two_servers_answer_lists_while_games_are_played_on_both(
    store_url: str, tmp_path: Path
) -> None:
    with (
        # One address sends everything here: no per-client limit.
        ServerProcess(store_url, tmp_path / "a.log", options=UNLIMITED) as first,
        ServerProcess(store_url, tmp_path / "b.log", options=UNLIMITED) as second,
    ):
        moves: list[int] = []
        lists: list[int] = []
        stop = threading.Event()
        players = [
            threading.Thread(target=play_games, args=(server.url, moves, pair))
            for server, pair in (
                (first, ("ann", "bob")),
                (second, ("cy", "dee")),
                (first, ("eve", "fay")),
                (second, ("gus", "hal")),
            )
        ]
        readers = [
            threading.Thread(target=read_lists, args=(server.url, lists, stop))
            for server in (first, second)
        ]
        for thread in [*players, *readers]:
            thread.start()
        for thread in players:
            thread.join()
        stop.set()
        for thread in readers:
            thread.join()

        assert set(moves) == {200}
        assert lists
        assert set(lists) == {200}
        listed = httpx.get(f"{second.url}/api/games?limit=500").json()["games"]
        board = httpx.get(f"{first.url}/api/leaderboard?limit=500").json()["players"]

    store = open_store(store_url)
    try:
        games, standings = recompute(store)
    finally:
        store.close()
    assert sorted(g["game_id"] for g in listed) == sorted(g.id for g in games)
    assert {g["game_id"]: g["moves"] for g in listed} == {g.id: g.moves for g in games}
    assert {p["player"]: p["rating"] for p in board} == {
        name: round(standing.rating) for name, standing in standings.items()
    }


@pytest.mark.slow
def test_a_server_with_a_damaged_row_keeps_delivering_live_moves(
    tmp_path: Path,
) -> None:
    database = tmp_path / "games.db"
    store_url = f"sqlite:///{database}"
    with (
        ServerProcess(store_url, tmp_path / "server.log") as server,
        httpx.Client(base_url=server.url, timeout=10.0) as client,
    ):
        damaged: OpenedGame = open_game(client, "ann", "bob")
        assert move(client, damaged, "ann", "D").status_code == 200
        with sqlite3.connect(database) as connection:
            connection.execute(
                "UPDATE events SET data = CAST('{not json' AS BLOB)"
                " WHERE stream = ? AND stream_position = 1",
                (f"game-{damaged.game_id}",),
            )
        healthy = open_game(client, "cy", "dee")

        with feed(f"{server.url}/api/games/{healthy.game_id}/live") as watcher:
            for player, column in (("cy", "D"), ("dee", "C"), ("cy", "D")):
                assert move(client, healthy, player, column).status_code == 200
                event = watcher.next()
                assert (event["type"], event["data"]["column"]) == ("MoveMade", column)

        answer = client.get("/api/games")
        assert answer.status_code == 500
        assert answer.json()["error"] == "unreadable_event"
        assert f"game-{damaged.game_id}" in answer.json()["message"]
        shown = client.get(f"/api/games/{damaged.game_id}").json()
        assert shown["error"] == "unreadable_event"
