"""The web as one door: moves by number, reads that write nothing, damage named."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Sequence

import pytest
from starlette.testclient import TestClient

from connect_four.domain.table import digest
from connect_four.eventsourcing.errors import UnreadableEventError
from connect_four.eventsourcing.events import NewEvent, RecordedEvent
from connect_four.eventsourcing.store import StreamState
from connect_four.eventsourcing.stores.memory.event_store import InMemoryEventStore
from connect_four.web.follower import LogFollower
from connect_four.web.live import log_backlog
from tests.web.games import OpenedGame, move, open_game, play


def numbered_move(
    client: TestClient, game: OpenedGame, player: str, column: str, number: int
) -> tuple[int, object]:
    response = client.post(
        f"/api/games/{game.game_id}/moves",
        json={"column": column, "move_number": number},
        headers={"Authorization": f"Bearer {game.tokens[player]}"},
    )
    return response.status_code, response.json()


def moves_stored(store: InMemoryEventStore, game_id: str) -> list[str]:
    return [
        json.loads(r.data)["column"]
        for r in store.read_stream(f"game-{game_id}")
        if r.type == "MoveMade"
    ]


def test_a_move_request_sent_twice_is_stored_once_and_answered_alike(
    client: TestClient, store: InMemoryEventStore
) -> None:
    game = open_game(client)
    first = numbered_move(client, game, "ann", "D", 1)
    # The answer was lost; meanwhile bob moved; ann's browser sends it again.
    assert numbered_move(client, game, "bob", "C", 2)[0] == 200

    again = numbered_move(client, game, "ann", "D", 1)

    assert first[0] == again[0] == 200
    assert first[1] == again[1]
    assert moves_stored(store, game.game_id) == ["D", "C"]


def test_a_move_number_the_game_has_passed_with_another_move_gets_409(
    client: TestClient, store: InMemoryEventStore
) -> None:
    game = open_game(client)
    assert numbered_move(client, game, "ann", "D", 1)[0] == 200

    status, body = numbered_move(client, game, "ann", "E", 1)

    assert status == 409
    assert isinstance(body, dict)
    assert body["error"] == "move_number_taken"
    assert moves_stored(store, game.game_id) == ["D"]


def test_a_move_number_out_of_bounds_is_an_invalid_field(client: TestClient) -> None:
    game = open_game(client)
    status, body = numbered_move(client, game, "ann", "D", 0)
    assert status == 422
    assert isinstance(body, dict)
    assert body["error"] == "invalid_field"


def seated_but_not_started(store: InMemoryEventStore) -> str:
    """Store a full table whose game start never got stored (a crash between)."""
    game_id = "5eed0000-0000-4000-8000-000000000001"
    seats = [
        {"seat": 1, "player": "ann", "token_sha256": digest("a"), "computer": None},
        {"seat": 2, "player": "bob", "token_sha256": digest("b"), "computer": None},
    ]
    store.append(
        f"seats-{game_id}",
        [
            NewEvent("SeatTaken", json.dumps(s).encode(), b'{"schema_version":2}')
            for s in seats
        ],
        StreamState.NO_STREAM,
    )
    return game_id


@pytest.mark.parametrize(
    "path",
    [
        "/api/games/{id}",
        "/api/games/{id}/events",
        "/api/games/{id}/verdicts",
        "/api/games",
        "/api/games?status=waiting",
        "/api/leaderboard",
        "/api/streams",
        "/api/streams/seats-{id}",
        "/api/log",
        "/api/projections",
        "/openapi.json",
    ],
)
def test_no_read_writes_anything(
    client: TestClient, store: InMemoryEventStore, path: str
) -> None:
    game_id = seated_but_not_started(store)
    play(client, open_game(client), "DC")
    before = store.last_global_position()

    assert client.get(path.format(id=game_id)).status_code == 200

    assert store.last_global_position() == before


def test_a_full_table_whose_start_is_not_stored_reads_as_a_game_in_play(
    client: TestClient, store: InMemoryEventStore
) -> None:
    game_id = seated_but_not_started(store)

    shown = client.get(f"/api/games/{game_id}").json()

    assert (shown["status"], shown["next_player"]) == ("playing", "ann")
    reply = client.post(
        f"/api/games/{game_id}/moves",
        json={"column": "D", "move_number": 1},
        headers={"Authorization": "Bearer a"},
    )
    assert reply.status_code == 200
    assert moves_stored(store, game_id) == ["D"]


def damage_a_move(store: InMemoryEventStore) -> tuple[str, int]:
    stream = "game-0000dead-0000-4000-8000-000000000001"
    started = json.dumps({"player_one": "ann", "player_two": "bob"}).encode()
    store.append(stream, [NewEvent("GameStarted", started)], StreamState.NO_STREAM)
    damaged = store.append(stream, [NewEvent("MoveMade", b"{not json")], 0)
    return stream, damaged.stream_position


@pytest.mark.parametrize("path", ["/api/games", "/api/leaderboard"])
def test_a_list_that_meets_a_damaged_event_names_it(
    client: TestClient, store: InMemoryEventStore, path: str
) -> None:
    play(client, open_game(client), "DC")
    stream, position = damage_a_move(store)

    response = client.get(path)

    assert response.status_code == 500
    body = response.json()
    assert body["error"] == "unreadable_event"
    assert f"at position {position} of stream {stream!r}" in body["message"]


def test_a_game_beside_a_damaged_one_still_plays_and_shows(
    client: TestClient, store: InMemoryEventStore
) -> None:
    damage_a_move(store)
    game = open_game(client)

    assert move(client, game, "ann", "D").status_code == 200
    assert client.get(f"/api/games/{game.game_id}").json()["moves"] == ["D"]


class StoreWithADamagedRow(InMemoryEventStore):
    """A store that cannot hand out the event at one global position."""

    def __init__(self) -> None:
        super().__init__()
        self.damaged: int | None = None

    def read_all(self, after: int = 0, limit: int = 1000) -> list[RecordedEvent]:
        page = super().read_all(after, limit)
        for record in page:
            if record.global_position == self.damaged:
                raise UnreadableEventError.from_record(record, "the row is damaged")
        return page


def test_the_log_follower_passes_a_damaged_row_once_and_feeds_the_rest(
    caplog: pytest.LogCaptureFixture,
) -> None:
    store = StoreWithADamagedRow()
    for stream in ("a", "b", "a"):
        expected = StreamState.NO_STREAM if stream not in _streams(store) else 0
        store.append(stream, [NewEvent("Happened", b"{}")], expected)
    store.damaged = 2  # the event of stream b

    async def scenario() -> list[int]:
        follower = LogFollower(store)
        subscriber = follower.subscribe(lambda record: record.stream == "a")
        await follower.catch_up()
        store.append("a", [NewEvent("Happened", b"{}")], 1)
        await follower.catch_up()
        await follower.catch_up()
        seen = []
        while (record := await subscriber.next(0.01)) is not None:
            seen.append(record.global_position)
        return seen

    with caplog.at_level(logging.ERROR, logger="connect_four.web.follower"):
        seen = asyncio.run(scenario())

    assert seen == [1, 3, 4]
    damaged_lines = [r for r in caplog.records if "global position 2" in r.message]
    assert len(damaged_lines) == 1


def _streams(store: InMemoryEventStore) -> Sequence[str]:
    return [record.stream for record in store.read_all()]


def test_a_feeds_backlog_passes_a_damaged_row_and_reads_on() -> None:
    store = StoreWithADamagedRow()
    for number in range(4):
        expected = StreamState.NO_STREAM if number == 0 else number - 1
        store.append("a", [NewEvent("Happened", b"{}")], expected)
    store.damaged = 2

    async def scenario() -> list[int]:
        follower = LogFollower(store)
        await follower.catch_up()
        backlog = log_backlog(store, follower, lambda record: True)
        return [record.global_position for record in await backlog(0)]

    assert asyncio.run(scenario()) == [1, 3, 4]
