"""Computer players: legal, deterministic choices at every level, and their names."""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from connect_four.ai.book import BookMove, OpeningBook
from connect_four.ai.engine import Engine
from connect_four.ai.errors import NoMoveLeftError, UnknownLevelError
from connect_four.ai.players import (
    LEVELS,
    ComputerPlayer,
    Hint,
)
from connect_four.ai.position import Position, to_columns
from connect_four.domain.board import Column

EMPTY_BOOK = OpeningBook({})


def player(
    level: str, engine: Engine, seed: int = 0, seconds: float | None = None
) -> ComputerPlayer:
    """Return a player on the shared engine, with no opening book."""
    return ComputerPlayer(
        level, random.Random(seed), engine=engine, book=EMPTY_BOOK, seconds=seconds
    )


def columns(notation: str) -> list[Column]:
    """Return a position's moves as the game's column letters."""
    return to_columns(Position.from_notation(notation).history)


@st.composite
def unfinished_games(draw: st.DrawFn) -> list[Column]:
    """Draw the moves of a game that is neither won nor full."""
    position = Position()
    for _ in range(draw(st.integers(0, 41))):
        options = [
            c for c in position.legal_columns() if not position.is_winning_move(c)
        ]
        if not options:
            break
        position = position.play(draw(st.sampled_from(options)))
    return to_columns(position.history)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(moves=unfinished_games(), level=st.sampled_from(["easy", "medium"]))
def test_the_computer_only_picks_legal_columns(
    engine: Engine, moves: list[Column], level: str
) -> None:
    position = Position.from_columns(moves)
    choice = player(level, engine).choose(moves)
    assert position.can_play("ABCDEFG".index(choice.column))


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(moves=unfinished_games())
def test_the_strong_levels_only_pick_legal_columns(
    engine: Engine, moves: list[Column]
) -> None:
    position = Position.from_columns(moves)
    for level in ("hard", "perfect"):
        choice = player(level, engine, seconds=0.02).choose(moves)
        assert position.can_play("ABCDEFG".index(choice.column))


def test_an_unknown_level_is_refused_with_the_levels_named() -> None:
    with pytest.raises(UnknownLevelError, match="easy, medium, hard, perfect"):
        ComputerPlayer("grandmaster", random.Random(0))


def test_a_player_is_named_for_its_level() -> None:
    assert ComputerPlayer("hard", random.Random(0)).name == "computer (hard)"


def test_there_is_no_move_to_choose_in_a_won_game(engine: Engine) -> None:
    with pytest.raises(NoMoveLeftError):
        player("easy", engine).choose(columns("1212121"))


@pytest.mark.parametrize("level", ["medium", "hard", "perfect"])
def test_a_level_takes_a_win_on_the_spot(engine: Engine, level: str) -> None:
    choice = player(level, engine).choose(columns("121212"))
    assert choice.column == Column.A
    assert choice.exact
    assert choice.score == (43 - 6) // 2


@pytest.mark.parametrize("level", ["medium", "hard", "perfect"])
def test_a_level_blocks_the_only_threat(engine: Engine, level: str) -> None:
    choice = player(level, engine, seconds=0.1).choose(columns("12131"))
    assert choice.column == Column.A


def test_the_perfect_level_plays_the_exact_best_move_when_it_can_solve(
    engine: Engine,
) -> None:
    choice = player("perfect", engine).choose(columns("3246313"))
    assert (choice.column, choice.score, choice.exact) == (Column.C, -2, True)


def test_the_perfect_level_plays_its_book_move(engine: Engine) -> None:
    book = OpeningBook({Position().canonical_key()[0]: BookMove(3, 1, exact=False)})
    perfect = ComputerPlayer("perfect", random.Random(0), engine=engine, book=book)
    assert perfect.choose([]).column == Column.D


@pytest.mark.parametrize("level", LEVELS[:3])
def test_the_same_seed_gives_the_same_choices(level: str) -> None:
    games = ["", "44", "4433", "2252576"]
    runs = []
    for _ in range(2):
        fresh = Engine(table_size=100_003)
        runs.append([player(level, fresh, 7, 0.05).choose(columns(g)) for g in games])
    assert runs[0] == runs[1]


def test_hints_score_every_legal_column(engine: Engine) -> None:
    hints = player("hard", engine).hints(columns("3246313"))
    assert set(hints) == set(Column)
    assert hints[Column.C] == Hint(-2, exact=True)
    assert all(h.score is not None and h.score <= -2 for h in hints.values())


def test_the_easy_level_sometimes_misses_a_win() -> None:
    engine = Engine(table_size=1009)
    moves = columns("121212")
    picks = {player("easy", engine, seed).choose(moves).column for seed in range(60)}
    assert Column.A in picks
    assert len(picks) > 1


def test_hints_on_the_empty_board_come_from_the_opening_book() -> None:
    hints = ComputerPlayer("easy", random.Random(0)).hints([])

    outcomes = {
        column.value: (hint.score, hint.exact) for column, hint in hints.items()
    }
    assert outcomes == {
        "A": (-1, False),
        "B": (-1, False),
        "C": (0, False),
        "D": (1, False),
        "E": (0, False),
        "F": (-1, False),
        "G": (-1, False),
    }
