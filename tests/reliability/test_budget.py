"""The reliability tests run short unless `--long` or CONNECT_FOUR_LONG=1 asks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.reliability.figures import LONG, LONG_ENV, SHORT, Budget

ROOT = Path(__file__).resolve().parents[2]


def test_the_budget_is_the_full_one_only_when_asked_for(
    budget: Budget, request: pytest.FixtureRequest
) -> None:
    variable = os.environ.get(LONG_ENV, "") not in ("", "0")
    asked = request.config.getoption("long") or variable

    assert budget == (LONG if asked else SHORT)


def test_the_long_option_asks_for_the_full_budget_without_the_variable() -> None:
    environment = {key: value for key, value in os.environ.items() if key != LONG_ENV}
    probe = test_the_budget_is_the_full_one_only_when_asked_for.__name__
    test = f"{Path(__file__).relative_to(ROOT)}::{probe}"

    pytest_command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]

    done = subprocess.run(
        [*pytest_command, "--long", test],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )

    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 passed" in done.stdout
