"""Exercise 8: the same game on the `eventsourcing` package.

The same behaviour as your own core, on memory and on SQLite, stored in the
seed's format.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from mygame.library import LibraryApp, open_app, stored_events

from connect_four.application import UnknownGameError
from connect_four.domain.board import Column, Token
from connect_four.domain.exceptions import (
    ColumnFullError,
    GameOverError,
    NotYourTurnError,
    SamePlayerError,
)
from connect_four.domain.game import Move


@pytest.fixture(params=["memory", "sqlite"])
def app(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[LibraryApp]:
    url = "memory:" if request.param == "memory" else f"sqlite:///{tmp_path}/lib.db"
    opened = open_app(url)
    yield opened
    opened.close()


def play(app: LibraryApp, columns: str) -> str:
    game_id = app.create_game("ann", "bob")
    for turn, column in enumerate(columns):
        app.make_move(game_id, Move(("ann", "bob")[turn % 2], Column(column)))
    return game_id


def stored(app: LibraryApp, game_id: str) -> list[tuple[str, object]]:
    return [(e.topic, json.loads(e.state)) for e in stored_events(app, game_id)]


def test_a_new_game_is_stored_as_the_seeds_game_started(app: LibraryApp) -> None:
    game_id = app.create_game("ann", "bob")
    assert stored(app, game_id) == [
        ("GameStarted", {"player_one": "ann", "player_two": "bob"})
    ]


def test_versions_count_from_zero_as_stream_positions_do(app: LibraryApp) -> None:
    game_id = play(app, "AB")
    assert [e.originator_version for e in stored_events(app, game_id)] == [0, 1, 2]


def test_a_move_is_stored_as_the_seeds_move_made(app: LibraryApp) -> None:
    game_id = play(app, "C")
    assert stored(app, game_id)[1:] == [("MoveMade", {"player": "ann", "column": "C"})]


def test_the_state_is_rebuilt_from_the_stored_events(app: LibraryApp) -> None:
    game_id = play(app, "DDE")
    state = app.get_game(game_id)
    assert state.board[Column.D] == [Token.RED, Token.YELLOW]
    assert (state.next_player, state.is_finished) == ("bob", False)


def test_the_same_rules_refuse_the_same_moves(app: LibraryApp) -> None:
    game_id = play(app, "AAAAAA")
    with pytest.raises(ColumnFullError):
        app.make_move(game_id, Move("ann", Column.A))
    with pytest.raises(NotYourTurnError):
        app.make_move(game_id, Move("bob", Column.B))
    with pytest.raises(SamePlayerError):
        app.create_game("ann", "ann")
    assert len(stored(app, game_id)) == 7


def test_four_in_a_row_stores_the_move_and_the_win(app: LibraryApp) -> None:
    game_id = play(app, "AGBGCGD")
    assert stored(app, game_id)[-1] == ("GameFinished", {"result": "PLAYER_ONE_WON"})
    with pytest.raises(GameOverError):
        app.make_move(game_id, Move("bob", Column.E))


def test_an_unknown_game_raises_unknown_game_error(app: LibraryApp) -> None:
    with pytest.raises(UnknownGameError):
        app.get_game(str(uuid.uuid4()))
