"""The engine as an adviser: each column's worth, each position's, within a budget.

`EngineAdvisor` is the application's `Advisor`: hints for the player to move
and the worth of every position of a game, for verdicts on its moves. A
server shares one, so its work is bounded three ways: a node budget per
request (the opening book answers first, and costs nothing), one search at a
time (a request that cannot have the engine within a few seconds is refused
with `AdvisorBusyError`, so requests never pile up behind it), and a cache of
recent answers (a finished game's verdicts are worked out once).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Final, TypeVar

from connect_four.ai.book import OpeningBook
from connect_four.ai.engine import Engine, ordered, win_score
from connect_four.ai.position import COLUMN_LETTERS, Position
from connect_four.application.advice import Worth
from connect_four.application.errors import AdvisorBusyError
from connect_four.domain.board import Column

HINT_SECONDS: Final = 1.0
"""The nodes a hint request may search, in seconds at the engine's cautious speed."""
JUDGE_SECONDS: Final = 2.0
"""The nodes the verdicts on one game may search, shared by its positions."""
WAIT_SECONDS: Final = 5.0
"""How long a request waits for the engine before it is refused as busy."""
CACHED: Final = 512
"""Answers kept, per kind; the oldest goes first."""

T = TypeVar("T")


def column_worths(
    engine: Engine | Callable[[], Engine],
    book: OpeningBook,
    position: Position,
    seconds: float,
) -> dict[int, Worth]:
    """Return each legal column's worth to the player to move, within a budget.

    The opening book answers first; the columns it does not know share the
    nodes of `seconds` (at the engine's cautious speed), each searched for its
    result (win, draw or loss) and then, with what is left of its share, for
    its exact score. `engine` may be a factory, called only if the book does
    not know every column.
    """
    known = book_worths(book, position)
    unknown = [column for column in position.legal_columns() if column not in known]
    if unknown:
        searcher = engine if isinstance(engine, Engine) else engine()
        share = int(seconds * searcher.nodes_per_second) // len(unknown)
        for column in ordered(unknown):
            known[column] = solved(searcher, position.play(column), share).flipped()
    return dict(sorted(known.items()))


def book_worths(book: OpeningBook, position: Position) -> dict[int, Worth]:
    """Return the columns whose worth the book knows, from the position or its child.

    The book's move in a position keeps that position's score; a column whose
    resulting position is in the book is worth minus the opponent's score there.
    """
    known: dict[int, Worth] = {}
    own = book.lookup(position)
    if own is not None:
        known[own.column] = Worth(own.score, own.exact)
    for column in position.legal_columns():
        if column in known:
            continue
        if position.is_winning_move(column):
            known[column] = Worth(win_score(position.moves), exact=True)
            continue
        reply = book.lookup(position.play(column))
        if reply is not None:
            known[column] = Worth(-reply.score, reply.exact)
    return known


def solved(engine: Engine, position: Position, nodes: int) -> Worth:
    """Return a position's worth to its player to move, searched within `nodes`.

    The result comes first, being what a player most needs and cheaper to
    find; the exact score gets what is left, helped by the bounds the first
    search stored.
    """
    return solved_counting(engine, position, nodes)[0]


def solved_counting(
    engine: Engine, position: Position, nodes: int
) -> tuple[Worth, int]:
    """Return a position's worth (as `solved`) and the nodes its searches took."""
    if position.is_won():
        # The player who just moved won with that stone: the mover lost.
        return Worth(-win_score(position.moves - 1), exact=True), 0
    if position.is_full():
        return Worth(0, exact=True), 0
    engine.start(nodes)
    result = engine.solve(position, weak=True)
    used = engine.nodes
    if result is None:
        return Worth(None, exact=False), used
    engine.start(max(nodes - used, 0))
    score = engine.solve(position)
    used += engine.nodes
    if score is None:
        return Worth(result, exact=False), used
    return Worth(score, exact=True), used


