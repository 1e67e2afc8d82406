"""Play each level against the one below it; print win rates and move times.

    python -m benchmarks.strength [--games 100] [--pairs easy:medium ...]

The two levels take turns to move first, each game with its own seeds, so
games differ. For each pair the stronger level's wins, draws and losses are
printed, with its think time per move (median, 95th percentile, maximum).
The perfect level's times against hard are the "playable" measure: every
move within 3 s, the median under 0.5 s. Figures only; nothing is asserted.
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import statistics
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from connect_four.ai.engine import Engine
from connect_four.ai.players import LEVELS, ComputerPlayer
from connect_four.ai.position import Position, to_columns

COLUMN_INDEX = {letter: index for index, letter in enumerate("ABCDEFG")}


@dataclass
class Tally:
    """The stronger level's results and think times in one pairing."""

    wins: int = 0
    draws: int = 0
    losses: int = 0
    times: list[float] = field(default_factory=list)


def play(
    first: ComputerPlayer, second: ComputerPlayer, strong: ComputerPlayer, tally: Tally
) -> int:
    """Play one game; return 1 if the first player won, -1 if the second, 0 if drawn."""
    position = Position()
    players = (first, second)
    while True:
        mover = players[position.moves % 2]
        started = time.perf_counter()
        choice = mover.choose(to_columns(position.history))
        if mover is strong:
            tally.times.append(time.perf_counter() - started)
        column = COLUMN_INDEX[choice.column]
        if position.is_winning_move(column):
            return 1 if mover is first else -1
        position = position.play(column)
        if position.is_full():
            return 0


def pairing(weak_level: str, strong_level: str, games: int) -> Tally:
    """Play `games` games between two levels, alternating who moves first.

    Each level keeps one engine for all its games, loaded before the first
    is timed, and gets a fresh player with its own seed for each game.
    """
    tally = Tally()
    engines = {level: Engine() for level in (weak_level, strong_level)}
    for engine in engines.values():
        engine.start(10)
        engine.solve(Position.from_notation("4"))
    for game in range(games):
        weak = ComputerPlayer(
            weak_level, random.Random(game), engine=engines[weak_level]
        )
        strong = ComputerPlayer(
            strong_level, random.Random(10_000 + game), engine=engines[strong_level]
        )
        first, second = (strong, weak) if game % 2 == 0 else (weak, strong)
        outcome = play(first, second, strong, tally)
        result = outcome if first is strong else -outcome
        if result > 0:
            tally.wins += 1
        elif result < 0:
            tally.losses += 1
        else:
            tally.draws += 1
        print(
            f"  {strong_level} v {weak_level} game {game + 1}: {result:+d}", flush=True
        )
    return tally


def main(argv: Sequence[str] | None = None) -> None:
    """Run the pairings and print one summary row each."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.strength")
    parser.add_argument("--games", type=int, default=100)
    default_pairs = [f"{a}:{b}" for a, b in itertools.pairwise(LEVELS)]
    parser.add_argument("--pairs", nargs="*", default=default_pairs)
    args = parser.parse_args(argv)
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    rows = []
    for pair in args.pairs:
        weak_level, strong_level = pair.split(":")
        tally = pairing(weak_level, strong_level, args.games)
        rows.append((weak_level, strong_level, tally))
    print(f"Level against the one below, {args.games} games each (load: {load})")
    print(
        f"{'pairing':18} {'win':>5} {'draw':>5} {'loss':>5} {'win rate':>8}"
        f" {'median':>8} {'p95':>8} {'max':>8}"
    )
    for weak_level, strong_level, tally in rows:
        times = sorted(tally.times)
        p95 = times[int(0.95 * (len(times) - 1))]
        print(
            f"{strong_level + ' v ' + weak_level:18} {tally.wins:5d} {tally.draws:5d}"
            f" {tally.losses:5d} {tally.wins / args.games:8.0%}"
            f" {statistics.median(times):7.3f}s {p95:7.3f}s {times[-1]:7.3f}s"
        )


if __name__ == "__main__":
    main()
