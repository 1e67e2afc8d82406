"""Run an exercise's tests on a package, in a process of its own, and read the outcome.

The tests import the learner's package by name (`mygame`), so one folder on
`PYTHONPATH` decides what they run against: a workspace, the untouched
skeleton, or this project's reference. pytest writes a JUnit XML report,
which says per test whether it passed, failed or was skipped, and why.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ElementTree
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from connect_four.workshop.errors import MissingPytestError, TestsTooSlowError

PASSED: Final = "passed"
FAILED: Final = "failed"
SKIPPED: Final = "skipped"
TIMEOUT_SECONDS: Final = 300


@dataclass(frozen=True)
class Outcome:
    """One test's result."""

    module: str
    """The test file's module name, such as `test_exercise_01`."""
    name: str
    result: str
    """`passed`, `failed` or `skipped`."""
    message: str
    """Why it failed or was skipped: the first line pytest gives."""


def run_tests(
    config_root: Path,
    package_parent: Path,
    test_files: Sequence[Path],
    environment: Mapping[str, str] | None = None,
) -> list[Outcome]:
    """Run test files against the package in `package_parent`; return each outcome.

    Raises:
        MissingPytestError: pytest is not installed.
        TestsTooSlowError: the tests ran past `TIMEOUT_SECONDS`.
    """
    if importlib.util.find_spec("pytest") is None:
        raise MissingPytestError
    env = {
        **os.environ,
        **(environment or {}),
        "PYTHONPATH": str(package_parent),
        # Nothing is left behind in the workspace or the installed material.
        "PYTHONDONTWRITEBYTECODE": "1",
        # The exercise tests need no plugin; loading every installed one (a
        # developer's machine has many) takes longer than the tests.
        "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1",
    }
    with tempfile.TemporaryDirectory() as scratch:
        report = Path(scratch) / "report.xml"
        try:
            _run_pytest(config_root, test_files, env, Path(scratch))
        except subprocess.TimeoutExpired:
            raise TestsTooSlowError(TIMEOUT_SECONDS) from None
        if not report.exists():
            return []
        return read_report(report.read_text("utf-8"))


def _run_pytest(
    config_root: Path, test_files: Sequence[Path], env: dict[str, str], scratch: Path
) -> None:
    """Run pytest on the files, writing its report to `scratch / "report.xml"`."""
    report = scratch / "report.xml"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-c",
            str(config_root / "pytest.ini"),
            "--rootdir",
            str(config_root),
            "-q",
            "--no-header",
            "-p",
            "no:cacheprovider",
            f"--junitxml={report}",
            f"--basetemp={scratch / 'tmp'}",
            *map(str, test_files),
        ],
        cwd=config_root,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        timeout=TIMEOUT_SECONDS,
        check=False,
    )


def read_report(xml: str) -> list[Outcome]:
    """Return the outcomes a JUnit XML report holds."""
    outcomes = []
    for case in ElementTree.fromstring(xml).iter("testcase"):
        module = case.get("classname", "").rpartition(".")[2] or "?"
        result, message = PASSED, ""
        for child in case:
            if child.tag in ("failure", "error"):
                result = FAILED
                message = _reason(child.get("message") or "", child.text or "")
            elif child.tag == "skipped":
                result = SKIPPED
                message = child.get("message") or ""
        first_line = message.strip().splitlines()[0] if message.strip() else ""
        outcomes.append(Outcome(module, case.get("name", "?"), result, first_line))
    return outcomes


def _reason(message: str, details: str) -> str:
    """Return pytest's message, or the error line of the details where it is vague.

    A test file that cannot even be imported (a syntax error, a missing
    package) is reported as "collection failure"; the line that says why is
    the last `E ` line of the details.
    """
    if message and message != "collection failure":
        return message
    errors = [
        line.removeprefix("E").strip()
        for line in details.splitlines()
        if line.startswith("E ")
    ]
    found = errors[-1] if errors else message
    if "No module named 'eventsourcing'" in found:
        return f"{found}: pip install 'connect-four[workshop]'"
    return found
