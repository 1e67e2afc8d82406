"""The workshop's errors, all under one root: `WorkshopError`.

`connect-four workshop` prints any of them as one plain line. What a message
names, such as how many exercises there are, the code that raises it passes
in, so that this module imports nothing of the workshop.
"""

from __future__ import annotations

from pathlib import Path


class WorkshopError(Exception):
    """A workshop command cannot do what was asked; the message says why."""


class UnknownExerciseError(WorkshopError):
    """There is no exercise with that number."""

    def __init__(self, number: int, count: int) -> None:
        self.number = number
        self.count = count
        super().__init__(
            f"there is no exercise {number}: the exercises are 1 to {count}"
        )


class WorkspaceExistsError(WorkshopError):
    """The folder for a new workspace already holds files."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        super().__init__(
            f"{folder} is not empty: give `workshop start` a new or empty folder"
        )


class NotAWorkspaceError(WorkshopError):
    """The folder is not a workspace that `workshop start` made."""

    def __init__(self, folder: Path, progress_file: str) -> None:
        self.folder = folder
        super().__init__(
            f"{folder} is not a workshop workspace (no {progress_file});"
            " make one with `connect-four workshop start DIR`"
        )


class ExerciseNotDoneError(WorkshopError):
    """The learner's code reached a part of an exercise not written yet."""

    def __init__(self, where: str, number: int | None) -> None:
        self.where = where
        self.number = number
        todo = f"exercise {number}" if number else "an exercise"
        check = f"connect-four workshop check {number}" if number else "the tests"
        super().__init__(
            f"{where} is not written yet ({todo}). Finish it, see `{check}`,"
            " and play again."
        )


class LearnerCodeError(WorkshopError):
    """The learner's code raised something the game does not expect."""

    def __init__(self, error: BaseException, where: str) -> None:
        self.error = error
        self.where = where
        super().__init__(
            f"your code raised {type(error).__name__}: {error} (at {where})."
            " The exercise tests may say more."
        )


class TestsTooSlowError(WorkshopError):
    """The tests ran past the time limit: the code under test may never return."""

    def __init__(self, seconds: int) -> None:
        self.seconds = seconds
        super().__init__(
            f"the tests ran for more than {seconds} s and were stopped:"
            " does a loop in your code never end?"
        )


class MissingPytestError(WorkshopError):
    """The tests need pytest, which is not installed."""

    def __init__(self) -> None:
        super().__init__("checking needs pytest: pip install 'connect-four[workshop]'")
