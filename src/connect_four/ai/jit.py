"""Compile the engine's kernel with numba when it is there, else run it as Python.

The kernel modules are written in the subset of Python that numba compiles, and
decorate their functions with `jit`. `jit` reads a choice made once by
`backend.load()` before the first kernel module is imported: numba's `njit` with
its on-disk cache (so the compile happens once per machine), or no change at all
(so the game still runs, more slowly, where numba cannot be installed).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ParamSpec, TypeAlias, TypeVar

Prefetch: TypeAlias = Callable[[memoryview, int], None]
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


def prefetcher() -> Prefetch:
    """Return a function that asks the processor to fetch `table[slot]` to its cache.

    Compiled, it is LLVM's prefetch instruction: a search asks for the table
    entries of a position's children while it sorts them, so the memory reads
    overlap instead of stalling one after the other. In Python it does nothing.
    """
    if not accelerate:
        return _no_prefetch
    from llvmlite import ir  # type: ignore[import-untyped]  # llvmlite ships no types
    from numba import types
    from numba.extending import intrinsic

    def typed(_context: object, table: types.Type, slot: types.Type) -> object:
        return types.void(table, slot), _emit

    def _emit(context: Any, builder: Any, signature: Any, args: list[object]) -> object:
        data = context.make_array(signature.args[0])(context, builder, args[0]).data
        byte = ir.IntType(8).as_pointer()
        address = builder.bitcast(builder.gep(data, [args[1]]), byte)
        word = ir.IntType(32)
        function = builder.module.declare_intrinsic(
            "llvm.prefetch",
            fnty=ir.FunctionType(ir.VoidType(), [address.type, word, word, word]),
        )
        # Read access, high locality, data cache.
        builder.call(function, [address, word(0), word(3), word(1)])
        return context.get_dummy_value()

    # An intrinsic is called from compiled code only, as a Prefetch.
    compiled: Prefetch = intrinsic(typed)  # type: ignore[assignment]
    return compiled


def _no_prefetch(table: memoryview, slot: int) -> None:
    pass
