"""Compile the engine's kernel with numba when it is there, else run it as Python.

The kernel modules are written in the subset of Python that numba compiles, and
decorate their functions with `jit`. `jit` reads a choice made once by
`backend.load()` before the first kernel module is imported: numba's `njit` with
its on-disk cache (so the compile happens once per machine), or no change at all
(so the game still runs, more slowly, where numba cannot be installed).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ParamSpec, TypeVar

Params = ParamSpec("Params")
Result = TypeVar("Result")

accelerate = False
"""Whether kernel modules imported from now on are compiled; set by `backend`."""


def jit(function: Callable[Params, Result]) -> Callable[Params, Result]:
    """Return the function compiled by numba if `accelerate` is set, else itself."""
    if not accelerate:
        return function
    import numba

    # nogil: a search run in a worker thread (see `watch`) leaves the main
    # thread free to draw progress and to take Ctrl-C.
    compiled: Callable[Params, Result] = numba.njit(cache=True, nogil=True)(function)
    return compiled


def inline(function: Callable[Params, Result]) -> Callable[Params, Result]:
    """Return `jit(function)`, compiled into each caller's body rather than called.

    A call between compiled functions passes every argument and checks for an
    exception on return; for the small bit operations a search does at every
    node that costs more than the operation itself.
    """
    if not accelerate:
        return function
    import numba

    compiled: Callable[Params, Result] = numba.njit(
        cache=True, nogil=True, inline="always"
    )(function)
    return compiled
