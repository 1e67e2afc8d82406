"""The exact solver: Pascal Pons' negamax, in the subset of Python numba compiles.

Scores follow the convention of his test sets: for the side to move, a win when
it has played its k-th stone scores 22 - k, a loss against an opponent's k-th
stone k - 22, a draw 0. The search proves a score with null-window probes
(is the score above m?), each pruned by alpha-beta, bounded by the scores that
are still reachable, and helped by a transposition table that keeps a lower or
an upper bound per position, and the column that last refuted it. Moves are
tried from that column, then from the one that leaves the most winning cells,
ties going to the centre. Losing moves (letting the opponent win at once) are
never searched.

The search is one loop over an explicit stack rather than a recursive call
per position: compiled, a node then costs no call, no argument passing and no
reference counting, and every position stays in registers or in `scratch`.

State lives in buffers the caller owns, so this module holds no globals that
change: `table` (the transposition table, a memoryview of 64-bit entries),
`stats` (node count, node limit, aborted flag and the generations of this
table and of the search's, indexed by the constants below) and `scratch`
(one frame per ply: the position, its window and its sorted moves).

Compiled, it runs without holding the GIL (see `jit` and `watch`).
"""

from __future__ import annotations

from array import array
from typing import Final

from connect_four.ai.bitboard import (
    can_win_next,
    column_cells,
    non_losing_moves,
    popcount,
    truncated_half,
    winning_cells,
)
from connect_four.ai.geometry import CELLS, ORDER
from connect_four.ai.jit import inline, jit, prefetcher
from connect_four.ai.layout import (
    ABORTED,
    FRAME,
    GENERATION,
    LIMIT,
    MAX_SCORE,
    MIN_SCORE,
    NODES,
)
from connect_four.domain.board import COLUMNS

prefetch = prefetcher()
UPPER_BOUND_TOP: Final = MAX_SCORE - MIN_SCORE + 1
"""Stored values up to this are upper bounds, above it lower bounds."""
LOWER_BOUND_OFFSET: Final = MAX_SCORE - 2 * MIN_SCORE + 2
TAG_SHIFT: Final = 19
"""An entry: value in bits 0-7, generation 8-15, refuting column + 1 in 16-18, tag."""
SPREAD: Final = 0x4F1BBCDCBFA53E0B
"""An odd multiplier (2**63 over the golden ratio) that scatters a key's tag."""
LOW_63: Final = (1 << 63) - 1
HINTED: Final = 1023
"""The sort key of the column the table names: above any threat count."""
MOVE_BITS: Final = (1 << 49) - 1
"""A move in a frame: its cell in the low 49 bits, its column and sort key above."""
REFRESH: Final = 4095
"""Every 4096 nodes the count is published and the limit read again (`stop`)."""
CURRENT: Final = 0
MASK: Final = 1
ALPHA: Final = 2
BETA: Final = 3
HINT: Final = 4
COUNT: Final = 5
NEXT: Final = 6
MOVES: Final = 7
"""Where a frame keeps its position, window, table hint and sorted moves."""


@inline
def slot_of(key: int, bits: int) -> int:
    """Return the slot of a key in a table of 2**bits entries.

    The key's low bits are flipped by a hash of its tag (the bits above them),
    and the tag is stored in the entry: from slot and tag the key follows, so
    a match is exact, with no division (a prime-sized table needs two per
    probe). The product keeps its low 63 bits, compiled (where it wraps) as in
    Python.
    """
    scattered = ((key >> bits) * SPREAD) & LOW_63
    return (key ^ (scattered >> (63 - bits))) & ((1 << bits) - 1)


@inline
def sort_moves(
    current: int,
    mask: int,
    possible: int,
    hint: int,
    scratch: array[int],
    base: int,
    table: memoryview,
    bits: int,
) -> int:
    """Write the `possible` moves to the frame at `base`, best first; return how many.

    A move's sort key is the winning cells it makes times 8 plus its closeness
    to the centre (so keys never tie), or `HINTED` for the table's column.
    The table entry of each child is prefetched meanwhile.
    """
    child_key = (current ^ mask) + mask
    count = 0
    for index in range(COLUMNS):
        column = ORDER[index]
        move = possible & column_cells(column)
        if move:
            prefetch(table, slot_of(child_key + move, bits))
            threats = popcount(winning_cells(current | move, mask))
            key = threats * 8 + COLUMNS - 1 - index
            if column + 1 == hint:
                key = HINTED
            entry = (key << 52) | (column << 49) | move
            slot = base + MOVES + count
            while slot > base + MOVES and scratch[slot - 1] < entry:
                scratch[slot] = scratch[slot - 1]
                slot -= 1
            scratch[slot] = entry
            count += 1
    return count


