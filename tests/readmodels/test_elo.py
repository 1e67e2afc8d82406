"""Elo: who gains, who loses, and by how much."""

from __future__ import annotations

import pytest

from connect_four.readmodels.elo import (
    DRAW,
    INITIAL_RATING,
    LOSS,
    WIN,
    expected_score,
    rate,
)


def test_a_win_between_equals_moves_each_rating_by_half_the_k_factor() -> None:
    assert rate(INITIAL_RATING, INITIAL_RATING, WIN) == (1516.0, 1484.0)
    assert rate(INITIAL_RATING, INITIAL_RATING, LOSS) == (1484.0, 1516.0)


def test_a_draw_between_equals_changes_nothing() -> None:
    assert rate(1500.0, 1500.0, DRAW) == (1500.0, 1500.0)


def test_a_draw_moves_the_stronger_player_down() -> None:
    stronger, weaker = rate(1700.0, 1500.0, DRAW)

    assert stronger < 1700.0
    assert weaker > 1500.0
    assert stronger + weaker == pytest.approx(3200.0)


def test_an_upset_gains_more_than_an_expected_win() -> None:
    upset, _ = rate(1400.0, 1600.0, WIN)
    expected, _ = rate(1600.0, 1400.0, WIN)

    assert upset - 1400.0 > expected - 1600.0


def test_the_expected_scores_of_two_players_add_up_to_one() -> None:
    assert expected_score(1600.0, 1400.0) == pytest.approx(0.7597469)
    assert expected_score(1600.0, 1400.0) + expected_score(1400.0, 1600.0) == 1.0
