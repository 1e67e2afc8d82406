"""Replaying a game's events rebuilds exactly the state that recorded them."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from connect_four.domain.board import Column
from connect_four.domain.events import GameEvent, GameFinished, GameStarted
from connect_four.domain.game import Game, Move
from connect_four.domain.result import GameResult
from connect_four.eventsourcing.errors import ImpossibleEventError
from tests.domain.givens import moves


@st.composite
def played_games(draw: st.DrawFn) -> Game:
    """Draw a game played with random legal moves, finished or not."""
    game = Game()
    game.start_game("ann", "bob")
    for _ in range(draw(st.integers(min_value=0, max_value=42))):
        if game.is_finished:
            break
        legal = [c for c in Column if len(game.board[c]) < 6]
        column = draw(st.sampled_from(legal))
        game.make_move(Move(str(game.next_player), column))
    return game


@settings(max_examples=200)
@given(played_games())
def test_replaying_the_events_rebuilds_the_same_state(game: Game) -> None:
    replayed = Game(id=game.id)
    replayed.load_from_history(game.events)

    assert replayed.board == game.board
    assert replayed.next_player == game.next_player
    assert replayed.result == game.result
    assert replayed.is_finished == game.is_finished
    assert replayed.version == len(game.events) - 1


WIN_FOR_ANN = ("A", "B", "A", "B", "A", "B", "A")
"""Ann's fourth token in column A, at stream position 7, wins."""


def test_a_win_without_its_finish_is_refused_naming_the_winning_move() -> None:
    history: list[GameEvent] = [GameStarted("ann", "bob"), *moves(*WIN_FOR_ANN)]

    with pytest.raises(ImpossibleEventError) as refused:
        Game(id="g").load_from_history(history)

    assert refused.value.position == 7
    assert "no GameFinished" in refused.value.reason


def test_moves_after_a_win_without_its_finish_are_refused_naming_the_win() -> None:
    history: list[GameEvent] = [
        GameStarted("ann", "bob"),
        *moves(*WIN_FOR_ANN, "C", "D"),
    ]

    with pytest.raises(ImpossibleEventError) as refused:
        Game(id="g").load_from_history(history)

    assert refused.value.position == 7


def test_a_win_with_its_finish_loads() -> None:
    history: list[GameEvent] = [
        GameStarted("ann", "bob"),
        *moves(*WIN_FOR_ANN),
        GameFinished(GameResult.PLAYER_ONE_WON),
    ]

    game = Game(id="g")
    game.load_from_history(history)

    assert game.result is GameResult.PLAYER_ONE_WON


def test_a_history_loaded_in_two_parts_is_checked_where_it_ends() -> None:
    game = Game(id="g")
    game.load_from_history([GameStarted("ann", "bob"), *moves("A", "B", "A")])

    with pytest.raises(ImpossibleEventError) as refused:
        game.load_from_history(moves("G", "B", "A", "B", "A")[1:])

    assert refused.value.position == 7
