"""Replaying a game's events rebuilds exactly the state that recorded them."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from connect_four.domain.board import Column
from connect_four.domain.game import Game, Move


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
