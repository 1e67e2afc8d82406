"""Reading pytest's report of an exercise: what passed, what failed and why."""

from __future__ import annotations

from connect_four.workshop.checking import FAILED, PASSED, SKIPPED, Outcome, read_report

REPORT = """<?xml version="1.0" encoding="utf-8"?>
<testsuites><testsuite name="pytest">
<testcase classname="tests.test_exercise_03" name="test_a[memory]" time="0.1"/>
<testcase classname="tests.test_exercise_03" name="test_b[sqlite]" time="0.1">
  <failure message="NotImplementedError: exercise 3">details</failure></testcase>
<testcase classname="tests.test_exercise_03" name="test_c[kurrentdb]" time="0">
  <skipped type="pytest.skip" message="no KurrentDB server named"/></testcase>
<testcase classname="" name="tests.test_exercise_08" time="0">
  <error message="collection failure">tests/test_exercise_08.py:1: in &lt;module&gt;
E   ModuleNotFoundError: No module named 'eventsourcing'</error></testcase>
</testsuite></testsuites>"""


def test_each_test_case_becomes_an_outcome_with_its_reason() -> None:
    assert read_report(REPORT)[:3] == [
        Outcome("test_exercise_03", "test_a[memory]", PASSED, ""),
        Outcome(
            "test_exercise_03",
            "test_b[sqlite]",
            FAILED,
            "NotImplementedError: exercise 3",
        ),
        Outcome(
            "test_exercise_03",
            "test_c[kurrentdb]",
            SKIPPED,
            "no KurrentDB server named",
        ),
    ]


def test_a_file_that_cannot_be_imported_says_why_and_what_to_install() -> None:
    outcome = read_report(REPORT)[3]
    assert outcome.result == FAILED
    assert outcome.message == (
        "ModuleNotFoundError: No module named 'eventsourcing':"
        " pip install 'connect-four[workshop]'"
    )
