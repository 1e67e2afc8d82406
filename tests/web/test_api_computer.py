"""Playing the computer: it holds seat two and answers each move by itself."""

from __future__ import annotations

import json
import sys

import pytest
from starlette.testclient import TestClient

from connect_four.ai.opponent import AI_MODULE, computer_levels
from connect_four.eventsourcing.stores.memory.event_store import InMemoryEventStore

pytestmark = pytest.mark.skipif(
    not computer_levels(), reason="the AI (connect_four.ai.players) is not installed"
)


def open_against_computer(client: TestClient) -> tuple[str, str]:
    response = client.post("/api/games", json={"player_one": "ann", "computer": "easy"})
    assert response.status_code == 201, response.text
    body = response.json()
    return body["game_id"], body["seats"][0]["token"]


def test_the_creator_gets_seat_one_and_the_computer_holds_seat_two(
    client: TestClient,
) -> None:
    game_id, _ = open_against_computer(client)
    state = client.get(f"/api/games/{game_id}").json()
    assert (state["player_one"], state["player_two"]) == ("ann", "computer (easy)")
    assert state["seats"]["computer"] == "easy"


def test_the_computer_answers_a_move_with_its_own(client: TestClient) -> None:
    game_id, token = open_against_computer(client)
    response = client.post(
        f"/api/games/{game_id}/moves",
        json={"column": "D"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.json()["moves"] == ["D"]
    state = client.get(f"/api/games/{game_id}").json()
    assert len(state["moves"]) == 2
    assert state["next_player"] == "ann"


def test_the_computers_judgement_goes_in_metadata_not_data(
    client: TestClient, store: InMemoryEventStore
) -> None:
    game_id, token = open_against_computer(client)
    client.post(
        f"/api/games/{game_id}/moves",
        json={"column": "D"},
        headers={"Authorization": f"Bearer {token}"},
    )
    reply = store.read_stream(f"game-{game_id}")[-1]
    assert json.loads(reply.data).keys() == {"player", "column"}
    assert json.loads(reply.metadata)["computer"]["level"] == "easy"


@pytest.mark.parametrize(
    "payload",
    [
        {"player_one": "ann", "computer": "godlike"},
        {"player_one": "ann", "player_two": "bob", "computer": "easy"},
    ],
)
def test_an_unknown_level_or_a_second_name_is_refused(
    client: TestClient, store: InMemoryEventStore, payload: dict[str, str]
) -> None:
    response = client.post("/api/games", json=payload)
    assert response.status_code == 422
    assert "computer" in response.json()["message"]
    assert store.last_global_position() == 0


def test_an_unknown_level_is_refused_with_the_levels_there_are(
    client: TestClient,
) -> None:
    response = client.post("/api/games", json={"player_one": "ann", "computer": "x"})

    assert response.status_code == 422
    message = response.json()["message"]
    assert message == "field 'computer' must be one of " + ", ".join(computer_levels())


def test_without_the_ai_a_game_against_the_computer_is_refused(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, AI_MODULE, None)

    response = client.post("/api/games", json={"player_one": "ann", "computer": "easy"})

    assert response.status_code == 422
    assert response.json()["message"] == (
        "field 'computer' is not available: the AI is not installed"
    )
    assert client.get("/api/computer").json()["levels"] == []


def test_the_levels_are_listed(client: TestClient) -> None:
    assert client.get("/api/computer").json()["levels"][0] == "easy"
