"""Playing through the HTTP API: open, join, move, read, list, fork."""

from __future__ import annotations

import json

from starlette.testclient import TestClient

from connect_four.eventsourcing.stores.memory.event_store import InMemoryEventStore
from tests.web.games import everything_stored, move, open_game, play

WON_BY_ANN = "ABABABA"
"""Ann fills column A four high while Bob stacks B: Ann wins on the seventh move."""


def test_opening_a_game_with_two_names_gives_each_player_a_seat_token(
    client: TestClient,
) -> None:
    game = open_game(client, "ann", "bob")
    assert set(game.tokens) == {"ann", "bob"}
    assert game.tokens["ann"] != game.tokens["bob"]
    assert len(game.tokens["ann"]) >= 43  # 32 random bytes, URL-safe base64


def test_a_game_stream_holds_exactly_the_seeds_keys(
    client: TestClient, store: InMemoryEventStore
) -> None:
    game = open_game(client, "ann", "bob")
    play(client, game, "D")
    stored = store.read_stream(f"game-{game.game_id}")
    assert [(r.type, json.loads(r.data)) for r in stored] == [
        ("GameStarted", {"player_one": "ann", "player_two": "bob"}),
        ("MoveMade", {"player": "ann", "column": "D"}),
    ]


def test_seat_tokens_are_stored_only_as_digests(
    client: TestClient, store: InMemoryEventStore
) -> None:
    game = open_game(client, "ann", "bob")
    stored = b"".join(
        data + metadata for _, _, data, metadata in everything_stored(store)
    )
    for token in game.tokens.values():
        assert token.encode() not in stored


def test_one_name_gives_a_seat_and_an_invite_whose_secret_rides_in_the_fragment(
    client: TestClient,
) -> None:
    response = client.post("/api/games", json={"player_one": "ann"})
    assert response.status_code == 201
    body = response.json()
    assert [seat["player"] for seat in body["seats"]] == ["ann"]
    assert body["invite_url"].endswith(
        f"/games/{body['game_id']}#join={body['invite_secret']}"
    )
    state = client.get(f"/api/games/{body['game_id']}").json()
    assert (state["status"], state["player_one"], state["player_two"]) == (
        "waiting",
        "ann",
        None,
    )


def test_a_friend_with_the_invite_takes_seat_two_and_the_game_starts(
    client: TestClient,
) -> None:
    body = client.post("/api/games", json={"player_one": "ann"}).json()
    game_id = body["game_id"]
    joined = client.post(
        f"/api/games/{game_id}/join",
        json={"player": "bob", "secret": body["invite_secret"]},
    )
    assert joined.status_code == 200
    assert (joined.json()["seat"], joined.json()["player"]) == (2, "bob")
    state = client.get(f"/api/games/{game_id}").json()
    assert (state["status"], state["player_two"], state["next_player"]) == (
        "playing",
        "bob",
        "ann",
    )


def test_the_joined_friend_moves_with_their_own_token(client: TestClient) -> None:
    body = client.post("/api/games", json={"player_one": "ann"}).json()
    game_id = body["game_id"]
    bob = client.post(
        f"/api/games/{game_id}/join",
        json={"player": "bob", "secret": body["invite_secret"]},
    ).json()["token"]
    ann = body["seats"][0]["token"]
    for token, column in ((ann, "D"), (bob, "C")):
        response = client.post(
            f"/api/games/{game_id}/moves",
            json={"column": column},
            headers={"Authorization": f"Bearer {token}"},
        )
        assert response.status_code == 200
    assert client.get(f"/api/games/{game_id}").json()["moves"] == ["D", "C"]


def test_a_move_answers_with_the_game_after_it(client: TestClient) -> None:
    game = open_game(client)
    response = move(client, game, "ann", "d")
    assert response.status_code == 200
    state = response.json()
    assert state["board"]["D"] == ["RED"]
    assert (state["next_player"], state["moves"], state["version"]) == ("bob", ["D"], 1)


def test_four_in_a_row_finishes_the_game_with_a_winner(client: TestClient) -> None:
    game = open_game(client)
    play(client, game, WON_BY_ANN)
    state = client.get(f"/api/games/{game.game_id}").json()
    assert (state["status"], state["result"], state["winner"]) == (
        "finished",
        "PLAYER_ONE_WON",
        "ann",
    )
    assert state["next_player"] is None


