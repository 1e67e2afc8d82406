"""Waiting, in tests, for another thread to reach a point: never by a fixed sleep."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Final

import pytest

WAIT_SECONDS: Final = 30.0


def wait_until(condition: Callable[[], bool], what: str) -> None:
    """Return once the condition holds; fail if it never does."""
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"never happened: {what}")
        time.sleep(0.005)
