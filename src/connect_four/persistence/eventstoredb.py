"""The seed's `GameRepository(client=...)`: games kept in KurrentDB (EventStoreDB).

The tutorial's own solution persists games through this name, with a
`kurrentdbclient.KurrentDBClient` (or the older `esdbclient`). This one keeps
that API and the stored format exactly: streams `game-{id}`, event types
`GameStarted`, `MoveMade` and `GameFinished`, and their JSON data. Events the
tutorial's code wrote load here, and games stored here load there.

Unlike the tutorial's version, it appends at the exact version it loaded, so
two players moving at once cannot both succeed: the second gets a
`ConcurrencyError`, which the application retries against the fresh game.
"""

from __future__ import annotations

from connect_four.application.game_repository import EventSourcedGameRepository
from connect_four.eventsourcing.stores.kurrentdb import (
    KurrentDBEventStore,
    StreamsClient,
)


class GameRepository(EventSourcedGameRepository):
    """Persist and load games in KurrentDB through the client's ordinary calls.

    Appends use `append_to_stream` with `current_version` set to the version the
    game was loaded at (`NO_STREAM` for a new game); loads use `get_stream`.
    The client's `WrongCurrentVersionError` becomes a `ConcurrencyError`, and an
    unknown stream (`NotFoundError`) an `UnknownGameError`.
    """

    def __init__(self, client: StreamsClient) -> None:
        self.client = client
        super().__init__(KurrentDBEventStore(client))
