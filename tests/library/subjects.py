"""Both games behind one face: our core's app and the library's, on one store kind.

A `Subject` plays the game through the seed's commands and reads back what was
stored, as (type, JSON data) pairs, so one test specifies both games. It can
also write such pairs straight into its store, as the other app stored them,
to show that each app reads the other's games.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Protocol
from uuid import UUID

from eventsourcing.persistence import StoredEvent

from connect_four.application import ConnectFourApp, GameState
from connect_four.domain.board import Column
from connect_four.domain.game import Move
from connect_four.eventsourcing.events import NewEvent
from connect_four.eventsourcing.store import StreamState
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
    def resign(self, game_id: str, player: str) -> None: ...
    def claim_win(
        self, game_id: str, player: str, *, waited: timedelta, limit: timedelta
    ) -> None: ...


@dataclass
class Subject:
    """An app, which kind and store it is, and a way to read and write its events."""

    kind: str
    store: str
    app: Commands
    read: Callable[[str], Stored]
    write: Callable[[str, Stored], None]
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
            kind,
            store,
            library,
            lambda game_id: _library_events(library, game_id),
            lambda game_id, stored: _write_library_events(library, game_id, stored),
            library.close,
        )
    events = open_store(url)
    ours = ConnectFourApp.over(EventSourcedGameRepository(events))

    def read(game_id: str) -> Stored:
        return [
            (e.type, json.loads(e.data)) for e in events.read_stream(f"game-{game_id}")
        ]

    def write(game_id: str, stored: Stored) -> None:
        new = [NewEvent(t, json.dumps(d).encode()) for t, d in stored]
        events.append(f"game-{game_id}", new, StreamState.NO_STREAM)

    return Subject(kind, store, ours, read, write, events.close)


def _library_events(app: LibraryConnectFourApp, game_id: str) -> Stored:
    return [
        (e.topic, json.loads(e.state))
        for e in app.recorder.select_events(UUID(game_id))
    ]


def _write_library_events(
    app: LibraryConnectFourApp, game_id: str, stored: Stored
) -> None:
    app.recorder.insert_events(
        [
            StoredEvent(UUID(game_id), position, type_name, json.dumps(data).encode())
            for position, (type_name, data) in enumerate(stored)
        ]
    )
