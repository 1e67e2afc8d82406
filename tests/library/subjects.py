"""Both games behind one face: our core's app and the library's, on one store kind.

A `Subject` plays the game through the seed's commands and reads back what was
stored, as (type, JSON data) pairs, so one test specifies both games.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol
from uuid import UUID

from connect_four.application import ConnectFourApp, GameState
from connect_four.domain.board import Column
from connect_four.domain.game import Move
from connect_four.eventsourcing.stores import open_store
from connect_four.library.application import LibraryConnectFourApp, open_library_app
from connect_four.persistence.game_repository import EventSourcedGameRepository

Stored = list[tuple[str, dict[str, str]]]

KINDS = ("ours", "library")
STORES = ("memory", "sqlite")


class Commands(Protocol):
    """The seed's commands and queries, as both apps offer them."""

    def create_game(self, player_one: str, player_two: str) -> str: ...
    def make_move(self, game_id: str, move: Move) -> None: ...
    def get_game(self, game_id: str) -> GameState: ...


@dataclass
class Subject:
    """An app and a way to read its stored events."""

    app: Commands
    read: Callable[[str], Stored]
    close: Callable[[], None]

    def play(self, *columns: str) -> str:
        """Start a game between ann and bob and play the columns in turn."""
        game_id = self.app.create_game("ann", "bob")
        for turn, column in enumerate(columns):
            self.app.make_move(game_id, Move(("ann", "bob")[turn % 2], Column(column)))
        return game_id


def subject(kind: str, store: str, folder: Path) -> Subject:
    """Return our app or the library's, on a memory or a SQLite store."""
    url = "memory:" if store == "memory" else f"sqlite:///{folder / 'games.db'}"
    if kind == "library":
        library = open_library_app(url)
        return Subject(
            library, lambda game_id: _library_events(library, game_id), library.close
        )
    events = open_store(url)
    ours = ConnectFourApp.over(EventSourcedGameRepository(events))

    def read(game_id: str) -> Stored:
        return [
            (e.type, json.loads(e.data)) for e in events.read_stream(f"game-{game_id}")
        ]

    return Subject(ours, read, events.close)


def _library_events(app: LibraryConnectFourApp, game_id: str) -> Stored:
    return [
        (e.topic, json.loads(e.state))
        for e in app.recorder.select_events(UUID(game_id))
    ]
