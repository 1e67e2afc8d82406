"""`connect-four solve`: positions in, `position score` out, bad lines named."""

from __future__ import annotations

from tests.cli.conftest import CLI

WON_SOON = "7422341735647741166133573473242566"
"""A line of Pons' Test_L3_R1: the side to move wins, scoring 1."""


def test_each_position_is_printed_with_its_score(cli: CLI) -> None:
    outcome = cli("solve", typed=f"{WON_SOON}\n121212\n")
    assert outcome.status == 0
    assert outcome.out == f"{WON_SOON} 1\n121212 18\n"


def test_an_expected_score_on_the_line_is_read_and_checked(cli: CLI) -> None:
    outcome = cli("solve", typed=f"{WON_SOON} 1\n")
    assert (outcome.status, outcome.out, outcome.err) == (0, f"{WON_SOON} 1\n", "")


def test_a_differing_expected_score_is_reported_and_fails(cli: CLI) -> None:
    outcome = cli("solve", typed=f"{WON_SOON} 3\n")
    assert outcome.status == 1
    assert "line 1: expected 3, solved 1" in outcome.err


def test_weak_prints_only_the_sign(cli: CLI) -> None:
    outcome = cli("solve", "--weak", typed=f"{WON_SOON} 1\n")
    assert outcome.out == f"{WON_SOON} 1\n"


def test_a_bad_line_is_named_and_the_others_still_solved(cli: CLI) -> None:
    outcome = cli("solve", typed=f"12x\n\n{WON_SOON}\n1111111\n")
    assert outcome.status == 1
    assert outcome.out == f"{WON_SOON} 1\n"
    assert "line 1: move 3 of '12x' is 'x', not a column 1-7" in outcome.err
    assert "line 4: move 7 of '1111111' is in full column 1" in outcome.err
    assert "Traceback" not in outcome.err


def test_a_line_with_too_many_fields_or_a_bad_score_is_named(cli: CLI) -> None:
    outcome = cli("solve", typed="12 3 4\n12 x\n")
    assert "line 1: expected 'position [score]'" in outcome.err
    assert "line 2: score 'x' is not a whole number" in outcome.err
