"""Exercise 8: the same game on the `eventsourcing` package.

You built the blocks yourself; now let a library provide them. The library's
`Aggregate` keeps the id, the version and the pending events; an event is a
nested class whose `apply` changes the state; `Application` gives you the
repository, `save` with optimistic concurrency, and the recorders.

Keep the game's stored form the seed's (type names and JSON data) with a
`Mapper` of your own, and the seed's commands and queries on the app.
Needs `pip install 'connect-four[workshop]'` (it brings `eventsourcing`).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, DomainEventProtocol
from eventsourcing.persistence import Mapper, StoredEvent

from connect_four.domain.game import Move
from mygame.app import GameState


class Game(Aggregate):
    """A game of Connect Four, on the library's aggregate base."""

    INITIAL_VERSION = 0

    class Started(Aggregate.Created):
        """Two players started a game."""

        player_one: str
        player_two: str

    class MoveMade(Aggregate.Event):
        """A player dropped a token into a column (its letter)."""

        player: str
        column: str

        def apply(self, aggregate: Any) -> None:
            """Change the game's state by this move."""
            raise NotImplementedError("exercise 8")

    class Finished(Aggregate.Event):
        """The game ended with a result (the `GameResult`'s value)."""

        result: str

        def apply(self, aggregate: Any) -> None:
            """Change the game's state by this result."""
            raise NotImplementedError("exercise 8")

    def __init__(self, player_one: str, player_two: str) -> None:
        raise NotImplementedError("exercise 8: the state of a just-started game")

    @classmethod
    def start(cls, player_one: str, player_two: str) -> Game:
        """Check the names, then create the game with its `Started` event."""
        raise NotImplementedError("exercise 8")

    def make_move(self, move: Move) -> None:
        """Check the rules, then trigger `MoveMade` (and `Finished`)."""
        raise NotImplementedError("exercise 8")


class SeedMapper(Mapper[UUID]):
    """Store events as the seed does: its type names, its JSON data."""

    def to_stored_event(self, domain_event: DomainEventProtocol[UUID]) -> StoredEvent:
        """Return the stored form of a game event."""
        raise NotImplementedError("exercise 8")

    def to_domain_event(self, stored_event: StoredEvent) -> DomainEventProtocol[UUID]:
        """Return the game event a stored event holds."""
        raise NotImplementedError("exercise 8")


class LibraryApp(Application[UUID]):
    """The seed's commands and queries, with the library doing the storing."""

    def create_game(self, player_one: str, player_two: str) -> str:
        """Start a game and return its id."""
        raise NotImplementedError("exercise 8")

    def make_move(self, game_id: str, move: Move) -> None:
        """Make a move in a game."""
        raise NotImplementedError("exercise 8")

    def get_game(self, game_id: str) -> GameState:
        """Return the current state of a game."""
        raise NotImplementedError("exercise 8")


def open_app(url: str) -> LibraryApp:
    """Return the app on `memory:` or `sqlite:///PATH`."""
    raise NotImplementedError("exercise 8")


def stored_events(app: LibraryApp, game_id: str) -> list[StoredEvent]:
    """Return a game's stored events, oldest first."""
    raise NotImplementedError("exercise 8")
