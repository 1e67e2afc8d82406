"""Given in the workshop: src/connect_four/application/service.py."""

from connect_four.application import ConnectFourApp, GameState
from connect_four.eventsourcing.stores.memory.event_store import InMemoryEventStore
from connect_four.persistence.game_repository import EventSourcedGameRepository


def InMemoryGameRepository() -> EventSourcedGameRepository:  # noqa: N802  (the skeleton's class name)
    """Return a repository over an in-memory store."""
    return EventSourcedGameRepository(InMemoryEventStore())


__all__ = ["ConnectFourApp", "GameState", "InMemoryGameRepository"]