def test_the_games_list_tells_waiting_playing_and_finished_games_apart(
    client: TestClient,
) -> None:
    waiting = client.post("/api/games", json={"player_one": "cy"}).json()["game_id"]
    playing = open_game(client, "ann", "bob")
    finished = open_game(client, "dee", "eve")
    play(client, finished, WON_BY_ANN, ("dee", "eve"))
    listed = {
        g["game_id"]: g["status"] for g in client.get("/api/games").json()["games"]
    }
    assert listed == {
        waiting: "waiting",
        playing.game_id: "playing",
        finished.game_id: "finished",
    }
    only_finished = client.get("/api/games", params={"status": "finished"}).json()
    assert [g["game_id"] for g in only_finished["games"]] == [finished.game_id]


def test_the_leaderboard_ranks_players_by_their_elo_rating(
    client: TestClient,
) -> None:
    play(client, open_game(client, "ann", "bob"), WON_BY_ANN)
    play(client, open_game(client, "bob", "cy"), WON_BY_ANN, ("bob", "cy"))
    players = client.get("/api/leaderboard").json()["players"]
    assert [(p["player"], p["won"], p["lost"]) for p in players] == [
        ("ann", 1, 0),
        ("bob", 1, 1),
        ("cy", 0, 1),
    ]
    ratings = [p["rating"] for p in players]
    assert ratings == sorted(ratings, reverse=True)
    assert ratings[0] > 1500 > ratings[2]


def test_a_games_events_come_with_their_positions(client: TestClient) -> None:
    game = open_game(client)
    play(client, game, "DC")
    events = client.get(f"/api/games/{game.game_id}/events").json()["events"]
    assert [(e["stream_position"], e["type"]) for e in events] == [
        (0, "GameStarted"),
        (1, "MoveMade"),
        (2, "MoveMade"),
    ]
    assert events[2]["data"] == {"player": "bob", "column": "C"}
    positions = [e["global_position"] for e in events]
    assert positions == sorted(positions)


def test_a_fork_starts_a_new_game_at_the_position_and_links_to_the_original(
    client: TestClient, store: InMemoryEventStore
) -> None:
    game = open_game(client)
    play(client, game, "DCDC")
    response = client.post(f"/api/games/{game.game_id}/forks", json={"moves": 2})
    assert response.status_code == 201
    fork = response.json()
    assert {seat["player"] for seat in fork["seats"]} == {"ann", "bob"}
    state = client.get(f"/api/games/{fork['game_id']}").json()
    assert (state["moves"], state["next_player"]) == (["D", "C"], "ann")
    first = store.read_stream(f"game-{fork['game_id']}")[0]
    assert json.loads(first.metadata)["forked_from"] == {
        "game_id": game.game_id,
        "stream": f"game-{game.game_id}",
        "moves": 2,
    }
    assert json.loads(first.data) == {"player_one": "ann", "player_two": "bob"}


def test_the_global_log_is_read_in_pages_after_a_position(client: TestClient) -> None:
    play(client, open_game(client), "DCDC")
    first = client.get("/api/log", params={"limit": 3}).json()
    second = client.get(
        "/api/log", params={"after": first["next_after"], "limit": 3}
    ).json()
    positions = [e["global_position"] for e in first["events"] + second["events"]]
    assert positions == [1, 2, 3, 4, 5, 6]
    assert first["last_position"] == 7


def test_the_stream_browser_redacts_seat_digests(client: TestClient) -> None:
    game = open_game(client)
    events = client.get(f"/api/streams/seats-{game.game_id}").json()["events"]
    assert [e["data"] for e in events] == [
        {"seat": 1, "player": "ann", "token_sha256": "(redacted)", "computer": None},
        {"seat": 2, "player": "bob", "token_sha256": "(redacted)", "computer": None},
    ]


def test_the_streams_list_counts_each_streams_events(client: TestClient) -> None:
    game = open_game(client)
    play(client, game, "D")
    listed = client.get("/api/streams").json()
    counts = {s["stream"]: s["events"] for s in listed["streams"]}
    assert counts == {f"game-{game.game_id}": 2, f"seats-{game.game_id}": 2}


def test_projections_report_their_checkpoint_and_lag(client: TestClient) -> None:
    play(client, open_game(client), "D")
    client.get("/api/games")  # the lists catch up on every read
    report = client.get("/api/projections").json()
    feeds = report["projections"][0]
    assert (report["head"], feeds["checkpoint"], feeds["lag"]) == (4, 4, 0)
    assert all(row["lag"] == 0 for row in report["projections"])
