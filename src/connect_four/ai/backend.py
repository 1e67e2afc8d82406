"""Choose, once per process, whether the kernel runs compiled or as Python.

The choice is made when the first engine is built, never at import time:
`CONNECT_FOUR_ENGINE=python` forces plain Python, `numba` requires numba, and
anything else (the default) uses numba when it is installed.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
from dataclasses import dataclass
from types import ModuleType
from typing import Final

from connect_four.ai import jit
from connect_four.ai.errors import BackendUnavailableError

ENGINE_ENV: Final = "CONNECT_FOUR_ENGINE"
KERNEL_MODULES: Final = (
    "connect_four.ai.bitboard",
    "connect_four.ai.solver_kernel",
    "connect_four.ai.search_kernel",
)


@dataclass(frozen=True)
class Backend:
    """The kernel modules as loaded, and whether they are compiled."""

    compiled: bool
    solver: ModuleType
    search: ModuleType


_loaded: Backend | None = None


def load() -> Backend:
    """Return the kernel, importing (and so compiling) it on the first call.

    Raises:
        BackendUnavailableError: numba was required but is not installed.
    """
    global _loaded
    if _loaded is None:
        wanted = os.environ.get(ENGINE_ENV, "auto")
        available = importlib.util.find_spec("numba") is not None
        if wanted == "numba" and not available:
            raise BackendUnavailableError(ENGINE_ENV)
        jit.accelerate = available and wanted != "python"
        modules = [importlib.import_module(name) for name in KERNEL_MODULES]
        _loaded = Backend(jit.accelerate, modules[1], modules[2])
    return _loaded
