"""The web's tables kept in an event store, beside their games: `table_service`."""

from __future__ import annotations

from connect_four.application.service import ConnectFourApp
from connect_four.application.tables import ComputerPlayers, TableService
from connect_four.domain.table import Table, TableEvent
from connect_four.eventsourcing.repository import Repository, StreamStore
from connect_four.persistence.codec import TABLE_STREAM_PREFIX, table_codec
from connect_four.persistence.game_repository import EventSourcedGameRepository
from connect_four.persistence.players import player_service


def table_repository(store: StreamStore) -> Repository[Table, TableEvent]:
    """Return the repository of the tables kept in `store`, in `seats-{id}` streams."""
    return Repository(store, table_codec(), Table, TABLE_STREAM_PREFIX)


def table_service(
    app: ConnectFourApp,
    store: StreamStore,
    computers: ComputerPlayers | None = None,
    *,
    via: str = "web",
) -> TableService:
    """Return the table service over the store that `app`'s repository writes to."""
    return TableService(
        app,
        EventSourcedGameRepository(store),
        table_repository(store),
        computers,
        players=player_service(store, via=via),
        via=via,
    )
