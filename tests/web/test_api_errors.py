"""Every refused request gets a clear status and message, and stores nothing."""

from __future__ import annotations

from collections.abc import Callable

import httpx2 as httpx
import pytest
from starlette.testclient import TestClient

from connect_four.application import ConnectFourApp
from connect_four.eventsourcing.events import NewEvent
from connect_four.eventsourcing.stores.memory.event_store import InMemoryEventStore
from tests.web.games import OpenedGame, move, open_game, play

UNKNOWN = "00000000-0000-4000-8000-000000000000"


def refused(
    store: InMemoryEventStore, request: Callable[[], httpx.Response], status: int
) -> dict[str, str]:
    """Send a request that must be refused; check that nothing was stored."""
    before = store.last_global_position()
    response = request()
    assert response.status_code == status, response.text
    assert store.last_global_position() == before
    body: dict[str, str] = response.json()
    assert body["message"]
    return body


@pytest.fixture
def game(client: TestClient) -> OpenedGame:
    return open_game(client, "ann", "bob")


def test_a_move_with_a_token_of_no_seat_is_forbidden(
    client: TestClient, store: InMemoryEventStore, game: OpenedGame
) -> None:
    body = refused(
        store,
        lambda: client.post(
            f"/api/games/{game.game_id}/moves",
            json={"column": "D"},
            headers={"Authorization": "Bearer not-a-seat"},
        ),
        403,
    )
    assert body["error"] == "seat_token_rejected"


def test_a_token_of_another_game_is_forbidden(
    client: TestClient, store: InMemoryEventStore, game: OpenedGame
) -> None:
    other = open_game(client, "cy", "dee")
    refused(
        store,
        lambda: client.post(
            f"/api/games/{game.game_id}/moves",
            json={"column": "D"},
            headers={"Authorization": f"Bearer {other.tokens['cy']}"},
        ),
        403,
    )


def test_a_move_without_a_token_asks_for_one(
    client: TestClient, store: InMemoryEventStore, game: OpenedGame
) -> None:
    body = refused(
        store,
        lambda: client.post(f"/api/games/{game.game_id}/moves", json={"column": "D"}),
        401,
    )
    assert "Authorization: Bearer" in body["message"]


def test_a_player_cannot_move_for_the_other(
    client: TestClient, store: InMemoryEventStore, game: OpenedGame
) -> None:
    body = refused(store, lambda: move(client, game, "bob", "D"), 409)
    assert body["message"] == "it is not bob's turn: ann moves next"


def test_a_full_column_takes_no_more_tokens(
    client: TestClient, store: InMemoryEventStore, game: OpenedGame
) -> None:
    play(client, game, "DDDDDD")
    body = refused(store, lambda: move(client, game, "ann", "D"), 409)
    assert body["message"] == "column D is full"


def test_a_finished_game_takes_no_more_moves(
    client: TestClient, store: InMemoryEventStore, game: OpenedGame
) -> None:
    play(client, game, "ABABABA")
    body = refused(store, lambda: move(client, game, "bob", "C"), 409)
    assert "is over" in body["message"]


@pytest.mark.parametrize(
    ("method", "path", "payload"),
    [
        ("GET", "/api/games/{id}", None),
        ("GET", "/api/games/{id}/events", None),
        ("POST", "/api/games/{id}/moves", {"column": "D"}),
        ("POST", "/api/games/{id}/join", {"player": "bob", "secret": "x"}),
        ("POST", "/api/games/{id}/forks", {"moves": 0}),
    ],
)
def test_an_unknown_game_is_not_found(
    client: TestClient,
    store: InMemoryEventStore,
    method: str,
    path: str,
    payload: dict[str, object] | None,
) -> None:
    url = path.format(id=UNKNOWN)
    body = refused(
        store,
        lambda: client.request(
            method, url, json=payload, headers={"Authorization": "Bearer x"}
        ),
        404,
    )
    assert body["error"] == "unknown_game"


def test_a_damaged_seat_event_is_a_server_error_that_names_it(
    client: TestClient, store: InMemoryEventStore
) -> None:
    game_id = open_game(client).game_id
    stream = f"seats-{game_id}"
    damaged = store.append(stream, [NewEvent("SeatSold", b"{}")], 1)

    response = client.get(f"/api/games/{game_id}")

    assert response.status_code == 500
    body = response.json()
    assert body["error"] == "unreadable_event"
    assert f"position {damaged.stream_position} of stream {stream!r}" in body["message"]


@pytest.mark.parametrize(
    ("content", "content_type", "reason"),
    [
        (b"{not json", "application/json", "not valid JSON"),
        (b"[1, 2]", "application/json", "must be a JSON object"),
        (b'{"column": "D"}', "text/plain", "Content-Type: application/json"),
        (b"[" * 5000 + b"]" * 5000, "application/json", "nested too deeply"),
    ],
)
def test_a_body_that_is_not_a_json_object_is_malformed(
    client: TestClient,
    store: InMemoryEventStore,
    game: OpenedGame,
    content: bytes,
    content_type: str,
    reason: str,
) -> None:
    body = refused(
        store,
        lambda: client.post(
            f"/api/games/{game.game_id}/moves",
            content=content,
            headers={
                "Content-Type": content_type,
                "Authorization": f"Bearer {game.tokens['ann']}",
            },
        ),
        400,
    )
    assert reason in body["message"]


