"""How each level chooses a move: the search it affords and the mistakes it makes.

Every level is a function of the engine, the position, a random source and a
node budget, so that a choice depends on nothing else. The levels differ in
what they search, not in how much they are told: easy looks two moves ahead and
often misses what it sees, medium looks six ahead, hard deepens as far as a
second allows and solves endgames exactly, and perfect plays from its opening
book, then solves, and searches only when solving would take too long.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final, TypeAlias

from connect_four.ai.book import OpeningBook
from connect_four.ai.engine import Engine, Ranking, win_score
from connect_four.ai.errors import NoSearchError
from connect_four.ai.geometry import CELLS
from connect_four.ai.layout import WIN
from connect_four.ai.position import Position

EASY_TAKES_WIN: Final = 0.9
EASY_BLOCKS: Final = 0.7
EASY_TEMPERATURE: Final = 4.0
EASY_CLAMP: Final = 12
"""Easy feels a lost line only this much: it walks into traps a beginner misses."""
MEDIUM_DEPTH: Final = 6
MEDIUM_TEMPERATURE: Final = 2.0
SOLVE_SHARE: Final = 0.625
"""The share of its budget the perfect level gives an exact search (then weak).

Its product with the level's time (1 s) is also the book generator's test of
whether a position needs an entry: change one and regenerate the book."""
WEAK_SHARE: Final = 0.2


@dataclass(frozen=True, slots=True)
class Decision:
    """A column, its score, how deep it was searched and whether it is proven."""

    column: int
    score: int
    depth: int
    exact: bool


Strategy: TypeAlias = Callable[[Engine, Position, random.Random, int], Decision]


def easy(
    engine: Engine, position: Position, rng: random.Random, nodes: int
) -> Decision:
    """Play like a beginner: see wins and threats mostly, and plans rarely."""
    columns = position.legal_columns()
    wins = [column for column in columns if position.is_winning_move(column)]
    if wins and rng.random() < EASY_TAKES_WIN:
        return Decision(rng.choice(wins), win_score(position.moves), 1, True)
    blocks = [column for column in columns if position.opponent_wins_at(column)]
    if blocks and rng.random() < EASY_BLOCKS:
        return Decision(rng.choice(blocks), 0, 1, False)
    engine.forget_search()
    engine.start(nodes)
    ranking = engine.search(position, 2, spread=True)
    if ranking is None:
        return Decision(rng.choice(columns), 0, 0, False)
    clamped = {
        c: max(-EASY_CLAMP, min(EASY_CLAMP, v)) for c, v in ranking.scores.items()
    }
    return _sample(ranking, clamped, EASY_TEMPERATURE, rng)


def medium(
    engine: Engine, position: Position, rng: random.Random, nodes: int
) -> Decision:
    """Look six moves ahead and prefer, but do not always pick, the best move."""
    engine.forget_search()
    engine.start(nodes)
    ranking = engine.search(position, MEDIUM_DEPTH, spread=True)
    if ranking is None:
        ranking = deepen(engine, position, nodes, spread=True)
    return _sample(ranking, ranking.scores, MEDIUM_TEMPERATURE, rng)


def hard(
    engine: Engine, position: Position, rng: random.Random, nodes: int
) -> Decision:
    """Solve exactly if that is cheap, else search as deep as the budget allows."""
    engine.start(nodes // 4)
    ranking = engine.best_columns(position)
    if ranking is None:
        ranking = deepen(engine, position, nodes - nodes // 4)
    return _best(ranking, rng)


def perfect_with(book: OpeningBook) -> Strategy:
    """Return the perfect level's strategy over an opening book."""

    def perfect(
        engine: Engine, position: Position, rng: random.Random, nodes: int
    ) -> Decision:
        """Play the book's move, else an exact one, else the deepest search's."""
        found = book.lookup(position)
        if found is not None:
            depth = CELLS - position.moves
            return Decision(found.column, found.score, depth, found.exact)
        remaining = nodes
        for weak, share in ((False, SOLVE_SHARE), (True, WEAK_SHARE)):
            engine.start(int(nodes * share))
            ranking = engine.best_columns(position, weak=weak)
            if ranking is not None and (
                ranking.exact or min(ranking.scores.values()) >= 0
            ):
                return _best(ranking, rng)
            remaining -= engine.nodes
        # Lost, or too deep to solve: the search gets what the solves left.
        return _best(deepen(engine, position, remaining), rng)

    return perfect


def deepen(
    engine: Engine, position: Position, nodes: int, *, spread: bool = False
) -> Ranking:
    """Search one ply deeper at a time while the budget lasts; return the deepest.

    Each depth starts from the table the last one filled, whose best moves
    are tried first, so the repeated shallow searches cost little.
    """
    engine.forget_search()
    engine.start(None)
    deepest = engine.search(position, 1, spread=spread)
    remaining = nodes - engine.nodes
    for depth in range(2, CELLS - position.moves + 1):
        if deepest is None or abs(max(deepest.scores.values())) >= WIN:
            break
        engine.start(remaining)
        ranking = engine.search(position, depth, spread=spread)
        if ranking is None:
            break
        remaining -= engine.nodes
        deepest = ranking
    if deepest is None:
        raise NoSearchError(position.notation)
    return deepest


def _best(ranking: Ranking, rng: random.Random) -> Decision:
    top = max(ranking.scores.values())
    column = rng.choice([c for c, v in ranking.scores.items() if v == top])
    return _decision(ranking, column)


def _sample(
    ranking: Ranking, values: dict[int, int], temperature: float, rng: random.Random
) -> Decision:
    top = max(values.values())
    columns = list(values)
    weights = [math.exp((values[c] - top) / temperature) for c in columns]
    return _decision(ranking, rng.choices(columns, weights)[0])


def _decision(ranking: Ranking, column: int) -> Decision:
    value = ranking.scores[column]
    if ranking.exact:
        return Decision(column, value, ranking.depth, True)
    if abs(value) >= WIN:
        return Decision(column, value // WIN, ranking.depth, True)
    return Decision(column, value, ranking.depth, False)
