"""Names that are yours, through the HTTP API: claim, refuse, link a device."""

from __future__ import annotations

import json
import unicodedata
from urllib.parse import parse_qs, urlsplit

from starlette.testclient import TestClient

from connect_four.eventsourcing.stores.memory.event_store import InMemoryEventStore
from tests.web.games import everything_stored


def claim(client: TestClient, name: str) -> str:
    response = client.post("/api/players", json={"player": name})
    assert response.status_code == 201, response.text
    secret = response.json()["secret"]
    assert isinstance(secret, str)
    return secret


def test_the_first_claim_of_a_name_answers_its_secret_and_stores_its_digest(
    client: TestClient, store: InMemoryEventStore
) -> None:
    response = client.post("/api/players", json={"player": "Ann"})
    assert response.status_code == 201
    body = response.json()
    assert (body["player"], body["key"]) == ("Ann", "ann")
    stored = everything_stored(store)
    assert [(stream, kind) for stream, kind, _, _ in stored] == [
        ("player-ann", "NameClaimed")
    ]
    assert body["secret"].encode() not in stored[0][2] + stored[0][3]


def test_claiming_a_name_again_with_its_secret_answers_200_without_a_secret(
    client: TestClient,
) -> None:
    secret = claim(client, "Ann")
    response = client.post(
        "/api/players", json={"player": "ANN", "player_secrets": [secret]}
    )
    assert response.status_code == 200
    assert response.json() == {"player": "Ann", "key": "ann", "secret": None}


def test_a_name_claimed_elsewhere_is_refused_with_name_taken(
    client: TestClient, store: InMemoryEventStore
) -> None:
    claim(client, "Ann")
    before = everything_stored(store)
    for path, body in [
        ("/api/players", {"player": "ann"}),
        ("/api/games", {"player_one": "ann"}),
        ("/api/games", {"player_one": "bob", "player_two": "Ann"}),
        ("/api/games", {"player_one": "ann", "player_secrets": ["a guess"]}),
    ]:
        response = client.post(path, json=body)
        assert response.status_code == 403, (path, body)
        assert response.json()["error"] == "name_taken"
        assert "'Ann' is taken" in response.json()["message"]
    assert everything_stored(store) == before


def test_a_claimed_name_joins_only_with_its_secret(client: TestClient) -> None:
    bob = claim(client, "Bob")
    opened = client.post("/api/games", json={"player_one": "ann"}).json()
    join = f"/api/games/{opened['game_id']}/join"
    secret = opened["invite_secret"]
    refused = client.post(join, json={"player": "bob", "secret": secret})
    assert (refused.status_code, refused.json()["error"]) == (403, "name_taken")
    joined = client.post(
        join, json={"player": "bob", "secret": secret, "player_secrets": [bob]}
    )
    assert joined.status_code == 200
    assert joined.json()["player"] == "Bob"


def test_player_secrets_of_the_wrong_shape_are_refused(client: TestClient) -> None:
    for secrets in ["one", [1], ["x" * 201], ["s"] * 51]:
        response = client.post(
            "/api/games", json={"player_one": "ann", "player_secrets": secrets}
        )
        assert response.status_code == 422
        assert "player_secrets" in response.json()["message"]


def test_a_device_link_lets_another_device_play_the_names_seat(
    client: TestClient,
) -> None:
    phone = claim(client, "Ann")
    game = client.post(
        "/api/games",
        json={"player_one": "Ann", "player_two": "Bob", "player_secrets": [phone]},
    ).json()

    link = client.post("/api/players/links", json={"player": "ann", "secret": phone})
    assert link.status_code == 201
    url = urlsplit(link.json()["link_url"])
    assert url.path == "/"
    fragment = parse_qs(url.fragment)
    assert fragment["player"] == ["Ann"]
    code = fragment["link"][0]

    linked = client.post("/api/players/devices", json={"player": "Ann", "code": code})
    assert linked.status_code == 201
    laptop = linked.json()["secret"]
    assert laptop != phone

    moved = client.post(
        f"/api/games/{game['game_id']}/moves",
        json={"column": "D", "move_number": 1},
        headers={"Authorization": f"Bearer {laptop}"},
    )
    assert moved.status_code == 200, moved.text
    assert moved.json()["moves"] == ["D"]
    assert moved.json()["player_keys"] == ["ann", "bob"]

    again = client.post("/api/players/devices", json={"player": "Ann", "code": code})
    assert (again.status_code, again.json()["error"]) == (403, "link_rejected")


def test_a_device_link_needs_a_secret_of_the_name(client: TestClient) -> None:
    claim(client, "Ann")
    response = client.post(
        "/api/players/links", json={"player": "Ann", "secret": "a guess"}
    )
    assert (response.status_code, response.json()["error"]) == (403, "name_taken")


def test_a_player_secret_moves_no_other_players_seat(client: TestClient) -> None:
    ann = claim(client, "Ann")
    game = client.post(
        "/api/games",
        json={"player_one": "Bob", "player_two": "Ann", "player_secrets": [ann]},
    ).json()
    response = client.post(
        f"/api/games/{game['game_id']}/moves",
        json={"column": "D"},
        headers={"Authorization": f"Bearer {ann}"},
    )
    assert response.status_code == 409  # Ann's seat, but Bob moves first
    assert response.json()["error"] == "rule_broken"


def test_the_stream_browser_redacts_the_digests_of_a_names_secrets(
    client: TestClient,
) -> None:
    secret = claim(client, "Ann")
    client.post("/api/players/links", json={"player": "Ann", "secret": secret})
    events = client.get("/api/streams/player-ann").json()["events"]
    assert [(e["type"], e["data"]) for e in events] == [
        ("NameClaimed", {"name": "Ann", "secret_sha256": "(redacted)"}),
        (
            "DeviceLinkIssued",
            {
                "link_sha256": "(redacted)",
                "expires_at": events[1]["data"]["expires_at"],
            },
        ),
    ]


def test_a_name_sent_decomposed_is_stored_composed(
    client: TestClient, store: InMemoryEventStore
) -> None:
    nfd = unicodedata.normalize("NFD", "Émile")
    opened = client.post("/api/games", json={"player_one": nfd, "player_two": "Zoë"})
    assert opened.status_code == 201
    started = store.read_stream(f"game-{opened.json()['game_id']}")[0]
    assert json.loads(started.data)["player_one"] == unicodedata.normalize(
        "NFC", "Émile"
    )


def test_a_name_with_a_line_separator_is_refused_everywhere(client: TestClient) -> None:
    for path, body in [
        ("/api/players", {"player": "ann\u2028bob"}),
        ("/api/games", {"player_one": "ann\u2028bob"}),
    ]:
        response = client.post(path, json=body)
        assert (response.status_code, response.json()["error"]) == (
            422,
            "invalid_players",
        )


def test_a_linked_device_resigns_the_names_game_with_its_own_secret(
    client: TestClient,
) -> None:
    phone = claim(client, "Ann")
    game = client.post(
        "/api/games",
        json={"player_one": "Ann", "player_two": "Bob", "player_secrets": [phone]},
    ).json()
    code = client.post(
        "/api/players/links", json={"player": "Ann", "secret": phone}
    ).json()["code"]
    laptop = client.post(
        "/api/players/devices", json={"player": "Ann", "code": code}
    ).json()["secret"]

    resigned = client.post(
        f"/api/games/{game['game_id']}/resign",
        headers={"Authorization": f"Bearer {laptop}"},
    )

    assert resigned.status_code == 200, resigned.text
    assert resigned.json()["winner"] == "Bob"
