"""Each exercise test passes on this project's code and fails on the skeleton.

So no exercise test can pass on nothing: a learner sees it pass only once
their code does what it specifies. The tests run as a learner's `check` runs
them, in a process of their own, once against the reference package (this
project's code in the exercise's shape) and once against the untouched
skeleton; each takes a few seconds for all eight exercises.
"""

from __future__ import annotations

from collections import defaultdict

import pytest

from connect_four.workshop.checking import FAILED, PASSED, SKIPPED, Outcome, run_tests
from connect_four.workshop.exercises import EXERCISES, MATERIAL, Exercise

NUMBERS = [e.number for e in EXERCISES]


def outcomes_on(package: str) -> dict[str, list[Outcome]]:
    """Run every exercise's tests on a package folder; group outcomes by test file."""
    found = run_tests(
        MATERIAL,
        MATERIAL / package,
        [MATERIAL / "tests" / e.test_file for e in EXERCISES],
    )
    grouped: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in found:
        grouped[outcome.module].append(outcome)
    return grouped


@pytest.fixture(scope="module")
def on_reference() -> dict[str, list[Outcome]]:
    return outcomes_on("reference")


@pytest.fixture(scope="module")
def on_skeleton() -> dict[str, list[Outcome]]:
    return outcomes_on("skeleton")


def module(exercise: Exercise) -> str:
    return exercise.test_file.removesuffix(".py")


@pytest.mark.parametrize("exercise", EXERCISES, ids=[f"exercise {n}" for n in NUMBERS])
def test_every_exercise_test_passes_on_this_projects_implementation(
    exercise: Exercise, on_reference: dict[str, list[Outcome]]
) -> None:
    outcomes = on_reference[module(exercise)]
    assert outcomes, "no test of this exercise ran"
    assert [o for o in outcomes if o.result == FAILED] == []
    skipped = {o.message for o in outcomes if o.result == SKIPPED}
    assert all("KurrentDB" in reason for reason in skipped), skipped
    assert sum(o.result == PASSED for o in outcomes) >= 4


@pytest.mark.parametrize("exercise", EXERCISES, ids=[f"exercise {n}" for n in NUMBERS])
def test_no_exercise_test_passes_on_the_untouched_skeleton(
    exercise: Exercise, on_skeleton: dict[str, list[Outcome]]
) -> None:
    outcomes = on_skeleton[module(exercise)]
    assert outcomes, "no test of this exercise ran"
    assert [o.name for o in outcomes if o.result == PASSED] == []


def test_the_skeleton_and_the_reference_run_the_same_tests(
    on_reference: dict[str, list[Outcome]], on_skeleton: dict[str, list[Outcome]]
) -> None:
    def names(grouped: dict[str, list[Outcome]]) -> set[tuple[str, str]]:
        return {(m, o.name) for m, found in grouped.items() for o in found}

    assert names(on_reference) == names(on_skeleton)
