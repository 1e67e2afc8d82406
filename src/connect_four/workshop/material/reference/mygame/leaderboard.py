"""Exercise 5: src/connect_four/readmodels/leaderboard.py, run by
src/connect_four/eventsourcing/projections.py (`ProjectionRunner`), its checkpoint
kept in src/connect_four/eventsourcing/stores/memory/projection_storage.py."""

from __future__ import annotations

from dataclasses import dataclass

from connect_four.eventsourcing.projections import ProjectionRunner
from connect_four.eventsourcing.store import EventStore
from connect_four.eventsourcing.stores.memory.projection_storage import (
    InMemoryProjectionStorage,
)
from connect_four.persistence.codec import GAME_STREAM_PREFIX, game_codec
from connect_four.readmodels.leaderboard import LeaderboardProjection, standings


@dataclass(frozen=True)
class Standing:
    """One player's line on the leaderboard."""

    player: str
    wins: int
    losses: int
    draws: int


class Leaderboard:
    """The project's leaderboard projection, behind the exercise's interface."""

    def __init__(self, store: EventStore) -> None:
        self._storage = InMemoryProjectionStorage()
        self._runner = ProjectionRunner(
            store,
            self._storage,
            LeaderboardProjection(game_codec(), GAME_STREAM_PREFIX),
        )
        self._checkpoint = 0

    @property
    def checkpoint(self) -> int:
        """Return the global position of the last event read."""
        return self._checkpoint

    def catch_up(self) -> None:
        """Read every event after the checkpoint."""
        self._checkpoint = self._runner.catch_up().checkpoint

    def standings(self) -> list[Standing]:
        """Return every standing: most wins first, then by name."""
        found = [
            Standing(s.player, s.wins, s.losses, s.draws)
            for s in standings(self._storage)
        ]
        return sorted(found, key=lambda s: (-s.wins, s.player))

    def rebuild(self) -> None:
        """Read the whole log again into a fresh read model."""
        self._checkpoint = self._runner.rebuild().checkpoint
