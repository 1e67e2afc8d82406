"""What `connect-four workshop check`, `status` and `solution` say.

Each returns the text to print, so the CLI only parses and prints, and tests
read the same words a learner reads.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from pathlib import Path

from connect_four.workshop.checking import FAILED, PASSED, SKIPPED, Outcome, run_tests
from connect_four.workshop.exercises import EXERCISES, MATERIAL, Exercise
from connect_four.workshop.pages import goal, hints, page_path, page_text
from connect_four.workshop.workspace import Workspace

KURRENTDB_VARIABLE = "CONNECT_FOUR_WORKSHOP_KURRENTDB_URL"
SOURCE = Path(__file__).resolve().parents[1]
"""This project's package, `connect_four`, wherever it is installed."""


def check(
    workspace: Workspace, exercise: Exercise, kurrentdb_url: str | None = None
) -> tuple[bool, str]:
    """Run an exercise's tests on the workspace; return whether all passed, and why.

    Raises:
        MissingPytestError: pytest is not installed.
    """
    environment = {KURRENTDB_VARIABLE: kurrentdb_url} if kurrentdb_url else {}
    outcomes = run_tests(
        workspace.root,
        workspace.root,
        [workspace.root / "tests" / exercise.test_file],
        environment,
    )
    passed = [o for o in outcomes if o.result == PASSED]
    failed = [o for o in outcomes if o.result == FAILED]
    skipped = [o for o in outcomes if o.result == SKIPPED]
    done = bool(passed) and not failed
    lines = [f"Exercise {exercise.number}: {exercise.title}", ""]
    lines += [f"  pass  {o.name}" for o in passed]
    lines += [f"  FAIL  {o.name}\n        {_reason(o)}" for o in failed]
    lines += [f"  skip  {o.name}: {o.message}" for o in _distinct(skipped)]
    if not outcomes:
        lines.append("  no test ran: is the tests folder of the workspace intact?")
    lines += ["", f"{len(passed)} passed, {len(failed)} failed, {len(skipped)} skipped"]
    progress = workspace.progress()
    progress.passed[exercise.number] = done
    if done:
        following = exercise.number + 1
        lines.append(
            f"Exercise {exercise.number} is done."
            + (
                f" Next: exercises/{EXERCISES[following - 1].page}"
                if following <= len(EXERCISES)
                else " That was the last one: well done."
            )
        )
    else:
        lines += ["", *_next_hint(workspace, exercise, progress.hints_shown)]
    workspace.save(progress)
    return done, "\n".join(lines)


def _reason(outcome: Outcome) -> str:
    reason = outcome.message or "failed (run pytest on the test file for details)"
    return reason if len(reason) <= 160 else reason[:157] + "..."


def _distinct(skipped: Sequence[Outcome]) -> list[Outcome]:
    """Return one skipped test per reason: they are usually all skipped alike."""
    seen: dict[str, Outcome] = {}
    for outcome in skipped:
        seen.setdefault(outcome.message, outcome)
    return list(seen.values())


def _next_hint(
    workspace: Workspace, exercise: Exercise, shown: dict[int, int]
) -> list[str]:
    available = hints(page_path(workspace.root, exercise).read_text("utf-8"))
    count = shown.get(exercise.number, 0)
    if count >= len(available):
        return [
            "No hints left. Compare with this project's code:"
            f" connect-four workshop solution {exercise.number}"
        ]
    shown[exercise.number] = count + 1
    return [f"Hint {count + 1} of {len(available)}:", "", available[count]]


def status(workspace: Workspace) -> str:
    """Return where the learner is: each exercise, checked or not, hints used."""
    progress = workspace.progress()
    lines = [f"Workspace {workspace.root}", ""]
    for exercise in EXERCISES:
        if exercise.number not in progress.passed:
            state = "not checked"
        else:
            state = "done" if progress.passed[exercise.number] else "not yet"
        used = progress.hints_shown.get(exercise.number, 0)
        hint_note = f", {used} hint{'s' * (used != 1)} shown" if used else ""
        lines.append(f"  {exercise.number}. {exercise.title:45} {state}{hint_note}")
    following = next(
        (e for e in EXERCISES if not progress.passed.get(e.number, False)), None
    )
    lines.append("")
    if following is None:
        lines.append("Every exercise passes.")
    else:
        lines.append(f"Next: exercises/{following.page}")
        lines.append(f"  {goal(page_text(following))}")
    return "\n".join(lines)


def solution(
    exercise: Exercise, workspace: Workspace | None = None, diff: bool = False
) -> str:
    """Return where this project implements an exercise, and diffs if asked."""
    lines = [f"Exercise {exercise.number} ({exercise.title}) in this project:"]
    for _, ours in exercise.files:
        lines.append(f"  {SOURCE / ours}")
    reference = MATERIAL / "reference" / "mygame"
    lines.append(f"In the exercise's shape (what the tests run on in CI): {reference}")
    lines.append("docs/concepts.md: " + "; ".join(exercise.concepts))
    if diff and workspace is not None:
        for mine, ours in exercise.files:
            lines += ["", *_diff(workspace.root / mine, SOURCE / ours)]
    return "\n".join(lines)


def _diff(mine: Path, ours: Path) -> list[str]:
    theirs = ours.read_text("utf-8").splitlines()
    yours = mine.read_text("utf-8").splitlines() if mine.exists() else []
    return list(
        difflib.unified_diff(
            yours, theirs, f"yours: {mine}", f"this project: {ours}", lineterm=""
        )
    )
