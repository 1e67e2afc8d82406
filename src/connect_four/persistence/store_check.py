"""`check_store`: scan the game's store, each stream against its own rules.

The core's scan (`eventsourcing/integrity.py`) reads every event and finds
rows that cannot be read and positions that skip; what a stream's events
must mean it leaves to a check per stream. This module gives it the game's:
a game, a table of seats and a claimed name are each replayed by their own
repository, so an event that breaks their rules is damage too; any other
stream's events need only be JSON objects.
"""

from __future__ import annotations

from collections.abc import Sequence

from connect_four.eventsourcing.events import RecordedEvent
from connect_four.eventsourcing.integrity import (
    StreamCheck,
    Survey,
    json_objects,
    scan_store,
)
from connect_four.eventsourcing.store import EventStore
from connect_four.persistence.codec import (
    GAME_STREAM_PREFIX,
    PLAYER_STREAM_PREFIX,
    TABLE_STREAM_PREFIX,
)
from connect_four.persistence.game_repository import EventSourcedGameRepository
from connect_four.persistence.players import player_repository
from connect_four.persistence.tables import table_repository


def check_store(store: EventStore) -> Survey:
    """Read every event of the store, without writing, and report each damaged stream.

    Raises:
        StoreUnavailableError: the store cannot be read.
    """
    games = EventSourcedGameRepository(store)
    tables = table_repository(store)
    players = player_repository(store)

    def replay_game(stream: str, records: Sequence[RecordedEvent]) -> None:
        games.replay(stream.removeprefix(GAME_STREAM_PREFIX), records)

    def replay_table(stream: str, records: Sequence[RecordedEvent]) -> None:
        tables.replay(stream.removeprefix(TABLE_STREAM_PREFIX), records)

    def replay_player(stream: str, records: Sequence[RecordedEvent]) -> None:
        players.replay(stream.removeprefix(PLAYER_STREAM_PREFIX), records)

    def check_for(stream: str) -> StreamCheck:
        if stream.startswith(GAME_STREAM_PREFIX):
            return replay_game
        if stream.startswith(TABLE_STREAM_PREFIX):
            return replay_table
        if stream.startswith(PLAYER_STREAM_PREFIX):
            return replay_player
        return json_objects

    return scan_store(store, check_for)
