"""The engine: exact and depth-limited search of positions, within node budgets.

An `Engine` owns the kernel's tables, so searches made one after the other
share what they learned: each exact bound in the transposition table holds for
the position whatever the root, and makes the next move's search cheaper. Work
is bounded by a count of positions searched (nodes), never by the clock, so a
search gives the same answer on a fast machine and a slow one;
`Engine.nodes_per_second` converts the time a player will wait into nodes.
"""

from __future__ import annotations

import mmap
from array import array
from dataclasses import dataclass
from typing import Final

from connect_four.ai import backend
from connect_four.ai.geometry import CELLS, ORDER
from connect_four.ai.layout import (
    ABORTED,
    GENERATION,
    LIMIT,
    NODES,
    SCRATCH_SIZE,
    SEARCH_GENERATION,
    STATS_SIZE,
    WIN,
)
from connect_four.ai.position import Position

COMPILED_TABLE_SIZE: Final = 1 << 23
"""2**23 entries: 64 MiB, as in Pons' solver."""
PYTHON_TABLE_SIZE: Final = 1 << 20
SMALLEST_TABLE: Final = 1 << 10
"""The solver's table needs 10 bits of slot for its tags to fit an entry."""
SEARCH_TABLE_SIZE: Final = 1_048_573
COMPILED_NODES_PER_SECOND: Final = 6_000_000
"""A cautious rate for the compiled kernel on a 2-core machine (it measures 7-10M)."""
PYTHON_NODES_PER_SECOND: Final = 30_000
UNLIMITED: Final = 1 << 62


def win_score(moves: int) -> int:
    """Return the score of winning with the next stone after `moves` stones."""
    return (CELLS + 1 - moves) // 2


@dataclass(frozen=True, slots=True)
class Ranking:
    """Column values from one search: exact solver scores or heuristic values."""

    scores: dict[int, int]
    depth: int
    exact: bool


