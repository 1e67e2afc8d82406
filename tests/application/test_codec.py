"""The game codec: the tutorial's format, this project's, and MoveMade schema 1."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from connect_four.application.service import ConnectFourApp, GameState
from connect_four.domain.board import Column
from connect_four.domain.events import GameEvent, GameFinished, GameStarted, MoveMade
from connect_four.domain.result import GameResult
from connect_four.eventsourcing.errors import UnreadableEventError
from connect_four.eventsourcing.events import NewEvent, RecordedEvent
from connect_four.eventsourcing.store import EventStore, StreamState
from connect_four.eventsourcing.stores.memory.event_store import InMemoryEventStore
from connect_four.eventsourcing.stores.memory.projection_storage import (
    InMemoryProjectionStorage,
)
from connect_four.persistence.codec import GAME_STREAM_PREFIX, game_codec
from connect_four.persistence.game_repository import EventSourcedGameRepository
from connect_four.readmodels import ReadModels

FIXTURES = Path(__file__).parent.parent / "fixtures" / "events"
FORMATS = ("tutorial-format", "current-format", "move-made-schema-1")
GAME_ID = "0b0e5c9e-7f3a-4c55-9d7e-2f1a6c1d0a01"


def load_fixture(name: str, store: EventStore) -> None:
    """Append a fixture's events to their streams, byte for byte as written."""
    lines = (FIXTURES / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()
    for line in lines:
        entry = json.loads(line)
        metadata = "" if entry["metadata"] is None else json.dumps(entry["metadata"])
        data = json.dumps(entry["data"])
        event = NewEvent(entry["type"], data.encode(), metadata.encode())
        store.append(entry["stream"], [event], StreamState.ANY)


def state_after_loading(name: str) -> GameState:
    store = InMemoryEventStore()
    load_fixture(name, store)
    return ConnectFourApp.over(EventSourcedGameRepository(store)).get_game(GAME_ID)


@pytest.mark.parametrize("name", FORMATS)
def test_each_stored_format_loads_as_the_same_finished_game(name: str) -> None:
    state = state_after_loading(name)

    assert state == state_after_loading("tutorial-format")
    assert state.result is GameResult.PLAYER_TWO_WON
    assert state.is_finished
    assert sum(len(tokens) for tokens in state.board.values()) == 22


@pytest.mark.parametrize("name", FORMATS)
def test_each_stored_format_projects_to_the_same_game_list_and_leaderboard(
    name: str,
) -> None:
    store = InMemoryEventStore()
    load_fixture(name, store)
    read_models = ReadModels(store, InMemoryProjectionStorage())
    read_models.catch_up()

    [game] = read_models.games()
    assert (game.id, game.moves, game.winner) == (GAME_ID, 22, "bob")
    assert [(s.player, s.wins, s.losses) for s in read_models.leaderboard()] == [
        ("bob", 1, 0),
        ("ann", 0, 1),
    ]


def test_the_project_writes_moves_exactly_as_the_tutorial_does() -> None:
    codec = game_codec()

    assert codec.encode(MoveMade("ann", Column.D)) == (
        "MoveMade",
        b'{"player": "ann", "column": "D"}',
    )
    assert codec.schema_metadata("MoveMade") == {}


def recorded_move(data: bytes, metadata: bytes) -> RecordedEvent:
    return RecordedEvent(
        "id",
        "game-1",
        3,
        4,
        "MoveMade",
        data,
        metadata,
        datetime(2025, 1, 1, tzinfo=UTC),
    )


@pytest.mark.parametrize(
    ("number", "letter"), [(1, Column.A), (4, Column.D), (7, Column.G)]
)
def test_a_schema_1_move_is_lifted_from_its_column_number(
    number: int, letter: Column
) -> None:
    data = json.dumps({"player": "ann", "column": number}).encode()

    event = game_codec().decode(recorded_move(data, b'{"schema_version": 1}'))

    assert event == MoveMade("ann", letter)


@pytest.mark.parametrize("column", [0, 8, "4", 2.0, None])
def test_a_schema_1_move_with_an_impossible_column_is_unreadable(
    column: object,
) -> None:
    data = json.dumps({"player": "ann", "column": column}).encode()

    with pytest.raises(UnreadableEventError, match="from 1 to 7") as raised:
        game_codec().decode(recorded_move(data, b'{"schema_version": 1}'))

    assert (raised.value.stream, raised.value.position) == ("game-1", 3)


def test_a_column_number_without_its_schema_label_is_unreadable() -> None:
    data = b'{"player": "ann", "column": 4}'

    with pytest.raises(UnreadableEventError, match="not a valid Column"):
        game_codec().decode(recorded_move(data, b"{}"))


names = st.text(min_size=1, max_size=12)
game_events = st.one_of(
    st.builds(GameStarted, names, names),
    st.builds(MoveMade, names, st.sampled_from(Column)),
    st.builds(GameFinished, st.sampled_from(GameResult)),
)


@given(game_events)
def test_encoding_then_decoding_gives_the_event_back(event: GameEvent) -> None:
    codec = game_codec()
    type_name, data = codec.encode(event)
    record = RecordedEvent(
        "id", GAME_STREAM_PREFIX + "x", 0, 1, type_name, data, b"{}", datetime.now(UTC)
    )

    assert codec.decode(record) == event
