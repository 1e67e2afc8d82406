"""One specification, two games: our core and the `eventsourcing` package.

Each test is given a game played so far, runs one command and checks what was
stored, in the seed's format (and in our core's for a game ended off the board:
a resignation or a claimed win). Every test runs on both apps, on memory and on
SQLite: the library version is the same game only if all of them pass, and if
each app reads the games the other stored.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from connect_four.application import UnknownGameError
from connect_four.domain.board import Column, Token
from connect_four.domain.exceptions import (
    ClaimOnOwnTurnError,
    ClaimTooEarlyError,
    ColumnFullError,
    GameOverError,
    InvalidPlayerNameError,
    NotAPlayerError,
    NotYourTurnError,
    SamePlayerError,
    UnknownColumnError,
)
from connect_four.domain.game import Move
from connect_four.domain.result import GameResult
from tests.library.subjects import KINDS, STORES, Subject, subject

LIMIT = timedelta(minutes=5)
"""How long a player may keep the other waiting on their turn, in these tests."""


@pytest.fixture(params=[(k, s) for k in KINDS for s in STORES], ids="-".join)
def game(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Subject]:
    kind, store = request.param
    played = subject(kind, store, tmp_path)
    yield played
    played.close()


@pytest.fixture
def other(game: Subject, tmp_path: Path) -> Iterator[Subject]:
    """The other app, on a store of the same kind but of its own."""
    folder = tmp_path / "other"
    folder.mkdir()
    kind = "ours" if game.kind == "library" else "library"
    reader = subject(kind, game.store, folder)
    yield reader
    reader.close()


def moved(player: str, column: str) -> tuple[str, dict[str, str]]:
    return ("MoveMade", {"player": player, "column": column})


def finished(result: GameResult) -> tuple[str, dict[str, str]]:
    return ("GameFinished", {"result": result.value})


def test_starting_a_game_stores_the_players(game: Subject) -> None:
    game_id = game.app.create_game("ann", "bob")
    assert game.read(game_id) == [
        ("GameStarted", {"player_one": "ann", "player_two": "bob"})
    ]


def test_player_one_moves_first(game: Subject) -> None:
    game_id = game.play()
    game.app.make_move(game_id, Move("ann", Column.D))
    assert game.read(game_id)[1:] == [moved("ann", "D")]
    assert game.app.get_game(game_id).next_player == "bob"


def test_the_same_name_twice_is_refused(game: Subject) -> None:
    with pytest.raises(SamePlayerError):
        game.app.create_game("ann", "ann")


def test_an_empty_name_is_refused(game: Subject) -> None:
    with pytest.raises(InvalidPlayerNameError):
        game.app.create_game("", "bob")


def test_a_move_out_of_turn_is_refused_and_stores_nothing(game: Subject) -> None:
    game_id = game.play("A")
    with pytest.raises(NotYourTurnError):
        game.app.make_move(game_id, Move("ann", Column.B))
    assert game.read(game_id)[1:] == [moved("ann", "A")]


def test_a_stranger_cannot_move(game: Subject) -> None:
    game_id = game.play()
    with pytest.raises(NotAPlayerError):
        game.app.make_move(game_id, Move("cat", Column.B))


def test_an_unknown_column_is_refused(game: Subject) -> None:
    game_id = game.play()
    with pytest.raises(UnknownColumnError):
        game.app.make_move(game_id, Move("ann", "H"))  # type: ignore[arg-type]  # bad input on purpose


def test_a_full_column_is_refused_and_stores_nothing(game: Subject) -> None:
    game_id = game.play(*"AAAAAA")
    with pytest.raises(ColumnFullError):
        game.app.make_move(game_id, Move("ann", Column.A))
    assert len(game.read(game_id)) == 7


def test_four_in_a_row_stores_the_move_and_the_win_together(game: Subject) -> None:
    game_id = game.play(*"AGBGCG")
    game.app.make_move(game_id, Move("ann", Column.D))
    assert game.read(game_id)[-2:] == [
        moved("ann", "D"),
        finished(GameResult.PLAYER_ONE_WON),
    ]
    state = game.app.get_game(game_id)
    assert (state.is_finished, state.next_player) == (True, None)


def test_four_in_a_column_wins_for_player_two(game: Subject) -> None:
    game_id = game.play(*"AGBGCGA")
    game.app.make_move(game_id, Move("bob", Column.G))
    assert game.read(game_id)[-1] == finished(GameResult.PLAYER_TWO_WON)


def test_a_diagonal_wins(game: Subject) -> None:
    game_id = game.play(*"ABBCCDCDDG")
    game.app.make_move(game_id, Move("ann", Column.D))
    assert game.read(game_id)[-1] == finished(GameResult.PLAYER_ONE_WON)


def test_a_full_board_without_four_is_a_draw(game: Subject) -> None:
    # Columns filled in pairs so that no four line up (a known drawn game).
    drawn = "ABABABBABABACDCDCDDCDCDCEFEFEFFEFEFEGGGGGG"
    game_id = game.play(*drawn[:-1])
    game.app.make_move(game_id, Move("bob", Column.G))
    assert game.read(game_id)[-1] == finished(GameResult.TIED)


def test_no_move_after_the_end(game: Subject) -> None:
    game_id = game.play(*"AGBGCGD")
    with pytest.raises(GameOverError):
        game.app.make_move(game_id, Move("bob", Column.E))


def test_the_state_is_rebuilt_from_the_stored_events(game: Subject) -> None:
    game_id = game.play(*"DDE")
    state = game.app.get_game(game_id)
    assert state.board[Column.D] == [Token.RED, Token.YELLOW]
    assert state.board[Column.E] == [Token.RED]
    assert (state.player_one, state.player_two, state.result) == ("ann", "bob", None)


def test_an_unknown_game_is_named(game: Subject) -> None:
    with pytest.raises(UnknownGameError):
        game.app.get_game(str(uuid.uuid4()))


def test_the_data_is_the_bytes_the_seeds_json_dumps_writes(game: Subject) -> None:
    game_id = game.play("C")
    assert [json.dumps(data) for _, data in game.read(game_id)] == [
        '{"player_one": "ann", "player_two": "bob"}',
        '{"player": "ann", "column": "C"}',
    ]


def resigned(player: str) -> tuple[str, dict[str, str]]:
    return ("PlayerResigned", {"player": player})


def claimed(player: str) -> tuple[str, dict[str, str]]:
    return ("WinClaimed", {"player": player})


def test_a_resignation_stores_the_other_players_win_with_it(game: Subject) -> None:
    game_id = game.play("A")  # bob to move: a player may resign on any turn
    game.app.resign(game_id, "ann")
    assert game.read(game_id)[-2:] == [
        resigned("ann"),
        finished(GameResult.PLAYER_TWO_WON),
    ]
    state = game.app.get_game(game_id)
    assert (state.is_finished, state.next_player, state.result) == (
        True,
        None,
        GameResult.PLAYER_TWO_WON,
    )


def test_player_two_resigning_gives_player_one_the_win(game: Subject) -> None:
    game_id = game.play()
    game.app.resign(game_id, "bob")
    assert game.read(game_id)[-2:] == [
        resigned("bob"),
        finished(GameResult.PLAYER_ONE_WON),
    ]


def test_a_finished_game_cannot_be_resigned_and_stores_nothing(game: Subject) -> None:
    game_id = game.play(*"AGBGCGD")
    with pytest.raises(GameOverError):
        game.app.resign(game_id, "bob")
    assert len(game.read(game_id)) == 9


def test_a_resigned_game_cannot_be_resigned_again(game: Subject) -> None:
    game_id = game.play()
    game.app.resign(game_id, "bob")
    with pytest.raises(GameOverError):
        game.app.resign(game_id, "ann")
    assert len(game.read(game_id)) == 3


def test_a_stranger_cannot_resign(game: Subject) -> None:
    game_id = game.play("A")
    with pytest.raises(NotAPlayerError):
        game.app.resign(game_id, "cat")
    assert len(game.read(game_id)) == 2


def test_no_move_follows_a_resignation(game: Subject) -> None:
    game_id = game.play("A")
    game.app.resign(game_id, "ann")
    with pytest.raises(GameOverError):
        game.app.make_move(game_id, Move("bob", Column.B))


def test_the_waiting_player_claims_the_win_after_the_limit(game: Subject) -> None:
    game_id = game.play("A")  # bob to move, and gone
    game.app.claim_win(game_id, "ann", waited=LIMIT, limit=LIMIT)
    assert game.read(game_id)[-2:] == [
        claimed("ann"),
        finished(GameResult.PLAYER_ONE_WON),
    ]
    assert game.app.get_game(game_id).next_player is None


def test_player_two_claims_the_win_from_a_gone_player_one(game: Subject) -> None:
    game_id = game.play("A", "B")  # ann to move, and gone
    game.app.claim_win(game_id, "bob", waited=LIMIT * 2, limit=LIMIT)
    assert game.read(game_id)[-1] == finished(GameResult.PLAYER_TWO_WON)


def test_a_claim_before_the_limit_is_refused_with_the_time_left(
    game: Subject,
) -> None:
    game_id = game.play("A")
    with pytest.raises(ClaimTooEarlyError) as refused:
        game.app.claim_win(game_id, "ann", waited=timedelta(minutes=4), limit=LIMIT)
    assert (refused.value.opponent, refused.value.remaining_seconds) == ("bob", 61)
    assert len(game.read(game_id)) == 2


def test_a_claim_on_ones_own_turn_is_refused(game: Subject) -> None:
    game_id = game.play("A")  # bob to move: he keeps nobody but ann waiting
    with pytest.raises(ClaimOnOwnTurnError):
        game.app.claim_win(game_id, "bob", waited=timedelta(hours=1), limit=LIMIT)
    assert len(game.read(game_id)) == 2


def test_a_stranger_cannot_claim_the_win(game: Subject) -> None:
    game_id = game.play("A")
    with pytest.raises(NotAPlayerError):
        game.app.claim_win(game_id, "cat", waited=LIMIT, limit=LIMIT)


def test_a_finished_game_cannot_be_claimed(game: Subject) -> None:
    game_id = game.play("A")
    game.app.resign(game_id, "bob")
    with pytest.raises(GameOverError):
        game.app.claim_win(game_id, "ann", waited=LIMIT, limit=LIMIT)


@pytest.mark.parametrize("ending", ["resigned", "claimed"])
def test_a_game_ended_off_the_board_loads_in_the_other_app(
    game: Subject, other: Subject, ending: str
) -> None:
    game_id = game.play(*"DDE")  # bob to move
    if ending == "resigned":
        game.app.resign(game_id, "ann")
    else:
        game.app.claim_win(game_id, "ann", waited=LIMIT, limit=LIMIT)
    other.write(game_id, game.read(game_id))
    assert other.app.get_game(game_id) == game.app.get_game(game_id)
    with pytest.raises(GameOverError):
        other.app.make_move(game_id, Move("bob", Column.A))
