"""Hints, verdicts and the computer moving first, over HTTP; asking stores nothing."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from connect_four.ai.advice import EngineAdvisor
from connect_four.application import ConnectFourApp
from connect_four.eventsourcing.stores.memory.event_store import InMemoryEventStore
from connect_four.web import create_app
from tests.web.games import OpenedGame, memory_read_models, move, open_game, play


@pytest.fixture
def client(app: ConnectFourApp, store: InMemoryEventStore) -> Iterator[TestClient]:
    """Yield a test client whose adviser searches briefly: a test waits for it."""
    advisor = EngineAdvisor(hint_seconds=0.2, judge_seconds=0.2)
    web = create_app(app, store, memory_read_models(store), advisor=advisor)
    with TestClient(web) as test_client:
        yield test_client


def hints(client: TestClient, game: OpenedGame, player: str) -> Any:
    return client.get(
        f"/api/games/{game.game_id}/hints",
        headers={"Authorization": f"Bearer {game.tokens[player]}"},
    )


def test_the_player_to_move_gets_each_columns_worth_in_plain_words(
    client: TestClient,
) -> None:
    game = open_game(client)

    response = hints(client, game, "ann")

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["player"] == "ann"
    assert body["moves"] == 0
    # The opening book knows the empty board: only the centre wins.
    assert body["columns"]["D"] == {
        "score": 1,
        "exact": False,
        "text": "win",
        "words": "a win",
    }
    assert [hint["words"] for hint in body["columns"].values()].count("a win") == 1
    assert list(body["columns"]) == list("ABCDEFG")


def test_a_win_on_the_spot_is_a_win_in_one(client: TestClient) -> None:
    game = open_game(client)
    play(client, game, "DCDCDC")

    body = hints(client, game, "ann").json()

    assert body["columns"]["D"]["words"] == "win in 1"
    assert body["columns"]["D"]["score"] == 18


def test_asking_for_hints_stores_nothing(
    client: TestClient, store: InMemoryEventStore
) -> None:
    game = open_game(client)
    move(client, game, "ann", "D")
    before = store.last_global_position()

    assert hints(client, game, "bob").status_code == 200

    assert store.last_global_position() == before


def test_the_player_who_waits_is_refused_hints(client: TestClient) -> None:
    game = open_game(client)

    response = hints(client, game, "bob")

    assert response.status_code == 409
    assert response.json() == {
        "error": "no_hints",
        "message": f"no hints in game {game.game_id}: it is ann's turn",
    }


def test_a_finished_game_gets_no_hints(client: TestClient) -> None:
    game = open_game(client)
    play(client, game, "DCDCDCD")

    response = hints(client, game, "bob")

    assert response.status_code == 409
    assert response.json()["message"].endswith("the game is over")


def test_hints_need_a_seat_token(client: TestClient) -> None:
    game = open_game(client)

    response = client.get(f"/api/games/{game.game_id}/hints")

    assert response.status_code == 401
    assert response.json()["error"] == "seat_token_missing"


def test_a_token_of_another_game_gets_no_hints(client: TestClient) -> None:
    game, other = open_game(client), open_game(client)

    response = client.get(
        f"/api/games/{game.game_id}/hints",
        headers={"Authorization": f"Bearer {other.tokens['ann']}"},
    )

    assert response.status_code == 403


@pytest.mark.parametrize("kind", ["hints", "verdicts"])
def test_an_unknown_game_gets_404(client: TestClient, kind: str) -> None:
    response = client.get(
        f"/api/games/no-such-game/{kind}", headers={"Authorization": "Bearer x"}
    )

    assert response.status_code == 404
    assert response.json()["error"] == "unknown_game"


def test_every_move_gets_a_verdict(client: TestClient) -> None:
    game = open_game(client)
    play(client, game, "DCDCDCE")  # ann misses her win in D; bob wins in C next

    response = client.get(f"/api/games/{game.game_id}/verdicts")

    assert response.status_code == 200, response.text
    moves = response.json()["moves"]
    assert [move["number"] for move in moves] == list(range(1, 8))
    assert [move["player"] for move in moves] == ["ann", "bob"] * 3 + ["ann"]
    assert moves[-1]["column"] == "E"
    assert moves[-1]["verdict"] == "blunder"
    assert moves[-1]["best"] == {"score": 18, "exact": True, "text": "+18"}
    assert moves[-1]["kept"] == {"score": -18, "exact": True, "text": "-18"}
    assert moves[-1]["mistake"] == "turns a win into a loss"
    # Bob's last move let ann win at once: he threw away whatever he had.
    assert moves[-2]["kept"]["score"] == -18


def test_a_game_waiting_for_a_second_player_has_no_verdicts(
    client: TestClient,
) -> None:
    opened = client.post("/api/games", json={"player_one": "ann"}).json()

    response = client.get(f"/api/games/{opened['game_id']}/verdicts")

    assert response.json() == {"game_id": opened["game_id"], "moves": []}


def test_the_computer_moves_first_without_being_asked(client: TestClient) -> None:
    response = client.post(
        "/api/games",
        json={"player_one": "ann", "computer": "easy", "computer_first": True},
    )
    assert response.status_code == 201, response.text
    game_id = response.json()["game_id"]

    state = client.get(f"/api/games/{game_id}").json()

    assert (state["player_one"], state["player_two"]) == ("computer (easy)", "ann")
    assert len(state["moves"]) == 1
    assert state["next_player"] == "ann"


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (
            {"player_one": "ann", "computer_first": True},
            "field 'computer_first' needs a computer level",
        ),
        (
            {"player_one": "ann", "computer": "easy", "computer_first": "yes"},
            "field 'computer_first' must be true or false",
        ),
    ],
)
def test_computer_first_needs_a_computer_and_a_true_or_false(
    client: TestClient,
    store: InMemoryEventStore,
    payload: dict[str, object],
    message: str,
) -> None:
    response = client.post("/api/games", json=payload)

    assert response.status_code == 422
    assert response.json()["message"] == message
    assert store.last_global_position() == 0
