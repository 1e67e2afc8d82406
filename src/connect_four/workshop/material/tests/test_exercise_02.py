"""Exercise 2: play the game. Moves, turn order, full columns, a win or a draw."""

from __future__ import annotations

import pytest
from givens import given, moves, started, when
from mygame.events import GameFinished, GameStarted, MoveMade
from mygame.game import Game, Move

from connect_four.domain.board import Column, Token
from connect_four.domain.exceptions import (
    ColumnFullError,
    GameNotStartedError,
    GameOverError,
    NotAPlayerError,
    NotYourTurnError,
)
from connect_four.domain.result import GameResult


def test_a_move_records_move_made() -> None:
    game = started()
    assert when(game, lambda g: g.make_move(Move("ann", Column.D))) == [
        MoveMade("ann", Column.D)
    ]


def test_a_move_drops_the_players_token_and_passes_the_turn() -> None:
    game = started("D")
    assert game.board[Column.D] == [Token.RED]
    assert game.next_player == "bob"


def test_tokens_stack_from_the_bottom() -> None:
    game = started("D", "D", "D")
    assert game.board[Column.D] == [Token.RED, Token.YELLOW, Token.RED]


def test_a_game_must_start_before_anyone_moves() -> None:
    game = Game()
    with pytest.raises(GameNotStartedError):
        game.make_move(Move("ann", Column.A))
    assert game.uncommitted_events == []


def test_a_move_out_of_turn_is_refused_and_records_nothing() -> None:
    game = started("A")
    with pytest.raises(NotYourTurnError):
        game.make_move(Move("ann", Column.B))
    assert game.uncommitted_events == []


def test_only_the_two_players_may_move() -> None:
    game = started()
    with pytest.raises(NotAPlayerError):
        game.make_move(Move("cat", Column.B))
    assert game.uncommitted_events == []


def test_a_full_column_takes_no_more_tokens() -> None:
    game = started(*"AAAAAA")
    with pytest.raises(ColumnFullError):
        game.make_move(Move("ann", Column.A))
    assert game.uncommitted_events == []


def test_four_in_a_row_records_the_move_and_the_win() -> None:
    game = started(*"AGBGCG")
    assert when(game, lambda g: g.make_move(Move("ann", Column.D))) == [
        MoveMade("ann", Column.D),
        GameFinished(GameResult.PLAYER_ONE_WON),
    ]
    assert game.is_finished
    assert game.result is GameResult.PLAYER_ONE_WON


def test_four_in_a_column_wins_for_player_two() -> None:
    game = started(*"AGBGCGA")
    assert when(game, lambda g: g.make_move(Move("bob", Column.G)))[-1] == (
        GameFinished(GameResult.PLAYER_TWO_WON)
    )


def test_four_on_a_diagonal_wins() -> None:
    game = started(*"ABBCCDCDDG")
    assert when(game, lambda g: g.make_move(Move("ann", Column.D)))[-1] == (
        GameFinished(GameResult.PLAYER_ONE_WON)
    )


def test_a_full_board_without_four_is_a_draw() -> None:
    drawn = "ABABABBABABACDCDCDDCDCDCEFEFEFFEFEFEGGGGGG"
    game = started(*drawn[:-1])
    assert when(game, lambda g: g.make_move(Move("bob", Column.G))) == [
        MoveMade("bob", Column.G),
        GameFinished(GameResult.TIED),
    ]


def test_nobody_moves_after_the_end() -> None:
    game = given(
        GameStarted("ann", "bob"),
        *moves(*"AGBGCGD"),
        GameFinished(GameResult.PLAYER_ONE_WON),
    )
    with pytest.raises(GameOverError):
        game.make_move(Move("bob", Column.E))
    assert game.next_player is None


def test_the_board_is_a_copy_the_caller_cannot_change_the_game_through() -> None:
    game = started("A")
    game.board[Column.A].append(Token.YELLOW)
    assert game.board[Column.A] == [Token.RED]