@pytest.mark.parametrize("column", [None, "H", "", 3, "DD", ["D"]])
def test_a_move_must_name_a_column_from_a_to_g(
    client: TestClient, store: InMemoryEventStore, game: OpenedGame, column: object
) -> None:
    body = refused(
        store,
        lambda: client.post(
            f"/api/games/{game.game_id}/moves",
            json={"column": column},
            headers={"Authorization": f"Bearer {game.tokens['ann']}"},
        ),
        422,
    )
    assert body["message"] == "field 'column' must be one of the letters A to G"


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        ({}, "field 'player_one' is required"),
        ({"player_one": 7}, "field 'player_one' is required"),
        ({"player_one": "ann", "player_two": 7}, "must be a string or null"),
        ({"player_one": "", "player_two": "bob"}, "is empty"),
        ({"player_one": "ann", "player_two": "Ann"}, "different names"),
        ({"player_one": "x" * 41, "player_two": "bob"}, "longer than 40"),
        ({"player_one": "a\u0000b"}, "holds control"),
    ],
)
def test_unusable_names_open_no_game(
    client: TestClient, store: InMemoryEventStore, payload: object, reason: str
) -> None:
    body = refused(store, lambda: client.post("/api/games", json=payload), 422)
    assert reason in body["message"]


def test_a_wrong_join_secret_is_forbidden(
    client: TestClient, store: InMemoryEventStore
) -> None:
    game_id = client.post("/api/games", json={"player_one": "ann"}).json()["game_id"]
    refused(
        store,
        lambda: client.post(
            f"/api/games/{game_id}/join", json={"player": "bob", "secret": "guess"}
        ),
        403,
    )


def test_an_invite_opens_seat_two_once(
    client: TestClient, store: InMemoryEventStore
) -> None:
    opened = client.post("/api/games", json={"player_one": "ann"}).json()
    url = f"/api/games/{opened['game_id']}/join"
    secret = opened["invite_secret"]
    assert client.post(url, json={"player": "bob", "secret": secret}).status_code == 200
    body = refused(
        store, lambda: client.post(url, json={"player": "cy", "secret": secret}), 409
    )
    assert body["error"] == "invite_used"


def test_joining_under_the_creators_name_is_refused(
    client: TestClient, store: InMemoryEventStore
) -> None:
    opened = client.post("/api/games", json={"player_one": "ann"}).json()
    refused(
        store,
        lambda: client.post(
            f"/api/games/{opened['game_id']}/join",
            json={"player": "ann", "secret": opened["invite_secret"]},
        ),
        422,
    )


def test_a_game_waiting_for_its_second_player_takes_no_move(
    client: TestClient, store: InMemoryEventStore
) -> None:
    opened = client.post("/api/games", json={"player_one": "ann"}).json()
    body = refused(
        store,
        lambda: client.post(
            f"/api/games/{opened['game_id']}/moves",
            json={"column": "D"},
            headers={"Authorization": f"Bearer {opened['seats'][0]['token']}"},
        ),
        409,
    )
    assert body["error"] == "waiting_for_opponent"


def test_a_game_opened_elsewhere_can_be_watched_but_not_played(
    client: TestClient, store: InMemoryEventStore, app: ConnectFourApp
) -> None:
    game_id = app.create_game("ann", "bob")
    assert client.get(f"/api/games/{game_id}").json()["status"] == "playing"
    body = refused(
        store,
        lambda: client.post(
            f"/api/games/{game_id}/moves",
            json={"column": "D"},
            headers={"Authorization": "Bearer x"},
        ),
        403,
    )
    assert body["error"] == "no_seats"


@pytest.mark.parametrize(
    ("moves", "status"), [(8, 409), (7, 409), (43, 422), (-1, 422)]
)
def test_a_fork_needs_a_position_the_game_reached_before_it_ended(
    client: TestClient,
    store: InMemoryEventStore,
    game: OpenedGame,
    moves: int,
    status: int,
) -> None:
    play(client, game, "ABABABA")
    refused(
        store,
        lambda: client.post(f"/api/games/{game.game_id}/forks", json={"moves": moves}),
        status,
    )


def test_a_body_over_the_size_limit_is_refused(
    client: TestClient, store: InMemoryEventStore
) -> None:
    big = {"player_one": "ann", "player_two": "bob", "padding": "x" * 20_000}
    body = refused(store, lambda: client.post("/api/games", json=big), 413)
    assert body["error"] == "body_too_large"


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/api/games", {"status": "lost"}),
        ("/api/games", {"limit": "0"}),
        ("/api/games", {"limit": "many"}),
        ("/api/log", {"after": "-1"}),
        ("/api/log", {"after": "9" * 5000}),
        ("/api/leaderboard", {"limit": "501"}),
    ],
)
def test_query_parameters_out_of_range_are_refused(
    client: TestClient, path: str, params: dict[str, str]
) -> None:
    response = client.get(path, params=params)
    assert response.status_code == 422
    assert response.json()["error"] == "invalid_field"


def test_an_unknown_address_answers_in_json(client: TestClient) -> None:
    response = client.get("/api/nothing-here")
    assert response.status_code == 404
    assert response.json() == {"error": "not_found", "message": "Not Found"}