def position_worths(
    engine: Engine, book: OpeningBook, columns: Sequence[Column], nodes: int
) -> list[Worth]:
    """Return the worth of each position of a game (empty board first) to its mover.

    The book answers the positions it knows, and a position its book move
    leads to. The others are searched from the last to the first: the late
    ones are cheap and leave their bounds in the table for the earlier ones,
    and each gets an equal share of the nodes the later ones left.
    """
    positions = [Position()]
    for column in columns:
        positions.append(positions[-1].play(COLUMN_LETTERS.index(column)))
    worths: list[Worth | None] = [
        _from_book(book, positions, i) for i in range(len(positions))
    ]
    remaining = nodes
    waiting = [index for index, worth in enumerate(worths) if worth is None]
    for count, index in enumerate(reversed(waiting)):
        share = remaining // (len(waiting) - count)
        worths[index], used = solved_counting(engine, positions[index], share)
        remaining -= min(used, share)
    return [Worth(None, False) if worth is None else worth for worth in worths]


def _from_book(
    book: OpeningBook, positions: Sequence[Position], index: int
) -> Worth | None:
    position = positions[index]
    if position.is_won() or position.is_full():
        return None  # solved at no cost
    own = book.lookup(position)
    if own is not None:
        return Worth(own.score, own.exact)
    if index == 0:
        return None
    parent = book.lookup(positions[index - 1])
    if parent is not None and positions[index - 1].play(parent.column) == position:
        return Worth(-parent.score, parent.exact)
    return None


class EngineAdvisor:
    """Hints and position worths from one engine, one request at a time."""

    def __init__(
        self,
        *,
        hint_seconds: float = HINT_SECONDS,
        judge_seconds: float = JUDGE_SECONDS,
        wait_seconds: float = WAIT_SECONDS,
        engine: Engine | None = None,
        book: OpeningBook | None = None,
    ) -> None:
        """Make an adviser; its engine (and numba) load on the first search."""
        self._hint_seconds = hint_seconds
        self._judge_seconds = judge_seconds
        self._wait_seconds = wait_seconds
        self._engine = engine
        self._book = book
        self._lock = threading.Lock()
        self._cache_lock = threading.Lock()
        self._hints: dict[tuple[Column, ...], dict[Column, Worth]] = {}
        self._judged: dict[tuple[Column, ...], list[Worth]] = {}

    def hints(self, moves: Sequence[Column]) -> dict[Column, Worth]:
        """Return each legal column's worth to the player to move after `moves`.

        Raises:
            InvalidPositionError: the moves are not a legal game.
            AdvisorBusyError: the engine stayed busy with other requests.
        """
        key = tuple(moves)
        cached = self._cached(self._hints, key)
        if cached is not None:
            return dict(cached)
        position = Position.from_columns(moves)
        book = self._opening_book()
        if position.is_won() or position.is_full():
            return {}
        known = book_worths(book, position)
        if len(known) < len(position.legal_columns()):
            with self._engine_held() as engine:
                known = column_worths(engine, book, position, self._hint_seconds)
        found = {
            COLUMN_LETTERS[column]: worth for column, worth in sorted(known.items())
        }
        return self._keep(self._hints, key, found)

    def judge(self, moves: Sequence[Column]) -> list[Worth]:
        """Return the worth of each position of the game to its player to move.

        Raises:
            InvalidPositionError: the moves are not a legal game.
            AdvisorBusyError: the engine stayed busy with other requests.
        """
        key = tuple(moves)
        cached = self._cached(self._judged, key)
        if cached is not None:
            return list(cached)
        with self._engine_held() as engine:
            nodes = int(self._judge_seconds * engine.nodes_per_second)
            worths = position_worths(engine, self._opening_book(), moves, nodes)
        return self._keep(self._judged, key, worths)

    @contextmanager
    def _engine_held(self) -> Iterator[Engine]:
        if not self._lock.acquire(timeout=self._wait_seconds):
            raise AdvisorBusyError(self._wait_seconds)
        try:
            if self._engine is None:
                self._engine = Engine()
            yield self._engine
        finally:
            self._lock.release()

    def _opening_book(self) -> OpeningBook:
        if self._book is None:
            self._book = OpeningBook.shipped()
        return self._book

    def _cached(
        self, cache: dict[tuple[Column, ...], T], key: tuple[Column, ...]
    ) -> T | None:
        with self._cache_lock:
            return cache.get(key)

    def _keep(
        self, cache: dict[tuple[Column, ...], T], key: tuple[Column, ...], value: T
    ) -> T:
        with self._cache_lock:
            if len(cache) >= CACHED:
                del cache[next(iter(cache))]
            cache[key] = value
        return value
