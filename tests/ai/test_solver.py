"""The solver against Pascal Pons' test sets: the same score on every sampled line.

The samples run in seconds; `benchmarks/solver.py` runs the whole sets.
"""

from __future__ import annotations

import pytest

from connect_four.ai.engine import Engine
from connect_four.ai.position import Position
from tests.ai.conftest import pons_lines

SAMPLES = {
    "Test_L3_R1": slice(0, 1000, 10),
    "Test_L2_R1": slice(0, 1000, 10),
    "Test_L2_R2": slice(0, 1000, 50),
    "Test_L1_R1": slice(0, 1000, 20),
    "Test_L1_R2": slice(0, 1000, 200),
    "Test_L1_R3": slice(0, 0),
}
QUICK_L1_R3 = ("117222115374", "1734475752")
"""Two of Test_L1_R3's first hundred lines that solve in well under a second."""


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_solver_matches_the_score_of_every_sampled_line(
    engine: Engine, name: str
) -> None:
    lines = pons_lines(name)
    sample = lines[SAMPLES[name]] or [pair for pair in lines if pair[0] in QUICK_L1_R3]
    wrong = []
    for notation, expected in sample:
        engine.start(None)
        score = engine.solve(Position.from_notation(notation))
        if score != expected:
            wrong.append((notation, expected, score))
    assert sample
    assert wrong == []


def test_a_table_of_the_smallest_size_still_gives_exact_scores() -> None:
    # 1024 slots for tens of thousands of positions: entries are overwritten
    # all the time, so a stored bound must only ever match its own position.
    small = Engine(table_size=1)
    sample = pons_lines("Test_L2_R2")[::100] + pons_lines("Test_L1_R1")[::100]
    wrong = []
    for notation, expected in sample:
        small.start(None)
        score = small.solve(Position.from_notation(notation))
        if score != expected:
            wrong.append((notation, expected, score))
    assert wrong == []


def test_weak_solving_gets_the_sign_of_every_sampled_line(engine: Engine) -> None:
    sample = pons_lines("Test_L2_R2")[::100]
    signs = []
    for notation, expected in sample:
        engine.start(None)
        score = engine.solve(Position.from_notation(notation), weak=True)
        signs.append((score, (expected > 0) - (expected < 0)))
    assert all(score == sign for score, sign in signs)


def test_a_win_on_this_move_scores_the_most_a_position_allows(engine: Engine) -> None:
    engine.start(None)
    assert engine.solve(Position.from_notation("121212")) == (43 - 6) // 2


def test_a_solve_past_its_node_budget_returns_nothing(engine: Engine) -> None:
    engine.start(100)
    assert engine.solve(Position.from_notation("4")) is None
    assert engine.exhausted


def test_best_columns_hold_the_exact_score(engine: Engine) -> None:
    engine.start(None)
    ranking = engine.best_columns(Position.from_notation("3246313"))
    assert ranking is not None
    assert ranking.scores == {2: -2}


def test_the_best_column_score_is_the_position_score(engine: Engine) -> None:
    notation, expected = pons_lines("Test_L2_R1")[0]
    position = Position.from_notation(notation)
    scores = engine.column_scores(position)
    assert set(scores) == set(position.legal_columns())
    assert max(value for value in scores.values() if value is not None) == expected


def test_hints_past_their_budget_still_score_a_win_on_the_spot(engine: Engine) -> None:
    scores = engine.column_scores(Position.from_notation("121212"), node_limit=700)
    assert scores[0] == (43 - 6) // 2
    assert None in scores.values()
