"""The seed's `GameRepository(client=...)`, on client doubles and on a real server.

The doubles run everywhere: a fake of the whole `KurrentDBClient` API, and one
of exactly the tutorial's two-call shape; the same tests run against KurrentDB itself
when `CONNECT_FOUR_TEST_KURRENTDB_URL` names a server, and are skipped otherwise.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import timedelta

import kurrentdbclient
import pytest
from kurrentdbclient import KurrentDBClient, StreamState

from connect_four.application import ConnectFourApp, UnknownGameError
from connect_four.domain.board import Column, Token
from connect_four.domain.events import (
    GameFinished,
    GameStarted,
    MoveMade,
    PlayerResigned,
    WinClaimed,
)
from connect_four.domain.game import Game, Move
from connect_four.domain.result import GameResult
from connect_four.eventsourcing.errors import ConcurrencyError
from connect_four.persistence.eventstoredb import GameRepository, StreamClient
from tests.eventsourcing.stores.backends import kurrentdb_url
from tests.eventsourcing.stores.fake_kurrentdb import FakeKurrentDBClient
from tests.persistence.two_call_client import TwoCallClient


@pytest.fixture(params=["fake client", "two-call client", "server"])
def client(request: pytest.FixtureRequest) -> Iterator[StreamClient]:
    """Yield a client: a fake of the full API, the tutorial's shape, or a server."""
    if request.param == "fake client":
        yield FakeKurrentDBClient()
        return
    if request.param == "two-call client":
        yield TwoCallClient()
        return
    real = KurrentDBClient(kurrentdb_url())
    yield real
    real.close()


def stored(client: StreamClient, game_id: str) -> list[tuple[str, object]]:
    """Return a game stream's (type, decoded JSON data) pairs, read as the seed does."""
    return [
        (event.type, json.loads(event.data.decode("utf-8")))
        for event in client.get_stream(f"game-{game_id}")
    ]


def test_a_new_game_is_stored_as_the_seeds_game_started_event(
    client: StreamClient,
) -> None:
    app = ConnectFourApp(game_repository=GameRepository(client=client))

    game_id = app.create_game(player_one="ann", player_two="bob")

    assert stored(client, game_id) == [
        ("GameStarted", {"player_one": "ann", "player_two": "bob"})
    ]


def test_a_move_is_stored_as_the_seeds_move_made_event(client: StreamClient) -> None:
    app = ConnectFourApp(game_repository=GameRepository(client=client))
    game_id = app.create_game("ann", "bob")

    app.make_move(game_id, Move("ann", Column.A))

    assert stored(client, game_id)[1:] == [
        ("MoveMade", {"player": "ann", "column": "A"})
    ]


def test_the_data_bytes_are_what_the_seeds_json_dumps_writes(
    client: StreamClient,
) -> None:
    app = ConnectFourApp(game_repository=GameRepository(client=client))
    game_id = app.create_game("ann", "bob")

    (event,) = client.get_stream(f"game-{game_id}")

    data = {"player_one": "ann", "player_two": "bob"}
    assert event.data == json.dumps(data).encode("utf-8")


def test_a_game_the_seeds_code_wrote_loads_with_its_state(
    client: StreamClient,
) -> None:
    game_id = str(uuid.uuid4())
    seed_events = [
        ("GameStarted", {"player_one": "ann", "player_two": "bob"}),
        *[
            ("MoveMade", {"player": player, "column": column})
            for player, column in [("ann", "A"), ("bob", "G")] * 3
        ],
        ("MoveMade", {"player": "ann", "column": "A"}),
        ("GameFinished", {"result": "PLAYER_ONE_WON"}),
    ]
    client.append_to_stream(
        f"game-{game_id}",
        current_version=StreamState.ANY,
        events=[
            kurrentdbclient.NewEvent(type=t, data=json.dumps(d).encode("utf-8"))
            for t, d in seed_events
        ],
    )

    game = GameRepository(client=client).get(game_id)

    assert game.events[0] == GameStarted("ann", "bob")
    assert game.events[-1] == GameFinished(GameResult.PLAYER_ONE_WON)
    assert game.board[Column.A] == [Token.RED] * 4
    assert game.is_finished


