"""The depth-limited search of the weaker levels, in the subset numba compiles.

Alpha-beta negamax to a given depth, with the solver's exact tactics (never
search a move that lets the opponent win at once) and an evaluation at the
horizon. Scores share one scale: a proven result is the solver's score times
`WIN`, so a sooner win is worth more; an evaluation stays strictly between
-WIN and WIN. A transposition table keeps, per position, the depth searched, the
kind of bound, the value and the best column, which is tried first next time.

Compiled, it runs without holding the GIL (see `jit` and `watch`).
"""

from __future__ import annotations

from array import array
from typing import Final

from connect_four.ai.bitboard import (
    column_cells,
    non_losing_moves,
    order_moves,
    popcount,
    winning_cells,
)
from connect_four.ai.geometry import CELLS, CENTRE, EVEN_ROWS, ODD_ROWS, ORDER
from connect_four.ai.jit import jit
from connect_four.ai.layout import ABORTED, LIMIT, NODES, SEARCH_GENERATION, WIN
from connect_four.domain.board import COLUMNS

INFINITY: Final = 1 << 20
EXACT: Final = 0
LOWER: Final = 1
UPPER: Final = 2
VALUE_OFFSET: Final = 1 << 15


@jit
def evaluate(current: int, mask: int, moves: int) -> int:
    """Return a guess at the side to move's prospects, strictly within +-WIN.

    Count the empty cells that would complete a line for each side, doubling
    those on rows that favour their owner at the end of the game (odd rows for
    the first player, even rows for the second), and add stones in the centre
    column, which takes part in the most lines.
    """
    opponent = current ^ mask
    mine = winning_cells(current, mask)
    theirs = winning_cells(opponent, mask)
    if moves % 2 == 0:
        my_rows = ODD_ROWS
        their_rows = EVEN_ROWS
    else:
        my_rows = EVEN_ROWS
        their_rows = ODD_ROWS
    score = 3 * (popcount(mine) - popcount(theirs))
    score += 3 * (popcount(mine & my_rows) - popcount(theirs & their_rows))
    score += popcount(current & CENTRE) - popcount(opponent & CENTRE)
    return score


@jit
def search(
    current: int,
    mask: int,
    moves: int,
    depth: int,
    alpha: int,
    beta: int,
    keys: array[int],
    data: array[int],
    stats: array[int],
    scratch: array[int],
) -> int:
    """Return the negamax value to `depth` if within (alpha, beta), else a bound.

    The side to move must not be able to win at once (the caller checks). When
    the node limit is reached, set the aborted flag and return a meaningless 0.
    """
    stats[NODES] += 1
    if stats[NODES] > stats[LIMIT]:
        stats[ABORTED] = 1
        return 0
    possible = non_losing_moves(current, mask)
    if possible == 0:
        return -((CELLS - moves) // 2) * WIN
    if moves >= CELLS - 2:
        return 0
    if depth <= 0:
        return evaluate(current, mask, moves)
    key = current + mask
    slot = key % len(keys)
    stamp = key * 256 + stats[SEARCH_GENERATION]
    hint = -1
    if keys[slot] == stamp:
        entry = data[slot]
        hint = (entry >> 24) - 1
        if (entry >> 16) & 63 >= depth:
            value = (entry & 65535) - VALUE_OFFSET
            flag = (entry >> 22) & 3
            if flag == EXACT:
                return value
            if flag == LOWER and value >= beta:
                return value
            if flag == UPPER and value <= alpha:
                return value
    base = moves * COLUMNS
    count = order_moves(current, mask, possible, hint, scratch, base)
    opponent = current ^ mask
    original_alpha = alpha
    best = -INFINITY
    best_column = -1
    for rank in range(count):
        column = ORDER[COLUMNS - 1 - (scratch[base + rank] & 7)]
        move = possible & column_cells(column)
        score = -search(
            opponent,
            mask | move,
            moves + 1,
            depth - 1,
            -beta,
            -alpha,
            keys,
            data,
            stats,
            scratch,
        )
        if stats[ABORTED]:
            return 0
        if score > best:
            best = score
            best_column = column
        if score > alpha:
            alpha = score
            if alpha >= beta:
                break
    flag = EXACT
    if best <= original_alpha:
        flag = UPPER
    elif best >= beta:
        flag = LOWER
    keys[slot] = stamp
    data[slot] = (
        ((best_column + 1) << 24) | (flag << 22) | (depth << 16) | (best + VALUE_OFFSET)
    )
    return best
