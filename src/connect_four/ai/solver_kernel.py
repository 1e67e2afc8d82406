"""The exact solver: Pascal Pons' negamax, in the subset of Python numba compiles.

Scores follow the convention of his test sets: for the side to move, a win when
it has played its k-th stone scores 22 - k, a loss against an opponent's k-th
stone k - 22, a draw 0. The search proves a score with null-window probes
(is the score above m?), each pruned by alpha-beta, bounded by the scores that
are still reachable, and helped by a transposition table that keeps a lower or
an upper bound per position. Moves are tried from the one that leaves the most
winning cells, ties going to the centre. Losing moves (letting the opponent win
at once) are never searched.

State lives in arrays the caller owns, so this module holds no globals that
change: `table` (the transposition table), `stats` (node count, node limit,
aborted flag and the generations of this table and of the search's, indexed
by the constants below) and
`scratch` (the move lists of every ply).

Compiled, it runs without holding the GIL (see `jit` and `watch`).
"""

from __future__ import annotations

from array import array
from typing import Final

from connect_four.ai.bitboard import (
    can_win_next,
    column_cells,
    non_losing_moves,
    order_moves,
    truncated_half,
)
from connect_four.ai.geometry import CELLS, ORDER
from connect_four.ai.jit import jit
from connect_four.ai.layout import (
    ABORTED,
    GENERATION,
    LIMIT,
    MAX_SCORE,
    MIN_SCORE,
    NODES,
)
from connect_four.domain.board import COLUMNS

UPPER_BOUND_TOP: Final = MAX_SCORE - MIN_SCORE + 1
"""Stored values up to this are upper bounds, above it lower bounds."""
LOWER_BOUND_OFFSET: Final = MAX_SCORE - 2 * MIN_SCORE + 2


@jit
def table_get(table: array[int], stats: array[int], key: int) -> int:
    """Return the stored bound of a position, or 0 if the table has none.

    An entry packs the key's quotient by the table size (the slot is its
    remainder, so both together identify the key), the generation that wrote
    it (bumping the generation empties the table at no cost) and the value.
    """
    size = len(table)
    entry = table[key % size]
    if entry >> 16 == key // size and (entry >> 8) & 255 == stats[GENERATION]:
        return entry & 255
    return 0


@jit
def table_put(table: array[int], stats: array[int], key: int, value: int) -> None:
    """Store a bound of a position, replacing whatever held its slot."""
    size = len(table)
    table[key % size] = ((key // size) << 16) | (stats[GENERATION] << 8) | value


@jit
def negamax(
    current: int,
    mask: int,
    moves: int,
    alpha: int,
    beta: int,
    table: array[int],
    stats: array[int],
    scratch: array[int],
) -> int:
    """Return the score if within (alpha, beta), else a bound on the far side.

    The side to move must not be able to win at once (the caller checks). When
    the node limit is reached, set the aborted flag and return a meaningless 0;
    callers then unwind without storing anything.
    """
    stats[NODES] += 1
    if stats[NODES] > stats[LIMIT]:
        stats[ABORTED] = 1
        return 0
    possible = non_losing_moves(current, mask)
    if possible == 0:
        return -((CELLS - moves) // 2)
    if moves >= CELLS - 2:
        return 0
    low = -((CELLS - 2 - moves) // 2)
    if alpha < low:
        alpha = low
        if alpha >= beta:
            return alpha
    high = (CELLS - 1 - moves) // 2
    if beta > high:
        beta = high
        if alpha >= beta:
            return beta
    key = current + mask
    stored = table_get(table, stats, key)
    if stored > UPPER_BOUND_TOP:
        low = stored - LOWER_BOUND_OFFSET
        if alpha < low:
            alpha = low
            if alpha >= beta:
                return alpha
    elif stored:
        high = stored + MIN_SCORE - 1
        if beta > high:
            beta = high
            if alpha >= beta:
                return beta
    base = moves * COLUMNS
    # No hint: threats first, then closeness to the centre.
    count = order_moves(current, mask, possible, -1, scratch, base)
    opponent = current ^ mask
    for rank in range(count):
        column = ORDER[COLUMNS - 1 - (scratch[base + rank] & 7)]
        move = possible & column_cells(column)
        score = -negamax(
            opponent, mask | move, moves + 1, -beta, -alpha, table, stats, scratch
        )
        if stats[ABORTED]:
            return 0
        if score >= beta:
            table_put(table, stats, key, score + LOWER_BOUND_OFFSET)
            return score
        if score > alpha:
            alpha = score
    table_put(table, stats, key, alpha - MIN_SCORE + 1)
    return alpha


@jit
def solve(
    current: int,
    mask: int,
    moves: int,
    weak: bool,
    table: array[int],
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
