"""Players and projection runners, to run in processes of their own.

`python -m tests.readmodels.processes play --store URL --seed N --games K`
plays K games; `... project --store URL --stall-after E` catches both
projections up, page by page, and stops dead in the middle of a page once it
has applied E events: it prints `stalled` and sleeps until it is killed.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from typing import Final

from connect_four.application.service import ConnectFourApp
from connect_four.domain.board import Column
from connect_four.domain.events import GameEvent
from connect_four.domain.game import Move
from connect_four.eventsourcing.codec import EventCodec
from connect_four.eventsourcing.events import RecordedEvent
from connect_four.eventsourcing.projection_storage import Documents
from connect_four.eventsourcing.projections import Projection, ProjectionRunner
from connect_four.eventsourcing.slots import Slot
from connect_four.eventsourcing.stores import open_projection_storage, open_store
from connect_four.persistence.codec import GAME_STREAM_PREFIX, game_codec
from connect_four.persistence.game_repository import EventSourcedGameRepository
from connect_four.readmodels.games import GamesProjection
from connect_four.readmodels.leaderboard import LeaderboardProjection

PLAYERS: Final = ("ann", "bob", "cat", "dan", "eve")
TIE: Final = "252577152372312352635465734737661446644111"
"""A game of 42 moves that fills the board with no four in a row."""


def play_games(app: ConnectFourApp, rng: random.Random, count: int) -> None:
    """Play games between random players: most to the end, some abandoned, one tie."""
    for number in range(count):
        one, two = rng.sample(PLAYERS, 2)
        game_id = app.create_game(one, two)
        if number == 1:
            for digit in TIE:
                _move(app, game_id, Column(chr(ord("A") + int(digit) - 1)))
            continue
        abandon_after = rng.choice([None, None, None, rng.randrange(1, 20)])
        moves = 0
        while not app.get_game(game_id).is_finished and moves != abandon_after:
            board = app.get_game(game_id).board
            _move(app, game_id, rng.choice([c for c in Column if len(board[c]) < 6]))
            moves += 1


def _move(app: ConnectFourApp, game_id: str, column: Column) -> None:
    player = app.get_game(game_id).next_player
    if player is None:
        raise RuntimeError(f"game {game_id} is over")
    app.make_move(game_id, Move(player, column))


class StallingProjection:
    """Apply events as the wrapped projection does, until the budget runs out."""

    def __init__(self, inner: Projection[GameEvent], budget: list[int]) -> None:
        self.inner = inner
        self.budget = budget

    @property
    def name(self) -> str:
        return self.inner.name

    @property
    def stream_prefix(self) -> str:
        return self.inner.stream_prefix

    @property
    def codec(self) -> EventCodec[GameEvent]:
        return self.inner.codec

    def apply(
        self, event: GameEvent, record: RecordedEvent, documents: Documents
    ) -> None:
        self.inner.apply(event, record, documents)
        self.budget[0] -= 1
        if self.budget[0] == 0:
            print("stalled", flush=True)
            while True:
                time.sleep(60)


def project(url: str, page_size: int, stall_after: int) -> None:
    """Catch both projections up, stalling mid-page after `stall_after` events."""
    store = open_store(url)
    storage = open_projection_storage(url)
    codec = game_codec()
    budget = [stall_after]
    for projection in (
        GamesProjection(codec, GAME_STREAM_PREFIX),
        LeaderboardProjection(codec, GAME_STREAM_PREFIX),
    ):
        runner = ProjectionRunner(
            store, storage, StallingProjection(projection, budget), page_size=page_size
        )

        def report(slot: Slot) -> None:
            print(f"committed {slot.name} {slot.checkpoint}", flush=True)

        runner.catch_up(report)


def main(argv: list[str] | None = None) -> int:
    """Run one player or one projection runner."""
    parser = argparse.ArgumentParser(prog="python -m tests.readmodels.processes")
    commands = parser.add_subparsers(dest="command", required=True)
    player = commands.add_parser("play")
    player.add_argument("--store", required=True)
    player.add_argument("--seed", type=int, required=True)
    player.add_argument("--games", type=int, required=True)
    projector = commands.add_parser("project")
    projector.add_argument("--store", required=True)
    projector.add_argument("--page-size", type=int, default=50)
    projector.add_argument("--stall-after", type=int, default=-1)
    args = parser.parse_args(argv)
    if args.command == "play":
        store = open_store(args.store)
        app = ConnectFourApp.over(EventSourcedGameRepository(store))
        play_games(app, random.Random(args.seed), args.games)
        store.close()
    else:
        project(args.store, args.page_size, args.stall_after)
    return 0


if __name__ == "__main__":
    sys.exit(main())
