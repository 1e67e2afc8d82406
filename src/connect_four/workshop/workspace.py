"""A workspace: the learner's own package, the pages, the tests and the progress.

`start` copies the shipped material into a new folder. Progress (the last
check's result and how many hints were shown, per exercise) is kept in the
workspace's `.workshop.json`, so `status` and `check` pick up where the
learner left off.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from connect_four.workshop.errors import NotAWorkspaceError, WorkspaceExistsError
from connect_four.workshop.exercises import EXERCISES, MATERIAL, PACKAGE

PROGRESS_FILE: Final = ".workshop.json"


@dataclass
class Progress:
    """Per exercise: the last check's outcome and the hints shown so far."""

    passed: dict[int, bool] = field(default_factory=dict)
    hints_shown: dict[int, int] = field(default_factory=dict)

    def to_json(self) -> str:
        """Return the progress as the JSON kept in the workspace."""
        return json.dumps(
            {
                "passed": {str(k): v for k, v in self.passed.items()},
                "hints_shown": {str(k): v for k, v in self.hints_shown.items()},
            },
            indent=2,
        )

    @classmethod
    def from_json(cls, text: str) -> Progress:
        """Read progress back; an unreadable file counts as no progress."""
        try:
            data = json.loads(text)
            return cls(
                {int(k): bool(v) for k, v in data.get("passed", {}).items()},
                {int(k): int(v) for k, v in data.get("hints_shown", {}).items()},
            )
        except (ValueError, TypeError, AttributeError):
            return cls()


@dataclass(frozen=True)
class Workspace:
    """A folder that `workshop start` made."""

    root: Path

    @classmethod
    def at(cls, folder: Path) -> Workspace:
        """Return the workspace in a folder.

        Raises:
            NotAWorkspaceError: the folder is not one.
        """
        root = folder.expanduser().resolve()
        if not (root / PROGRESS_FILE).is_file():
            raise NotAWorkspaceError(root, PROGRESS_FILE)
        return cls(root)

    @property
    def package(self) -> Path:
        """Return the learner's package folder."""
        return self.root / PACKAGE

    def progress(self) -> Progress:
        """Return the progress kept so far."""
        return Progress.from_json((self.root / PROGRESS_FILE).read_text("utf-8"))

    def save(self, progress: Progress) -> None:
        """Keep the progress."""
        (self.root / PROGRESS_FILE).write_text(progress.to_json(), "utf-8")


def start(folder: Path) -> Workspace:
    """Make a workspace in a new or empty folder and return it.

    Raises:
        WorkspaceExistsError: the folder already holds files.
    """
    root = folder.expanduser().resolve()
    if root.exists() and (not root.is_dir() or any(root.iterdir())):
        raise WorkspaceExistsError(root)
    root.mkdir(parents=True, exist_ok=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(MATERIAL / "skeleton" / PACKAGE, root / PACKAGE, ignore=ignore)
    shutil.copytree(MATERIAL / "tests", root / "tests", ignore=ignore)
    shutil.copytree(MATERIAL / "pages", root / "exercises", ignore=ignore)
    shutil.copy(MATERIAL / "pytest.ini", root / "pytest.ini")
    (root / "README.md").write_text(_readme(), "utf-8")
    workspace = Workspace(root)
    workspace.save(Progress())
    return workspace


def _readme() -> str:
    lines = [
        "# Your event-sourcing workshop",
        "",
        f"Your code goes in `{PACKAGE}/`. Work through the pages in `exercises/`",
        "in order; after each step run `connect-four workshop check N` here.",
        "",
    ]
    lines += [f"{e.number}. [{e.title}](exercises/{e.page})" for e in EXERCISES]
    lines += [
        "",
        "`connect-four workshop status` shows how far you are;",
        "`connect-four play --workspace .` plays the game on your code.",
        "",
    ]
    return "\n".join(lines)
