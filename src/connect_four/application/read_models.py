"""The read side over this application's streams: games, leaderboard and tables."""

from __future__ import annotations

from connect_four.application.codec import (
    GAME_STREAM_PREFIX,
    TABLE_STREAM_PREFIX,
    game_codec,
    table_codec,
)
from connect_four.eventsourcing.projection_storage import ProjectionStorage
from connect_four.eventsourcing.store import EventStore
from connect_four.eventsourcing.subscriptions import POLL_INTERVAL, AppendNotifier
from connect_four.readmodels import ReadModels


def read_models(
    store: EventStore,
    storage: ProjectionStorage,
    *,
    poll_interval: float = POLL_INTERVAL,
    notifier: AppendNotifier | None = None,
) -> ReadModels:
    """Return the read models of the games and the tables in `store`."""
    return ReadModels(
        store,
        storage,
        game_codec(),
        stream_prefix=GAME_STREAM_PREFIX,
        table_codec=table_codec(),
        table_stream_prefix=TABLE_STREAM_PREFIX,
        poll_interval=poll_interval,
        notifier=notifier,
    )
