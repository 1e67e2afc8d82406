"""The log, the streams and the game lists come a page at a time, never overlapping."""

from __future__ import annotations

from starlette.testclient import TestClient

from tests.web.games import open_game


def positions(answer: dict[str, list[dict[str, int]]]) -> list[int]:
    """Return the global positions of a page's events."""
    return [event["global_position"] for event in answer["events"]]


def test_paging_back_from_the_newest_events_never_overlaps(client: TestClient) -> None:
    for number in range(10):
        open_game(client, f"ann{number}", f"bob{number}")  # 3 events each
    newest = client.get("/api/log?before=31&limit=25").json()
    older = client.get(f"/api/log?before={positions(newest)[0]}&limit=25").json()
    assert positions(newest) == list(range(6, 31))
    assert positions(older) == list(range(1, 6))
    assert client.get("/api/log?before=1&limit=25").json()["events"] == []


def test_before_and_after_together_are_refused(client: TestClient) -> None:
    answer = client.get("/api/log?before=5&after=1")
    assert answer.status_code == 422
    assert answer.json()["error"] == "invalid_field"


def test_streams_are_found_by_prefix_or_part_of_the_name(client: TestClient) -> None:
    games = [open_game(client, f"ann{n}", f"bob{n}") for n in range(3)]
    seats = client.get("/api/streams?prefix=seats-").json()
    assert seats["count"] == 3
    assert {s["stream"] for s in seats["streams"]} == {
        f"seats-{game.game_id}" for game in games
    }
    found = client.get(f"/api/streams?search={games[1].game_id[:13].upper()}").json()
    assert sorted(s["stream"] for s in found["streams"]) == [
        f"game-{games[1].game_id}",
        f"seats-{games[1].game_id}",
    ]


def test_stream_pages_follow_one_another(client: TestClient) -> None:
    for number in range(5):
        open_game(client, f"ann{number}", f"bob{number}")
    first = client.get("/api/streams?limit=4").json()
    second = client.get("/api/streams?limit=4&offset=4").json()
    third = client.get("/api/streams?limit=4&offset=8").json()
    names = [s["stream"] for page in (first, second, third) for s in page["streams"]]
    assert len(names) == len(set(names)) == first["count"] == 10


def test_a_stream_says_how_many_events_it_holds(client: TestClient) -> None:
    game = open_game(client)
    answer = client.get(f"/api/streams/game-{game.game_id}?from=0&limit=1").json()
    assert answer["count"] == 1
    assert answer["has_more"] is False


def test_game_lists_page_with_an_offset(client: TestClient) -> None:
    for number in range(7):
        client.post("/api/games", json={"player_one": f"eve{number}"})
    first = client.get("/api/games?status=waiting&limit=4").json()["games"]
    second = client.get("/api/games?status=waiting&limit=4&offset=4").json()["games"]
    ids = [game["game_id"] for game in first + second]
    assert len(first) == 4
    assert len(second) == 3
    assert len(set(ids)) == 7
