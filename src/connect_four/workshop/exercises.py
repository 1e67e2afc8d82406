"""The exercises, in the tutorial's order and past it, and where each lives."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Final

from connect_four.workshop.errors import UnknownExerciseError

MATERIAL: Final = Path(__file__).parent / "material"
"""The pages, the skeleton, the reference and the tests, shipped as package data."""

PACKAGE: Final = "mygame"
"""The name of the learner's package in a workspace."""


@dataclass(frozen=True)
class Exercise:
    """One exercise: its page, its tests, the learner's files and ours."""

    number: int
    slug: str
    title: str
    minutes: int
    """How long a group needs for it, discussion included."""
    files: tuple[tuple[str, str], ...]
    """(learner's file in the workspace, this project's file under src/connect_four)."""
    concepts: tuple[str, ...]
    """The sections of docs/concepts.md it teaches."""

    @property
    def page(self) -> str:
        """Return the page's file name, under `exercises/` in a workspace."""
        return f"{self.number:02d}-{self.slug}.md"

    @property
    def test_file(self) -> str:
        """Return the tests' file name, under `tests/` in a workspace."""
        return f"test_exercise_{self.number:02d}.py"


EXERCISES: Final = (
    Exercise(
        1,
        "start-a-game",
        "Start a game",
        40,
        (
            ("mygame/aggregate.py", "eventsourcing/aggregate.py"),
            ("mygame/events.py", "domain/events.py"),
            ("mygame/game.py", "domain/game.py"),
        ),
        ("Event", "Aggregate", "Apply", "Uncommitted versus historical events"),
    ),
    Exercise(
        2,
        "play-the-game",
        "Play the game",
        35,
        (
            ("mygame/game.py", "domain/game.py"),
            ("mygame/events.py", "domain/events.py"),
        ),
        ("Apply", "Aggregate"),
    ),
    Exercise(
        3,
        "persist-the-events",
        "Persist the events",
        40,
        (
            ("mygame/repository.py", "persistence/game_repository.py"),
            ("mygame/repository.py", "eventsourcing/repository.py"),
            ("mygame/repository.py", "persistence/codec.py"),
            ("mygame/aggregate.py", "eventsourcing/aggregate.py"),
        ),
        ("Repository", "Event store", "Event codec"),
    ),
    Exercise(
        4,
        "optimistic-concurrency",
        "Optimistic concurrency",
        25,
        (("mygame/repository.py", "eventsourcing/repository.py"),),
        ("Optimistic concurrency",),
    ),
    Exercise(
        5,
        "a-read-model",
        "A read model with a checkpoint",
        40,
        (
            ("mygame/leaderboard.py", "readmodels/leaderboard.py"),
            ("mygame/leaderboard.py", "eventsourcing/projections.py"),
        ),
        ("CQRS: commands and queries apart", "Projection", "Checkpoint"),
    ),
    Exercise(
        6,
        "snapshots",
        "Snapshots",
        35,
        (
            ("mygame/snapshots.py", "eventsourcing/snapshots.py"),
            ("mygame/snapshots.py", "eventsourcing/repository.py"),
        ),
        ("Snapshot",),
    ),
    Exercise(
        7,
        "change-an-events-shape",
        "Change an event's shape",
        30,
        (
            ("mygame/upcasting.py", "persistence/codec.py"),
            ("mygame/upcasting.py", "eventsourcing/codec.py"),
        ),
        ("Upcasting", "Metadata"),
    ),
    Exercise(
        8,
        "the-eventsourcing-package",
        "The same game on the eventsourcing package",
        45,
        (
            ("mygame/library.py", "library/game.py"),
            ("mygame/library.py", "library/mapper.py"),
            ("mygame/library.py", "library/application.py"),
        ),
        ("The same game on the `eventsourcing` package",),
    ),
)


def exercise(number: int) -> Exercise:
    """Return the exercise with that number.

    Raises:
        UnknownExerciseError: there is none.
    """
    if not 1 <= number <= len(EXERCISES):
        raise UnknownExerciseError(number, len(EXERCISES))
    return EXERCISES[number - 1]


def exercise_of_file(path: str) -> Exercise | None:
    """Return the first exercise in which the learner writes a file, if any."""
    for candidate in EXERCISES:
        if any(path.endswith(mine) for mine, _ in candidate.files):
            return candidate
    return None
