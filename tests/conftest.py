"""Options and shared fixtures for the whole test suite."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from connect_four.cli.names_file import NAMES_ENV
from tests.eventsourcing.stores.projection_backends import (
    STORAGE_KINDS,
    Database,
    open_database,
)
from tests.reliability.figures import LONG_ENV


def pytest_addoption(parser: pytest.Parser) -> None:
    """Add `--long`: the reliability suite's full budget, as CONNECT_FOUR_LONG=1."""
    parser.addoption(
        "--long",
        action="store_true",
        default=False,
        help=f"run the reliability tests with their full budget (as {LONG_ENV}=1)",
    )


def pytest_configure(config: pytest.Config) -> None:
    """Turn `--long` into the environment variable the budget is read from.

    The variable, not a flag in this process, so that the processes the
    torture tests start run with the same budget.
    """
    if config.getoption("long"):
        patch = pytest.MonkeyPatch()
        patch.setenv(LONG_ENV, "1")
        config.add_cleanup(patch.undo)
    keep_names_away_from_the_users_file(config)


def keep_names_away_from_the_users_file(config: pytest.Config) -> None:
    """Point the terminal's names file (`CONNECT_FOUR_NAMES`) at a folder of the run.

    Every `play` claims the names it plays under and keeps their secrets in
    that file: the tests, and the processes they start, must never write the
    user's own. One file serves the whole run: each test's store is its own,
    and a claim in one store is nothing to another.
    """
    folder = Path(tempfile.mkdtemp(prefix="connect-four-names-"))
    patch = pytest.MonkeyPatch()
    patch.setenv(NAMES_ENV, str(folder / "names.json"))
    config.add_cleanup(lambda: shutil.rmtree(folder, ignore_errors=True))
    config.add_cleanup(patch.undo)


@pytest.fixture(params=STORAGE_KINDS)
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """Yield a fresh event store and projection storage of each kind in turn."""
    with open_database(request.param, tmp_path) as opened:
        yield opened
