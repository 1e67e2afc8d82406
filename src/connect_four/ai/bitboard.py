"""Bit operations on a position, in the subset of Python that numba compiles.

A position is three integers, as in Pascal Pons' solver: `current` holds the
stones of the side to move, `mask` every stone, `moves` how many were played.
Bits follow `connect_four.domain.board`: column `c` owns bits `c * HEIGHT` up
to `c * HEIGHT + ROWS - 1`, bottom first, with one spare bit on top, so a line
shifted by a direction never wraps into the next column. `current + mask` is a
unique key for the position.

Everything here works on plain ints, so the same code runs compiled (int64, where
a left shift may drop high bits: they are never on the board and get masked off)
and as ordinary Python.

Compiled, it runs without holding the GIL (see `jit` and `watch`).
"""

from __future__ import annotations

from array import array

from connect_four.ai.geometry import BOARD, BOTTOM, ORDER
from connect_four.ai.jit import inline, jit
from connect_four.domain.board import COLUMNS, HEIGHT, ROWS


@inline
def column_cells(column: int) -> int:
    """Return every cell of one column."""
    return ((1 << ROWS) - 1) << (column * HEIGHT)


@inline
def winning_cells(position: int, mask: int) -> int:
    """Return the empty cells that would complete a line of four for `position`.

    For each direction, a cell is winning when three stones lie on one side of
    it, or two on one side and one on the other. Vertically only the cell above
    three stones can be empty, so one test suffices.
    """
    cells = (position << 1) & (position << 2) & (position << 3)
    for shift in (HEIGHT, HEIGHT - 1, HEIGHT + 1):
        pair = (position << shift) & (position << (2 * shift))
        cells |= pair & (position << (3 * shift))
        cells |= pair & (position >> shift)
        pair = (position >> shift) & (position >> (2 * shift))
        cells |= pair & (position << shift)
        cells |= pair & (position >> (3 * shift))
    return cells & (BOARD ^ mask)


@inline
def playable(mask: int) -> int:
    """Return the lowest empty cell of every column that has room."""
    return (mask + BOTTOM) & BOARD


@inline
def can_win_next(current: int, mask: int) -> bool:
    """Return whether the side to move can connect four with this move."""
    return (winning_cells(current, mask) & playable(mask)) != 0


@inline
def non_losing_moves(current: int, mask: int) -> int:
    """Return the playable cells after which the opponent cannot win at once.

    A move must block an opponent's playable winning cell; with two such cells
    there is nothing to play. A move right under an opponent's winning cell
    hands it over, so it is left out too.
    """
    possible = playable(mask)
    threats = winning_cells(current ^ mask, mask)
    forced = possible & threats
    if forced:
        if forced & (forced - 1):
            return 0
        possible = forced
    return possible & ~(threats >> 1)


@inline
def popcount(bits: int) -> int:
    """Return how many bits are set (few, so clearing them one by one is quick)."""
    count = 0
    while bits:
        bits &= bits - 1
        count += 1
    return count


@inline
def threat_count(current: int, mask: int, move: int) -> int:
    """Return how many winning cells the side to move has after playing `move`."""
    return popcount(winning_cells(current | move, mask))


@jit
def order_moves(
    current: int, mask: int, possible: int, hint: int, scratch: array[int], base: int
) -> int:
    """Write the sort keys of the `possible` moves to `scratch`, best first.

    Keys go to `scratch[base:base + count]`; the count is returned. A key is
    the move's threats (winning cells it makes) times 8, plus its closeness to
    the centre in its low three bits, which also say where in `ORDER` its
    column is. The `hint` column, if it is one, comes first whatever its key.
    """
    count = 0
    for index in range(COLUMNS):
        column = ORDER[index]
        move = possible & column_cells(column)
        if move:
            entry = threat_count(current, mask, move) * 8 + (COLUMNS - 1 - index)
            if column == hint:
                entry += 1 << 12
            slot = base + count
            while slot > base and scratch[slot - 1] < entry:
                scratch[slot] = scratch[slot - 1]
                slot -= 1
            scratch[slot] = entry
            count += 1
    return count


@inline
def truncated_half(value: int) -> int:
    """Return value / 2 rounded toward zero, as C does (Pons' search relies on it)."""
    if value < 0:
        return -((-value) // 2)
    return value // 2
