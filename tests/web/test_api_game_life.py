"""A game's life through the HTTP API: resign, claim the win, call off, rematch."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta

import pytest
from starlette.testclient import TestClient

from connect_four.application import ConnectFourApp
from connect_four.application.game_life import GameLife
from connect_four.eventsourcing.stores.memory.event_store import InMemoryEventStore
from connect_four.persistence.tables import table_service
from connect_four.web import create_app
from tests.application.test_game_life import Clock
from tests.web.games import (
    OpenedGame,
    everything_stored,
    memory_read_models,
    open_game,
    play,
)

LIMIT = timedelta(minutes=5)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def client(
    app: ConnectFourApp, store: InMemoryEventStore, clock: Clock
) -> Iterator[TestClient]:
    tables = table_service(app, store)
    life = GameLife(app, tables, claim_after=LIMIT, clock=clock)
    web = create_app(app, store, memory_read_models(store), tables=tables, life=life)
    with TestClient(web) as test_client:
        yield test_client


def post(
    client: TestClient, path: str, token: str | None
) -> tuple[int, dict[str, object]]:
    headers = {} if token is None else {"Authorization": f"Bearer {token}"}
    response = client.post(path, headers=headers)
    return response.status_code, response.json()


def resign(
    client: TestClient, game: OpenedGame, player: str
) -> tuple[int, dict[str, object]]:
    return post(client, f"/api/games/{game.game_id}/resign", game.tokens[player])


def test_resigning_ends_the_game_with_the_other_players_win(client: TestClient) -> None:
    game = open_game(client)
    play(client, game, "D")
    status, view = resign(client, game, "bob")
    assert status == 200
    assert (view["status"], view["winner"], view["result"]) == (
        "finished",
        "ann",
        "PLAYER_ONE_WON",
    )
    assert view["ending"] == {"kind": "resigned", "player": "bob"}


def test_the_stream_stores_player_resigned_then_the_seeds_game_finished(
    client: TestClient, store: InMemoryEventStore
) -> None:
    game = open_game(client)
    resign(client, game, "ann")
    records = store.read_stream(f"game-{game.game_id}")
    assert [(r.type, json.loads(r.data)) for r in records[-2:]] == [
        ("PlayerResigned", {"player": "ann"}),
        ("GameFinished", {"result": "PLAYER_TWO_WON"}),
    ]


def test_resigning_a_finished_game_is_refused_and_stores_nothing(
    client: TestClient, store: InMemoryEventStore
) -> None:
    game = open_game(client)
    resign(client, game, "ann")
    before = everything_stored(store)
    status, answer = resign(client, game, "bob")
    assert (status, answer["error"]) == (409, "game_over")
    assert everything_stored(store) == before


def test_a_spectator_cannot_resign(
    client: TestClient, store: InMemoryEventStore
) -> None:
    game = open_game(client)
    before = everything_stored(store)
    assert post(client, f"/api/games/{game.game_id}/resign", None)[0] == 401
    assert post(client, f"/api/games/{game.game_id}/resign", "a guess")[0] == 403
    assert everything_stored(store) == before


def test_a_resigned_game_counts_on_the_leaderboard_and_in_the_list(
    client: TestClient,
) -> None:
    game = open_game(client)
    resign(client, game, "bob")
    players = client.get("/api/leaderboard").json()["players"]
    assert {(p["player"], p["won"], p["lost"]) for p in players} == {
        ("ann", 1, 0),
        ("bob", 0, 1),
    }
    listed = client.get("/api/games").json()["games"][0]
    assert listed["ending"] == {"kind": "resigned", "player": "bob"}
    assert listed["winner"] == "ann"


def test_a_claim_before_the_time_is_up_says_how_long_is_left(
    client: TestClient, store: InMemoryEventStore, clock: Clock
) -> None:
    game = open_game(client)
    play(client, game, "D")
    clock.advance(timedelta(minutes=4))
    before = everything_stored(store)
    status, answer = post(
        client, f"/api/games/{game.game_id}/claim", game.tokens["ann"]
    )
    assert (status, answer["error"]) == (409, "claim_too_early")
    assert "more seconds" in str(answer["message"])
    assert everything_stored(store) == before


def test_the_game_view_says_since_when_it_waits_and_for_how_long_it_may(
    client: TestClient, store: InMemoryEventStore
) -> None:
    game = open_game(client)
    play(client, game, "D")
    claim = client.get(f"/api/games/{game.game_id}").json()["claim"]
    last = store.read_stream(f"game-{game.game_id}")[-1]
    assert claim == {
        "waiting_since": last.recorded_at.isoformat(),
        "after_seconds": LIMIT.total_seconds(),
    }


def test_the_waiting_player_claims_the_win_once_the_time_is_up(
    client: TestClient, clock: Clock
) -> None:
    game = open_game(client)
    play(client, game, "D")
    clock.advance(LIMIT + timedelta(seconds=1))
    status, view = post(client, f"/api/games/{game.game_id}/claim", game.tokens["ann"])
    assert status == 200
    assert view["winner"] == "ann"
    assert view["ending"] == {"kind": "claimed", "player": "ann"}


def test_the_player_to_move_cannot_claim(client: TestClient, clock: Clock) -> None:
    game = open_game(client)
    clock.advance(timedelta(hours=1))
    status, answer = post(
        client, f"/api/games/{game.game_id}/claim", game.tokens["ann"]
    )
    assert (status, answer["error"]) == (409, "claim_on_own_turn")


def test_the_creator_calls_off_a_game_nobody_joined(client: TestClient) -> None:
    opened = client.post("/api/games", json={"player_one": "ann"}).json()
    game_id, token = opened["game_id"], opened["seats"][0]["token"]
    status, view = post(client, f"/api/games/{game_id}/withdraw", token)
    assert (status, view["status"]) == (200, "abandoned")
    assert client.get("/api/games?status=waiting").json()["games"] == []
    joined = client.post(
        f"/api/games/{game_id}/join",
        json={"player": "bob", "secret": opened["invite_secret"]},
    )
    assert (joined.status_code, joined.json()["error"]) == (409, "invite_withdrawn")


def test_a_started_game_cannot_be_called_off(client: TestClient) -> None:
    game = open_game(client)
    status, answer = post(
        client, f"/api/games/{game.game_id}/withdraw", game.tokens["ann"]
    )
    assert (status, answer["error"]) == (409, "game_underway")


def test_a_rematch_is_offered_live_and_accepted_with_colours_swapped(
    client: TestClient,
) -> None:
    game = open_game(client)
    resign(client, game, "bob")
    status, offered = post(
        client, f"/api/games/{game.game_id}/rematch", game.tokens["ann"]
    )
    assert status == 200
    assert offered["started"] is False
    assert offered["seat"] == {"seat": 2, "player": "ann", "token": game.tokens["ann"]}
    original = client.get(f"/api/games/{game.game_id}").json()
    assert original["seats"]["rematch"] == {
        "game_id": offered["game_id"],
        "offered_by": "ann",
    }
    waiting = client.get(f"/api/games/{offered['game_id']}").json()
    assert waiting["seats"]["offer_open"] is True
    assert waiting["seats"]["offered_to"] == "bob"
    status, accepted = post(
        client, f"/api/games/{game.game_id}/rematch", game.tokens["bob"]
    )
    assert (status, accepted["game_id"], accepted["started"]) == (
        200,
        offered["game_id"],
        True,
    )
    started = client.get(f"/api/games/{offered['game_id']}").json()
    assert (started["player_one"], started["player_two"]) == ("bob", "ann")


def test_a_rematch_before_the_end_is_refused(client: TestClient) -> None:
    game = open_game(client)
    status, answer = post(
        client, f"/api/games/{game.game_id}/rematch", game.tokens["ann"]
    )
    assert (status, answer["error"]) == (409, "rematch_not_ready")