@jit
def negamax(
    current: int,
    mask: int,
    moves: int,
    alpha: int,
    beta: int,
    table: memoryview,
    stats: array[int],
    scratch: array[int],
) -> int:
    """Return the score if within (alpha, beta), else a bound on the far side.

    The side to move must not be able to win at once (the caller checks). When
    the node limit is reached, set the aborted flag and return a meaningless 0.
    The table keeps a lower bound for a position whose search was cut off (with
    the column that did it) and an upper bound for one whose every move failed.
    """
    bits = 0
    while 2 << bits <= len(table):
        bits += 1
    generation = stats[GENERATION]
    nodes = stats[NODES]
    limit = stats[LIMIT]
    root = moves
    result = 0
    base = 0
    while True:
        # Enter the position: settle its result at once, or push its frame.
        nodes += 1
        if nodes & REFRESH == 0:
            stats[NODES] = nodes
            limit = stats[LIMIT]
        if nodes > limit:
            stats[NODES] = nodes
            stats[ABORTED] = 1
            return 0
        settled = True
        possible = non_losing_moves(current, mask)
        if possible == 0:
            result = -((CELLS - moves) // 2)
        elif moves >= CELLS - 2:
            result = 0
        else:
            settled = False
            low = -((CELLS - 2 - moves) // 2)
            if alpha < low:
                alpha = low
                if alpha >= beta:
                    result = alpha
                    settled = True
            high = (CELLS - 1 - moves) // 2
            if not settled and beta > high:
                beta = high
                if alpha >= beta:
                    result = beta
                    settled = True
        if not settled:
            key = current + mask
            entry = table[slot_of(key, bits)]
            hint = 0
            if entry >> TAG_SHIFT == key >> bits and (entry >> 8) & 255 == generation:
                hint = (entry >> 16) & 7
                stored = entry & 255
                if stored > UPPER_BOUND_TOP:
                    low = stored - LOWER_BOUND_OFFSET
                    if alpha < low:
                        alpha = low
                        if alpha >= beta:
                            result = alpha
                            settled = True
                else:
                    high = stored + MIN_SCORE - 1
                    if beta > high:
                        beta = high
                        if alpha >= beta:
                            result = beta
                            settled = True
        if not settled:
            base = moves * FRAME
            scratch[base + CURRENT] = current
            scratch[base + MASK] = mask
            scratch[base + ALPHA] = alpha
            scratch[base + BETA] = beta
            scratch[base + HINT] = hint
            count = sort_moves(
                current, mask, possible, hint, scratch, base, table, bits
            )
            scratch[base + COUNT] = count
            scratch[base + NEXT] = 0
        while True:
            if settled:
                # Hand the result to the parent's frame, or return it.
                if moves == root:
                    stats[NODES] = nodes
                    return result
                moves -= 1
                base = moves * FRAME
                score = -result
                beta = scratch[base + BETA]
                mask = scratch[base + MASK]
                if score >= beta:
                    key = scratch[base + CURRENT] + mask
                    tried = scratch[base + MOVES + scratch[base + NEXT] - 1]
                    column = (tried >> 49) & 7
                    table[slot_of(key, bits)] = (
                        ((key >> bits) << TAG_SHIFT)
                        | ((column + 1) << 16)
                        | (generation << 8)
                        | (score + LOWER_BOUND_OFFSET)
                    )
                    result = score
                    continue
                alpha = scratch[base + ALPHA]
                if score > alpha:
                    alpha = score
                    scratch[base + ALPHA] = alpha
                settled = False
            index = scratch[base + NEXT]
            if index < scratch[base + COUNT]:
                scratch[base + NEXT] = index + 1
                move = scratch[base + MOVES + index] & MOVE_BITS
                current = scratch[base + CURRENT] ^ mask
                mask |= move
                moves += 1
                alpha, beta = -beta, -alpha
                break
            # Every move failed low: alpha is an upper bound.
            key = scratch[base + CURRENT] + mask
            table[slot_of(key, bits)] = (
                ((key >> bits) << TAG_SHIFT)
                | (scratch[base + HINT] << 16)
                | (generation << 8)
                | (alpha - MIN_SCORE + 1)
            )
            result = alpha
            settled = True


@jit
def solve(
    current: int,
    mask: int,
    moves: int,
    weak: bool,
    table: memoryview,
    stats: array[int],
    scratch: array[int],
) -> int:
    """Return the position's score (weak: only its sign is meaningful).

    Narrow the range of possible scores by null-window probes, each halving it
    and biased toward 0, where probes are cheapest. If the node limit is
    reached, the aborted flag is set and the value is meaningless.
    """
    if can_win_next(current, mask):
        return (CELLS + 1 - moves) // 2
    low = -((CELLS - moves) // 2)
    high = (CELLS + 1 - moves) // 2
    if weak:
        low = -1
        high = 1
    while low < high:
        middle = low + (high - low) // 2
        if middle <= 0 and truncated_half(low) < middle:
            middle = truncated_half(low)
        elif middle >= 0 and truncated_half(high) > middle:
            middle = truncated_half(high)
        result = negamax(
            current, mask, moves, middle, middle + 1, table, stats, scratch
        )
        if stats[ABORTED]:
            return 0
        if result <= middle:
            high = result
        else:
            low = result
    return low
