"""A game ended off the board: a resignation, or a win claimed from a gone opponent."""

from __future__ import annotations

from datetime import timedelta

import hypothesis
import pytest
from hypothesis import strategies as st

from connect_four.domain.board import Column
from connect_four.domain.events import (
    GameFinished,
    GameStarted,
    MoveMade,
    PlayerResigned,
    WinClaimed,
)
from connect_four.domain.exceptions import (
    ClaimOnOwnTurnError,
    ClaimTooEarlyError,
    GameNotStartedError,
    GameOverError,
    InvalidMoveError,
    NotAPlayerError,
)
from connect_four.domain.game import Game, Move
from connect_four.domain.result import GameResult
from connect_four.eventsourcing.errors import ImpossibleEventError
from tests.domain.givens import PLAYER_ONE, PLAYER_TWO, given, moves, started, when
from tests.domain.test_replay import played_games

LIMIT = timedelta(minutes=5)


def test_a_resignation_is_followed_by_the_other_players_win() -> None:
    game = started("A", "B")
    new_events = when(game, lambda g: g.resign(PLAYER_ONE))
    assert new_events == [
        PlayerResigned(PLAYER_ONE),
        GameFinished(GameResult.PLAYER_TWO_WON),
    ]
    assert game.is_finished
    assert game.forfeit == PlayerResigned(PLAYER_ONE)
    assert game.next_player is None


def test_a_player_may_resign_when_it_is_not_their_turn() -> None:
    game = started("A")
    new_events = when(game, lambda g: g.resign(PLAYER_ONE))
    assert new_events[-1] == GameFinished(GameResult.PLAYER_TWO_WON)


def test_player_two_resigning_gives_player_one_the_win() -> None:
    game = started()
    new_events = when(game, lambda g: g.resign(PLAYER_TWO))
    assert new_events[-1] == GameFinished(GameResult.PLAYER_ONE_WON)


def test_a_finished_game_cannot_be_resigned() -> None:
    game = started()
    game.resign(PLAYER_TWO)
    before = list(game.uncommitted_events)
    with pytest.raises(GameOverError):
        game.resign(PLAYER_ONE)
    assert game.uncommitted_events == before


def test_a_stranger_cannot_resign() -> None:
    game = started("A")
    with pytest.raises(NotAPlayerError):
        game.resign("cat")
    assert game.uncommitted_events == []


def test_a_game_not_started_cannot_be_resigned() -> None:
    with pytest.raises(GameNotStartedError):
        Game().resign(PLAYER_ONE)


def test_no_move_follows_a_resignation() -> None:
    game = started("A")
    game.resign(PLAYER_TWO)
    with pytest.raises(InvalidMoveError):
        game.make_move(Move(PLAYER_TWO, Column.B))


def test_the_waiting_player_claims_the_win_after_the_time_limit() -> None:
    game = started("A")  # bob to move
    new_events = when(game, lambda g: g.claim_win(PLAYER_ONE, LIMIT, LIMIT))
    assert new_events == [
        WinClaimed(PLAYER_ONE),
        GameFinished(GameResult.PLAYER_ONE_WON),
    ]


def test_a_claim_before_the_time_limit_is_refused_with_the_time_left() -> None:
    game = started("A")
    with pytest.raises(ClaimTooEarlyError) as refused:
        game.claim_win(PLAYER_ONE, timedelta(minutes=4), LIMIT)
    assert refused.value.remaining_seconds == 61
    assert game.uncommitted_events == []


def test_a_player_cannot_claim_the_win_on_their_own_turn() -> None:
    game = started("A")  # bob to move
    with pytest.raises(ClaimOnOwnTurnError):
        game.claim_win(PLAYER_TWO, timedelta(hours=1), LIMIT)
    assert game.uncommitted_events == []


def test_a_stranger_cannot_claim_the_win() -> None:
    with pytest.raises(NotAPlayerError):
        started("A").claim_win("cat", timedelta(hours=1), LIMIT)


def test_a_resigned_game_replays_to_the_same_end() -> None:
    game = given(
        GameStarted(PLAYER_ONE, PLAYER_TWO),
        *moves("A", "B"),
        PlayerResigned(PLAYER_TWO),
        GameFinished(GameResult.PLAYER_ONE_WON),
    )
    game.check_history()
    assert game.result is GameResult.PLAYER_ONE_WON
    assert game.forfeit == PlayerResigned(PLAYER_TWO)


def test_a_stored_resignation_with_the_wrong_result_is_impossible() -> None:
    with pytest.raises(ImpossibleEventError, match="cannot end in PLAYER_TWO_WON"):
        given(
            GameStarted(PLAYER_ONE, PLAYER_TWO),
            PlayerResigned(PLAYER_TWO),
            GameFinished(GameResult.PLAYER_TWO_WON),
        )


def test_a_stored_move_after_a_resignation_is_impossible() -> None:
    with pytest.raises(ImpossibleEventError):
        given(
            GameStarted(PLAYER_ONE, PLAYER_TWO),
            PlayerResigned(PLAYER_TWO),
            MoveMade(PLAYER_ONE, Column.A),
        )


def test_a_stored_claim_on_the_claimers_own_turn_is_impossible() -> None:
    with pytest.raises(ImpossibleEventError):
        given(GameStarted(PLAYER_ONE, PLAYER_TWO), WinClaimed(PLAYER_ONE))


def test_a_resignation_without_its_game_finished_is_found_by_the_history_check() -> (
    None
):
    with pytest.raises(ImpossibleEventError, match="not followed by GameFinished") as e:
        given(GameStarted(PLAYER_ONE, PLAYER_TWO), PlayerResigned(PLAYER_ONE))
    assert e.value.position == 1


def test_a_second_game_finished_after_a_resignation_is_impossible() -> None:
    with pytest.raises(ImpossibleEventError):
        given(
            GameStarted(PLAYER_ONE, PLAYER_TWO),
            PlayerResigned(PLAYER_ONE),
            GameFinished(GameResult.PLAYER_TWO_WON),
            GameFinished(GameResult.PLAYER_TWO_WON),
        )


@hypothesis.settings(max_examples=100)
@hypothesis.given(played_games(), st.sampled_from([PLAYER_ONE, PLAYER_TWO]))
def test_a_resigned_game_replays_to_the_same_state(game: Game, resigner: str) -> None:
    if not game.is_finished:
        game.resign(resigner)
    replayed = Game(id=game.id)
    replayed.load_from_history(game.events)

    assert replayed.board == game.board
    assert replayed.result == game.result
    assert replayed.forfeit == game.forfeit
    assert replayed.next_player is None
