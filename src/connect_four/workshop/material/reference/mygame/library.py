"""Exercise 8: src/connect_four/library/ (game.py, mapper.py, application.py)."""

from __future__ import annotations

from uuid import UUID

from eventsourcing.persistence import StoredEvent

from connect_four.library.application import LibraryConnectFourApp as LibraryApp
from connect_four.library.application import open_library_app as open_app
from connect_four.library.game import Game
from connect_four.library.mapper import SeedMapper


def stored_events(app: LibraryApp, game_id: str) -> list[StoredEvent]:
    """Return a game's stored events, oldest first."""
    return list(app.recorder.select_events(UUID(game_id)))


__all__ = ["Game", "LibraryApp", "SeedMapper", "open_app", "stored_events"]