def test_a_stored_game_loads_back_equal(client: StreamClient) -> None:
    repository = GameRepository(client=client)
    game = Game()
    game.start_game("ann", "bob")
    game.make_move(Move("ann", Column.D))
    repository.add(game)

    loaded = repository.get(game.id)

    assert loaded.events == [GameStarted("ann", "bob"), MoveMade("ann", Column.D)]
    assert loaded.next_player == "bob"


def test_a_game_our_app_resigned_loads_in_a_fresh_repository(
    client: StreamClient,
) -> None:
    app = ConnectFourApp(game_repository=GameRepository(client=client))
    game_id = app.create_game("ann", "bob")
    app.make_move(game_id, Move("ann", Column.D))
    app.resign(game_id, "ann")

    game = GameRepository(client=client).get(game_id)

    assert stored(client, game_id)[-2:] == [
        ("PlayerResigned", {"player": "ann"}),
        ("GameFinished", {"result": "PLAYER_TWO_WON"}),
    ]
    assert game.events[-2:] == [
        PlayerResigned("ann"),
        GameFinished(GameResult.PLAYER_TWO_WON),
    ]
    assert (game.forfeit, game.result) == (
        PlayerResigned("ann"),
        GameResult.PLAYER_TWO_WON,
    )
    assert game.board[Column.D] == [Token.RED]


def test_a_game_our_app_ended_by_a_claimed_win_loads_in_a_fresh_repository(
    client: StreamClient,
) -> None:
    app = ConnectFourApp(game_repository=GameRepository(client=client))
    game_id = app.create_game("ann", "bob")
    app.make_move(game_id, Move("ann", Column.D))
    limit = timedelta(minutes=5)
    app.claim_win(game_id, "ann", waited=limit, limit=limit)

    game = GameRepository(client=client).get(game_id)

    assert stored(client, game_id)[-2:] == [
        ("WinClaimed", {"player": "ann"}),
        ("GameFinished", {"result": "PLAYER_ONE_WON"}),
    ]
    assert (game.forfeit, game.result, game.next_player) == (
        WinClaimed("ann"),
        GameResult.PLAYER_ONE_WON,
        None,
    )


def test_an_unknown_game_raises_unknown_game_error(client: StreamClient) -> None:
    with pytest.raises(UnknownGameError):
        GameRepository(client=client).get(str(uuid.uuid4()))


def test_a_stale_game_is_refused_with_a_concurrency_error(
    client: StreamClient,
) -> None:
    repository = GameRepository(client=client)
    game = Game()
    game.start_game("ann", "bob")
    repository.add(game)
    first, second = repository.get(game.id), repository.get(game.id)
    first.make_move(Move("ann", Column.A))
    repository.add(first)
    second.make_move(Move("ann", Column.B))

    with pytest.raises(ConcurrencyError) as raised:
        repository.add(second)

    assert (raised.value.expected, raised.value.actual) == (0, 1)
    assert [e.type for e in client.get_stream(f"game-{game.id}")] == [
        "GameStarted",
        "MoveMade",
    ]


def test_it_uses_only_the_clients_ordinary_calls() -> None:
    client = FakeKurrentDBClient()
    app = ConnectFourApp.over(GameRepository(client=client))
    game_id = app.create_game("ann", "bob")
    client.calls.clear()

    app.make_move(game_id, Move("ann", Column.C))
    app.get_game(game_id)
    app.load_game(game_id)

    # The move is decided on the game the repository cached when it created
    # it, so it reads nothing; each query reads the stream.
    assert client.calls == ["append_to_stream", "get_stream", "get_stream"]


def test_a_repository_new_to_the_game_reads_it_before_it_moves() -> None:
    client = FakeKurrentDBClient()
    app = ConnectFourApp.over(GameRepository(client=client))
    game_id = app.create_game("ann", "bob")
    client.calls.clear()
    other_app = ConnectFourApp.over(GameRepository(client=client))

    other_app.make_move(game_id, Move("ann", Column.C))

    assert client.calls == ["get_stream", "append_to_stream"]
