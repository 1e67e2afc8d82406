"""The docs point at things that exist: files, folders and the names in them.

docs/concepts.md sends a learner to one file per concept, often to one name in
it (`Game.apply`). Code moves; these checks make a move that leaves a page
pointing at nothing fail the build instead of confusing a reader.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGES = sorted([ROOT / "README.md", *(ROOT / "docs").glob("*.md")])
CONCEPTS = ROOT / "docs" / "concepts.md"

LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
SOURCE_LINK_WITH_NAMES = re.compile(
    r"\]\((\.\./src/[^)\s]+\.py)\)\s*\(((?:`[\w.]+`(?:,\s*|\s+and\s+)?)+)\)"
)
NAME = re.compile(r"`([\w.]+)`")


def local_targets(page: Path) -> list[str]:
    """Return the page's links to files of the repository (no URLs, no anchors)."""
    targets = []
    for target in LINK.findall(page.read_text(encoding="utf-8")):
        if re.match(r"[a-z]+:", target) or target.startswith("#"):
            continue
        targets.append(target.split("#", 1)[0])
    return targets


def defined_names(module: Path) -> set[str]:
    """Return the module's top-level names and `Class.member` names."""
    names: set[str] = set()
    for node in ast.parse(module.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.ClassDef):
            names.add(node.name)
            for member in node.body:
                if isinstance(member, ast.FunctionDef | ast.AsyncFunctionDef):
                    names.add(f"{node.name}.{member.name}")
                elif isinstance(member, ast.AnnAssign) and isinstance(
                    member.target, ast.Name
                ):
                    names.add(f"{node.name}.{member.target.id}")
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
    return names


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_every_local_link_of_a_page_points_at_something_that_exists(
    page: Path,
) -> None:
    missing = [
        target
        for target in local_targets(page)
        if target and not (page.parent / target).exists()
    ]
    assert missing == []


def test_every_concept_links_at_least_one_source_file() -> None:
    sections = re.split(r"^## ", CONCEPTS.read_text(encoding="utf-8"), flags=re.M)
    without_source = [
        section.splitlines()[0]
        for section in sections[1:]
        if "](../src/" not in section
    ]
    assert without_source == []


def test_every_concept_names_the_class_or_function_that_implements_it() -> None:
    sections = re.split(r"^## ", CONCEPTS.read_text(encoding="utf-8"), flags=re.M)
    unnamed = [
        section.splitlines()[0]
        for section in sections[1:]
        if not SOURCE_LINK_WITH_NAMES.search(section)
    ]
    assert unnamed == []


def test_every_name_the_concepts_page_points_at_is_defined_in_its_file() -> None:
    text = CONCEPTS.read_text(encoding="utf-8")
    pointers = SOURCE_LINK_WITH_NAMES.findall(text)
    assert pointers, "the concepts page names no function or class at all"
    missing = []
    for target, names in pointers:
        module = CONCEPTS.parent / target
        defined = defined_names(module) if module.exists() else set()
        missing += [
            f"{target}: {name}" for name in NAME.findall(names) if name not in defined
        ]
    assert missing == []
