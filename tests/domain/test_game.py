"""The rules of Connect Four, specified by the events a command records."""

from __future__ import annotations

import pytest

from connect_four.domain.board import ROWS, Column, Token
from connect_four.domain.events import GameFinished, GameStarted, MoveMade
from connect_four.domain.exceptions import (
    ColumnFullError,
    ConnectFourError,
    GameAlreadyStartedError,
    GameNotStartedError,
    GameOverError,
    InvalidMoveError,
    InvalidPlayerNameError,
    NotAPlayerError,
    NotYourTurnError,
    SamePlayerError,
    UnknownColumnError,
)
from connect_four.domain.game import Game, Move
from connect_four.domain.result import GameResult
from tests.domain.givens import PLAYER_ONE, PLAYER_TWO, given, moves, started, when

# Starting


def test_starting_a_new_game_records_the_players() -> None:
    game = given()
    new_events = when(game, lambda g: g.start_game("ann", "bob"))
    assert new_events == [GameStarted("ann", "bob")]
    assert (game.player_one, game.player_two, game.next_player) == ("ann", "bob", "ann")
    assert game.has_started
    assert not game.is_finished


def test_a_game_gets_a_fresh_uuid_when_no_id_is_given() -> None:
    assert Game().id != Game().id
    assert len(Game().id) == 36


def test_a_game_cannot_be_started_twice() -> None:
    game = given(GameStarted("ann", "bob"))
    with pytest.raises(GameAlreadyStartedError):
        game.start_game("cat", "dan")
    assert game.uncommitted_events == []


@pytest.mark.parametrize(
    ("one", "two"),
    [
        ("", "bob"),
        ("ann", "   "),
        ("ann\x1b[31m", "bob"),
        (" ann", "bob"),
        ("a" * 41, "bob"),
    ],
)
def test_a_game_needs_usable_player_names(one: str, two: str) -> None:
    game = given()
    with pytest.raises(InvalidPlayerNameError):
        game.start_game(one, two)
    assert game.uncommitted_events == []


@pytest.mark.parametrize("two", ["ann", "ANN"])
def test_the_two_players_need_different_names(two: str) -> None:
    game = given()
    with pytest.raises(SamePlayerError):
        game.start_game("ann", two)
    assert game.uncommitted_events == []


def test_names_in_any_script_are_welcome() -> None:
    game = given()
    assert when(game, lambda g: g.start_game("Zoë", "李雷")) == [
        GameStarted("Zoë", "李雷")
    ]


# Moving


def test_player_one_moves_first() -> None:
    game = started()
    new_events = when(game, lambda g: g.make_move(Move(PLAYER_ONE, Column.D)))
    assert new_events == [MoveMade(PLAYER_ONE, Column.D)]
    assert game.next_player == PLAYER_TWO


def test_players_alternate() -> None:
    game = started("D")
    assert when(game, lambda g: g.make_move(Move(PLAYER_TWO, Column.D))) == [
        MoveMade(PLAYER_TWO, Column.D)
    ]
    assert game.next_player == PLAYER_ONE


def test_a_move_out_of_turn_is_refused() -> None:
    game = started("D")
    with pytest.raises(NotYourTurnError) as raised:
        game.make_move(Move(PLAYER_ONE, Column.C))
    assert raised.value.next_player == PLAYER_TWO
    assert game.uncommitted_events == []


def test_a_stranger_cannot_move() -> None:
    game = started()
    with pytest.raises(NotAPlayerError):
        game.make_move(Move("eve", Column.A))
    assert game.uncommitted_events == []


def test_a_move_needs_a_started_game() -> None:
    game = given()
    with pytest.raises(GameNotStartedError):
        game.make_move(Move(PLAYER_ONE, Column.A))
    assert game.uncommitted_events == []


def test_a_full_column_refuses_another_token() -> None:
    game = started(*["A"] * ROWS)
    with pytest.raises(ColumnFullError) as raised:
        game.make_move(Move(PLAYER_ONE, Column.A))
    assert raised.value.column == "A"
    assert game.uncommitted_events == []


def test_a_column_given_as_a_letter_is_accepted() -> None:
    game = started()
    move = Move(PLAYER_ONE, "C")  # type: ignore[arg-type]  # a caller's plain string
    assert when(game, lambda g: g.make_move(move)) == [MoveMade(PLAYER_ONE, Column.C)]


