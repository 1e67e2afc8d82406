"""A store holding a damaged, unknown or impossible event: refused, named, no traceback.

Each case damages a game's stream in a SQLite file the way a bad disk, a
hand edit or a newer program could: a row whose data is not JSON, data with
the wrong keys, an event type this program does not know, and events the
rules of the game forbid. The loader must refuse the game with the stream
and the position; the CLI must say so in one line; the web must answer with
an error, not a traceback, and log where the damage is.
"""

from __future__ import annotations

import logging
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from connect_four.application import ConnectFourApp
from connect_four.domain.board import Column
from connect_four.domain.game import Move
from connect_four.eventsourcing.errors import UnreadableEventError
from connect_four.eventsourcing.events import NewEvent
from connect_four.eventsourcing.stores.sqlite.event_store import SQLiteEventStore
from connect_four.persistence.game_repository import EventSourcedGameRepository
from connect_four.web import create_app
from tests.web.games import memory_read_models


@dataclass(frozen=True)
class Damaged:
    """A game whose stream was damaged at one position."""

    database: Path
    game_id: str
    position: int

    @property
    def stream(self) -> str:
        """Return the damaged stream's name."""
        return f"game-{self.game_id}"


def rewrite_data(data: bytes) -> Callable[[SQLiteEventStore, Path, str], int]:
    """Return a damage that overwrites the data of the game's event 2 in place."""

    def damage(store: SQLiteEventStore, database: Path, game_id: str) -> int:
        with sqlite3.connect(database) as connection:
            connection.execute(
                "UPDATE events SET data = ? WHERE stream = ? AND stream_position = 2",
                (data, f"game-{game_id}"),
            )
        return 2

    return damage


def append_raw(kind: str, data: bytes) -> Callable[[SQLiteEventStore, Path, str], int]:
    """Return a damage that appends an event straight to the store, unchecked."""

    def damage(store: SQLiteEventStore, database: Path, game_id: str) -> int:
        result = store.append(f"game-{game_id}", [NewEvent(kind, data)], 2)
        return result.stream_position

    return damage


UNDECODABLE = {
    "data that is not UTF-8 JSON": rewrite_data(b"\xff\xfe{not json"),
    "data without the event's keys": rewrite_data(b'{"player": "bob"}'),
    "a column that does not exist": rewrite_data(b'{"player":"bob","column":"Q"}'),
    "an event type from a newer program": append_raw("GameAbandoned", b"{}"),
}
"""Damage that no reader can decode, the read models included."""
AGAINST_THE_RULES = {
    "a move out of turn": append_raw("MoveMade", b'{"player":"bob","column":"C"}'),
    "a finish in the middle of a game": append_raw(
        "GameFinished", b'{"result":"TIED"}'
    ),
    "a second start": append_raw(
        "GameStarted", b'{"player_one":"cy","player_two":"dee"}'
    ),
}
"""Damage that decodes, but that only replaying the game's rules can catch."""
DAMAGES = {**UNDECODABLE, **AGAINST_THE_RULES}


@pytest.fixture(params=sorted(DAMAGES))
def damaged(request: pytest.FixtureRequest, tmp_path: Path) -> Damaged:
    """Return a SQLite file with a game of two moves, damaged one way."""
    return damage_game(tmp_path, request.param)


def damage_game(tmp_path: Path, damage: str) -> Damaged:
    """Store a game of two moves in a SQLite file, then damage it."""
    database = tmp_path / "games.db"
    store = SQLiteEventStore(database)
    app = ConnectFourApp.over(EventSourcedGameRepository(store))
    game_id = app.create_game("ann", "bob")
    for player, column in (("ann", Column.A), ("bob", Column.B)):
        app.make_move(game_id, Move(player, column))
    position = DAMAGES[damage](store, database, game_id)
    store.close()
    return Damaged(database, game_id, position)


def test_the_loader_refuses_the_game_naming_stream_and_position(
    damaged: Damaged,
) -> None:
    store = SQLiteEventStore(damaged.database)
    app = ConnectFourApp.over(EventSourcedGameRepository(store))

    with pytest.raises(UnreadableEventError) as caught:
        app.get_game(damaged.game_id)

    assert (caught.value.stream, caught.value.position) == (
        damaged.stream,
        damaged.position,
    )
    store.close()


def run_cli(damaged: Damaged, *argv: str) -> subprocess.CompletedProcess[str]:
    """Run the CLI on the damaged file, with nothing typed."""
    store = f"sqlite:///{damaged.database}"
    return subprocess.run(
        [sys.executable, "-m", "connect_four.cli", "--store", store, *argv],
        input="",
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


def assert_one_line_naming(
    done: subprocess.CompletedProcess[str], damaged: Damaged
) -> None:
    """Check the CLI failed with one line naming the stream and the position."""
    assert done.returncode == 1
    assert "Traceback" not in done.stdout + done.stderr
    last_line = done.stderr.strip().splitlines()[-1]
    assert last_line.startswith("connect-four: ")
    assert f"position {damaged.position} of stream '{damaged.stream}'" in last_line


@pytest.mark.parametrize("command", ["play --resume", "show"])
def test_the_cli_names_the_damage_in_one_line_without_a_traceback(
    damaged: Damaged, command: str
) -> None:
    done = run_cli(damaged, *command.split(), damaged.game_id)

    assert_one_line_naming(done, damaged)


@pytest.mark.parametrize("damage", sorted(UNDECODABLE))
def test_the_game_list_stops_at_an_undecodable_event_and_names_it(
    tmp_path: Path, damage: str
) -> None:
    damaged = damage_game(tmp_path, damage)

    done = run_cli(damaged, "games")

    assert_one_line_naming(done, damaged)
    assert "checkpoint stays at global position" in done.stderr


@pytest.mark.parametrize("path", ["", "/events", "/live"])
def test_the_web_answers_an_error_naming_the_damage_without_a_traceback(
    damaged: Damaged, path: str, caplog: pytest.LogCaptureFixture
) -> None:
    store = SQLiteEventStore(damaged.database)
    app = ConnectFourApp.over(EventSourcedGameRepository(store))

    with (
        caplog.at_level(logging.ERROR),
        TestClient(
            create_app(app, store, memory_read_models(store)),
            raise_server_exceptions=False,
        ) as client,
    ):
        answer = client.get(f"/api/games/{damaged.game_id}{path}")

    store.close()
    named = f"position {damaged.position} of stream '{damaged.stream}'"
    assert answer.status_code == 500
    assert answer.headers["content-type"].startswith("application/json")
    assert answer.json()["error"] == "unreadable_event"
    assert named in answer.json()["message"]
    assert "Traceback" not in answer.text
    assert named in caplog.text
    assert "Traceback" not in caplog.text
