"""Exercise 6: src/connect_four/eventsourcing/snapshots.py (`Snapshotting`) and
src/connect_four/eventsourcing/repository.py (`Repository` loads from a
snapshot plus the tail). Games are too short to need snapshots in the
project, so the game's snapshotter is here."""

from __future__ import annotations

from typing import Any

from connect_four.application.errors import UnknownGameError
from connect_four.domain.board import Column, Token
from connect_four.domain.events import GameEvent
from connect_four.domain.game import Game
from connect_four.domain.result import GameResult
from connect_four.eventsourcing.errors import AggregateNotFoundError
from connect_four.eventsourcing.repository import Repository
from connect_four.eventsourcing.snapshots import Snapshotting, SnapshottingRepository
from connect_four.eventsourcing.store import EventStore
from connect_four.eventsourcing.stores.memory.snapshots import InMemorySnapshotStore
from connect_four.persistence.codec import GAME_STREAM_PREFIX, game_codec


def take_snapshot(game: Game) -> dict[str, Any]:
    """Return the game's state as JSON-able data."""
    return {
        "player_one": game.player_one,
        "player_two": game.player_two,
        "next_player": game.next_player,
        "result": None if game.result is None else game.result.value,
        "board": {
            column.value: [t.value for t in tokens]
            for column, tokens in game.board.items()
        },
    }


def restore_snapshot(game_id: str, version: int, state: dict[str, Any]) -> Game:
    """Return a game in the state a snapshot holds, at that version."""
    game = Game(game_id)
    game.player_one = state["player_one"]
    game.player_two = state["player_two"]
    game.next_player = state["next_player"]
    game.result = None if state["result"] is None else GameResult(state["result"])
    for column, tokens in state["board"].items():
        for token in tokens:
            game._board.drop(Column(column), Token(token))
    game.version = version
    return game


class GameSnapshotter:
    """The `Snapshotter` of games for the project's `Repository`."""

    version = 1

    def take(self, aggregate: Game) -> dict[str, Any]:
        """Return the game's state as JSON-able data."""
        return take_snapshot(aggregate)

    def restore(self, aggregate_id: str, state: dict[str, Any]) -> Game:
        """Return a game in that state (the repository sets its version)."""
        return restore_snapshot(aggregate_id, -1, state)


class SnapshottingGameRepository:
    """The project's `Repository` with `Snapshotting`, for games."""

    def __init__(self, store: EventStore, every: int = 10) -> None:
        self._repository: Repository[Game, GameEvent] = SnapshottingRepository(
            store,
            game_codec(),
            Game,
            GAME_STREAM_PREFIX,
            Snapshotting(InMemorySnapshotStore(), GameSnapshotter(), every),
        )

    def add(self, game: Game) -> None:
        """Store the game's new events; take a snapshot when one is due."""
        self._repository.add(game)

    def get(self, game_id: str) -> Game:
        """Load from the newest snapshot plus the events after it."""
        try:
            return self._repository.get(game_id)
        except AggregateNotFoundError:
            raise UnknownGameError(game_id) from None