def test_an_unknown_column_is_refused() -> None:
    game = started()
    with pytest.raises(UnknownColumnError):
        game.make_move(Move(PLAYER_ONE, "H"))  # type: ignore[arg-type]  # bad input
    assert game.uncommitted_events == []


def test_rule_errors_are_the_seeds_errors() -> None:
    for error in (ColumnFullError, NotYourTurnError, GameOverError, UnknownColumnError):
        assert issubclass(error, InvalidMoveError)
    assert issubclass(InvalidMoveError, ConnectFourError)


# Finishing


def test_four_in_a_row_finishes_the_game() -> None:
    game = started("A", "G", "B", "G", "C", "G")
    new_events = when(game, lambda g: g.make_move(Move(PLAYER_ONE, Column.D)))
    assert new_events == [
        MoveMade(PLAYER_ONE, Column.D),
        GameFinished(GameResult.PLAYER_ONE_WON),
    ]
    assert game.is_finished
    assert game.next_player is None


def test_four_in_a_column_finishes_the_game_for_player_two() -> None:
    game = started("A", "G", "B", "G", "C", "G", "A")
    new_events = when(game, lambda g: g.make_move(Move(PLAYER_TWO, Column.G)))
    assert new_events[-1] == GameFinished(GameResult.PLAYER_TWO_WON)


def test_a_rising_diagonal_finishes_the_game() -> None:
    #   ann builds A1 B2 C3 D4; bob fills below.
    game = started("A", "B", "B", "C", "C", "D", "C", "D", "D", "G")
    new_events = when(game, lambda g: g.make_move(Move(PLAYER_ONE, Column.D)))
    assert new_events[-1] == GameFinished(GameResult.PLAYER_ONE_WON)


def test_a_falling_diagonal_finishes_the_game() -> None:
    #   ann builds G1 F2 E3 D4, the mirror image of the rising one.
    game = started("G", "F", "F", "E", "E", "D", "E", "D", "D", "A")
    new_events = when(game, lambda g: g.make_move(Move(PLAYER_ONE, Column.D)))
    assert new_events[-1] == GameFinished(GameResult.PLAYER_ONE_WON)


def test_three_in_a_row_wrapping_across_columns_is_not_a_win() -> None:
    # A column's top cell and the next column's bottom cells are not a line.
    game = started("A", "A", "A", "A", "A", "B", "A", "C", "B", "G", "B", "G")
    assert not game.is_finished


def test_a_full_board_without_a_line_is_a_tie() -> None:
    # Columns filled in pairs so that no four line up: a known drawn filling.
    columns = "ABABABBABABACDCDCDDCDCDCEFEFEFFEFEFEGGGGGG"
    game = started(*columns[:-1])
    assert not game.is_finished
    new_events = when(game, lambda g: g.make_move(Move(PLAYER_TWO, Column.G)))
    assert new_events == [MoveMade(PLAYER_TWO, Column.G), GameFinished(GameResult.TIED)]


def test_no_move_is_possible_after_the_game_is_over() -> None:
    game = given(
        GameStarted(PLAYER_ONE, PLAYER_TWO),
        *moves("A", "G", "B", "G", "C", "G", "D"),
        GameFinished(GameResult.PLAYER_ONE_WON),
    )
    with pytest.raises(GameOverError):
        game.make_move(Move(PLAYER_TWO, Column.G))
    assert game.uncommitted_events == []


# State from events


def test_the_board_shows_tokens_bottom_first() -> None:
    game = started("D", "D", "A")
    board = game.board
    assert board[Column.D] == [Token.RED, Token.YELLOW]
    assert board[Column.A] == [Token.RED]
    assert board[Column.G] == []


def test_the_board_is_a_copy() -> None:
    game = started("D")
    game.board[Column.D].append(Token.YELLOW)
    assert game.board[Column.D] == [Token.RED]


def test_events_lists_history_then_new_events() -> None:
    game = started("D")
    game.make_move(Move(PLAYER_TWO, Column.C))
    assert game.events == [
        GameStarted(PLAYER_ONE, PLAYER_TWO),
        MoveMade(PLAYER_ONE, Column.D),
        MoveMade(PLAYER_TWO, Column.C),
    ]
    assert game.uncommitted_events == [MoveMade(PLAYER_TWO, Column.C)]
    assert game.version == 1
