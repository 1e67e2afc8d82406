"""Exercise 5: a read model, the leaderboard, kept up to date from the global log.

A read model is built only from events, never from the aggregates. This one
reads every stream through the store's global log (`store.read_all(after,
limit)`, oldest first), remembers how far it has read (its *checkpoint*, a
global position), and can be thrown away and rebuilt from position 0.
"""

from __future__ import annotations

from dataclasses import dataclass

from connect_four.eventsourcing.events import RecordedEvent  # noqa: F401
from connect_four.eventsourcing.store import EventStore


@dataclass(frozen=True)
class Standing:
    """One player's line on the leaderboard."""

    player: str
    wins: int
    losses: int
    draws: int


class Leaderboard:
    """Wins, losses and draws of every player, from finished games."""

    def __init__(self, store: EventStore) -> None:
        raise NotImplementedError("exercise 5: keep the store; nothing read yet")

    @property
    def checkpoint(self) -> int:
        """Return the global position of the last event read (0: none yet)."""
        raise NotImplementedError("exercise 5")

    def catch_up(self) -> None:
        """Read every event after the checkpoint, and move the checkpoint."""
        raise NotImplementedError("exercise 5")

    def standings(self) -> list[Standing]:
        """Return every player's standing: most wins first, then by name."""
        raise NotImplementedError("exercise 5")

    def rebuild(self) -> None:
        """Forget everything and read the whole log again."""
        raise NotImplementedError("exercise 5")