class Engine:
    """Search positions; not safe to share between threads."""

    def __init__(self, table_size: int | None = None) -> None:
        """Build an engine whose exact table holds about `table_size` entries.

        The size is rounded down to a power of two, and to at least 1024.
        """
        kernel = backend.load()
        self.compiled = kernel.compiled
        self._solver = kernel.solver
        self._search = kernel.search
        if table_size is None:
            table_size = COMPILED_TABLE_SIZE if self.compiled else PYTHON_TABLE_SIZE
        table_size = max(SMALLEST_TABLE, 1 << (table_size.bit_length() - 1))
        self._table = zeroed_table(table_size)
        self._keys = array("q", bytes(8 * SEARCH_TABLE_SIZE))
        self._data = array("q", bytes(8 * SEARCH_TABLE_SIZE))
        self._scratch = array("q", bytes(8 * SCRATCH_SIZE))
        self._stats = array("q", bytes(8 * STATS_SIZE))
        self._stats[GENERATION] = 1
        self._stats[SEARCH_GENERATION] = 1
        self.nodes = 0
        """Nodes searched since the last budget was set."""

    @property
    def nodes_per_second(self) -> int:
        """Return a cautious estimate of this engine's speed."""
        return COMPILED_NODES_PER_SECOND if self.compiled else PYTHON_NODES_PER_SECOND

    def clear(self) -> None:
        """Forget every stored bound, so the next search starts cold."""
        self._stats[GENERATION] += 1
        if self._stats[GENERATION] > 255:
            self._table = zeroed_table(len(self._table))
            self._stats[GENERATION] = 1

    def forget_search(self) -> None:
        """Empty the depth-limited search's table, so a new choice starts afresh."""
        self._stats[SEARCH_GENERATION] += 1
        if self._stats[SEARCH_GENERATION] > 255:
            self._keys = array("q", bytes(8 * len(self._keys)))
            self._stats[SEARCH_GENERATION] = 1

    def start(self, node_limit: int | None) -> None:
        """Reset the node count and allow `node_limit` nodes until the next start."""
        self._stats[NODES] = 0
        self._stats[LIMIT] = UNLIMITED if node_limit is None else node_limit
        self._stats[ABORTED] = 0
        self.nodes = 0

    @property
    def searched(self) -> int:
        """Return the nodes searched since the last start, also while a search runs."""
        return int(self._stats[NODES])

    def stop(self) -> None:
        """Make a search running in another thread give up at its next node."""
        self._stats[LIMIT] = -1

    @property
    def exhausted(self) -> bool:
        """Return whether the node budget ran out."""
        return bool(self._stats[ABORTED])

    def solve(self, position: Position, *, weak: bool = False) -> int | None:
        """Return the exact score (or, if weak, its sign), None past the budget."""
        if self.exhausted:
            return None
        score: int = self._solver.solve(
            position.current,
            position.mask,
            position.moves,
            weak,
            self._table,
            self._stats,
            self._scratch,
        )
        self.nodes = self._stats[NODES]
        if self.exhausted:
            return None
        return (score > 0) - (score < 0) if weak else score

    def reaches(self, position: Position, column: int, target: int) -> bool | None:
        """Return whether `column` scores at least `target`; None past the budget."""
        if position.is_winning_move(column):
            return win_score(position.moves) >= target
        child = position.play(column)
        if any(child.is_winning_move(reply) for reply in child.legal_columns()):
            return -win_score(child.moves) >= target
        if self.exhausted:
            return None
        # A null-window probe: the child's score is at most -target or above it.
        bound: int = self._solver.negamax(
            child.current,
            child.mask,
            child.moves,
            -target,
            -target + 1,
            self._table,
            self._stats,
            self._scratch,
        )
        self.nodes = self._stats[NODES]
        if self.exhausted:
            return None
        return bound <= -target

    def best_columns(self, position: Position, *, weak: bool = False) -> Ranking | None:
        """Return the columns that keep the position's exact score, None past budget.

        With `weak`, keep only the result (win, draw or loss); when every move
        loses, every column is returned, since a weak search cannot rank them.
        """
        score = self.solve(position, weak=weak)
        if score is None:
            return None
        columns = position.legal_columns()
        if weak and score < 0:
            return Ranking(dict.fromkeys(columns, score), CELLS - position.moves, False)
        best: dict[int, int] = {}
        for column in ordered(columns):
            reached = self.reaches(position, column, score)
            if reached is None:
                return None
            if reached:
                best[column] = score
        return Ranking(best, CELLS - position.moves, not weak)

    def column_scores(
        self, position: Position, node_limit: int | None = None
    ) -> dict[int, int | None]:
        """Return each legal column's exact score; None for those past the budget.

        Each column gets an equal share of `node_limit`, so one hard column
        does not leave the others unsolved.
        """
        columns = ordered(position.legal_columns())
        share = None if node_limit is None else node_limit // max(len(columns), 1)
        scores: dict[int, int | None] = {}
        for column in columns:
            if position.is_winning_move(column):
                scores[column] = win_score(position.moves)
                continue
            self.start(share)
            child_score = self.solve(position.play(column))
            scores[column] = None if child_score is None else -child_score
        return scores

    def search(self, position: Position, depth: int, *, spread: bool) -> Ranking | None:
        """Return column values from a search `depth` plies deep, None past budget.

        With `spread`, every column gets its true value (slower, for levels
        that choose among good moves); without, only the best columns do and
        the others an upper bound.
        """
        scores: dict[int, int] = {}
        best = -UNLIMITED
        for column in ordered(position.legal_columns()):
            if position.is_winning_move(column):
                scores[column] = win_score(position.moves) * WIN
            else:
                floor = -UNLIMITED if spread else best
                scores[column] = self._search_child(position.play(column), depth, floor)
                if self.exhausted:
                    return None
            best = max(best, scores[column])
        return Ranking(scores, depth, exact=False)

    def _search_child(self, child: Position, depth: int, floor: int) -> int:
        if any(child.is_winning_move(reply) for reply in child.legal_columns()):
            return -win_score(child.moves) * WIN
        # Searching above best - 1 still tells ties apart from worse moves.
        alpha = -UNLIMITED if floor == -UNLIMITED else floor - 1
        value: int = self._search.search(
            child.current,
            child.mask,
            child.moves,
            depth - 1,
            -UNLIMITED,
            -alpha,
            self._keys,
            self._data,
            self._stats,
            self._scratch,
        )
        self.nodes = self._stats[NODES]
        return -value


def zeroed_table(entries: int) -> memoryview:
    """Return a table of 64-bit zeros, in huge pages where the system grants them.

    The solver reads entries all over a large table; with 2 MiB pages instead
    of 4 KiB ones the processor finds their addresses without walking the
    page tables first. The zeros are written at once, so that no search pays
    for the operating system handing out the table's pages one by one.
    """
    memory = mmap.mmap(-1, 8 * entries)
    if hasattr(mmap, "MADV_HUGEPAGE"):
        memory.madvise(mmap.MADV_HUGEPAGE)
    memory.write(bytes(8 * entries))
    return memoryview(memory).cast("q")


def ordered(columns: list[int]) -> list[int]:
    """Return columns from the centre outwards, the order searches try them in."""
    return sorted(columns, key=ORDER.index)
