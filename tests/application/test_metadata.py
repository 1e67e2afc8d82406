"""Every stored event says where it came from: its game, its command and the time."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime

import pytest

from connect_four.application import ConnectFourApp
from connect_four.domain.board import Column
from connect_four.domain.game import Game, Move
from connect_four.eventsourcing.stores.memory.event_store import InMemoryEventStore
from connect_four.persistence.game_repository import EventSourcedGameRepository

NOON = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def store() -> InMemoryEventStore:
    return InMemoryEventStore()


@pytest.fixture
def app(store: InMemoryEventStore) -> ConnectFourApp:
    return ConnectFourApp.over(EventSourcedGameRepository(store), clock=lambda: NOON)


def metadata(store: InMemoryEventStore, game_id: str) -> list[dict[str, object]]:
    return [json.loads(e.metadata) for e in store.read_stream(f"game-{game_id}")]


def test_a_new_game_records_its_game_command_and_time(
    app: ConnectFourApp, store: InMemoryEventStore
) -> None:
    game_id = app.create_game("ann", "bob")

    [started] = metadata(store, game_id)

    assert started["correlation_id"] == game_id
    assert started["command"] == "create_game"
    assert started["occurred_at"] == "2025-06-01T12:00:00+00:00"
    assert isinstance(started["causation_id"], str)


def test_the_events_of_one_command_share_its_causation_id(
    app: ConnectFourApp, store: InMemoryEventStore
) -> None:
    game_id = app.create_game("ann", "bob")
    for column in "ABABABA":
        player = app.get_game(game_id).next_player
        assert player is not None
        app.make_move(game_id, Move(player, Column(column)))

    recorded = metadata(store, game_id)
    causes = [entry["causation_id"] for entry in recorded]

    assert len(recorded) == 9
    assert causes[-1] == causes[-2]
    assert len(set(causes)) == 8
    assert {entry["correlation_id"] for entry in recorded} == {game_id}
    assert [entry["command"] for entry in recorded[1:]] == ["make_move"] * 8


def test_a_caller_adds_its_own_entries_but_cannot_override_the_core_ones(
    app: ConnectFourApp, store: InMemoryEventStore
) -> None:
    game_id = app.create_game("ann", "bob")

    app.make_move(
        game_id,
        Move("ann", Column.D),
        metadata={"engine": "negamax", "depth": 8, "correlation_id": "forged"},
    )

    moved = metadata(store, game_id)[1]
    assert (moved["engine"], moved["depth"]) == ("negamax", 8)
    assert moved["correlation_id"] == game_id


def test_the_stored_data_stays_exactly_the_tutorials(
    app: ConnectFourApp, store: InMemoryEventStore
) -> None:
    game_id = app.create_game("ann", "bob")
    app.make_move(game_id, Move("ann", Column.D), metadata={"note": "x"})

    assert [json.loads(e.data) for e in store.read_stream(f"game-{game_id}")] == [
        {"player_one": "ann", "player_two": "bob"},
        {"player": "ann", "column": "D"},
    ]


class SeedRepository:
    """A repository written to the seed's port: `add(game)` and nothing more."""

    def __init__(self) -> None:
        self.games: dict[str, Game] = {}

    def add(self, game: Game) -> None:
        game.mark_committed()
        self.games[game.id] = game

    def get(self, game_id: str) -> Game:
        return self.games[game_id]


def test_a_repository_without_metadata_still_works_through_the_seeds_port() -> None:
    repository = SeedRepository()
    app = ConnectFourApp(game_repository=repository)

    game_id = app.create_game("ann", "bob")
    app.make_move(game_id, Move("ann", Column.A), metadata={"ignored": True})

    assert app.get_game(game_id).next_player == "bob"


class MetadataRepository(SeedRepository):
    """A repository with the app's full interface: metadata and command loads."""

    def __init__(self) -> None:
        super().__init__()
        self.metadata: list[Mapping[str, object] | None] = []
        self.loads: list[str] = []

    def get(self, game_id: str) -> Game:
        self.loads.append("get")
        return super().get(game_id)

    def get_for_command(self, game_id: str) -> Game:
        self.loads.append("get_for_command")
        return super().get(game_id)

    def add(self, game: Game, metadata: Mapping[str, object] | None = None) -> None:
        self.metadata.append(metadata)
        super().add(game)


def test_a_repository_handed_over_whole_is_given_the_metadata() -> None:
    repository = MetadataRepository()
    app = ConnectFourApp.over(repository, clock=lambda: NOON)

    game_id = app.create_game("ann", "bob")

    [given] = repository.metadata
    assert given is not None
    assert given["correlation_id"] == game_id


def test_a_repository_handed_over_whole_loads_a_commands_game_its_own_way() -> None:
    repository = MetadataRepository()
    app = ConnectFourApp.over(repository)
    game_id = app.create_game("ann", "bob")

    app.make_move(game_id, Move("ann", Column.A))

    assert repository.loads == ["get_for_command"]


def test_a_repository_given_as_the_seeds_port_is_used_only_through_it() -> None:
    # Given a repository that could take metadata, passed as the seed passes it,
    repository = MetadataRepository()
    app = ConnectFourApp(game_repository=repository)

    # when a game is created and moved in,
    game_id = app.create_game("ann", "bob")
    app.make_move(game_id, Move("ann", Column.A))

    # then the app calls only the seed's add(game) and get(game_id).
    assert repository.metadata == [None, None]
    assert repository.loads == ["get"]
