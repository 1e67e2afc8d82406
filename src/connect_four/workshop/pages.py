"""The exercise pages, and the hints they reveal one at a time.

A page is Markdown; its hints are the sections headed `### Hint 1`,
`### Hint 2`, ... under `## Hints`, in the order they should be given.
"""

from __future__ import annotations

import re
from pathlib import Path

from connect_four.workshop.exercises import MATERIAL, Exercise

_HINT = re.compile(r"^### Hint \d+[^\n]*\n", re.MULTILINE)


def page_text(exercise: Exercise) -> str:
    """Return an exercise's page, as shipped."""
    return (MATERIAL / "pages" / exercise.page).read_text(encoding="utf-8")


def hints(text: str) -> list[str]:
    """Return a page's hints, in order, without their headings."""
    _, found, rest = text.partition("\n## Hints\n")
    if not found:
        return []
    section = rest.split("\n## ", 1)[0]
    return [part.strip() for part in _HINT.split(section)[1:]]


def goal(text: str) -> str:
    """Return the first paragraph under a page's `## Goal`."""
    _, found, rest = text.partition("\n## Goal\n")
    return rest.strip().split("\n\n", 1)[0].replace("\n", " ") if found else ""


def page_path(root: Path, exercise: Exercise) -> Path:
    """Return where a workspace keeps an exercise's page."""
    return root / "exercises" / exercise.page
