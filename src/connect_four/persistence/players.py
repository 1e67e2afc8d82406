"""Claimed names kept in an event store: `player_service`."""

from __future__ import annotations

from collections.abc import Callable

from connect_four.application.players import PlayerService
from connect_four.application.tables import new_secret
from connect_four.domain.player import Player, PlayerEvent
from connect_four.eventsourcing.repository import Repository, StreamStore
from connect_four.persistence.codec import PLAYER_STREAM_PREFIX, player_codec


def player_repository(store: StreamStore) -> Repository[Player, PlayerEvent]:
    """Return the repository of the names claimed in `store` (`player-{key}`)."""
    return Repository(store, player_codec(), Player, PLAYER_STREAM_PREFIX)


def player_service(
    store: StreamStore,
    *,
    secret: Callable[[], str] = new_secret,
    via: str = "web",
) -> PlayerService:
    """Return the service of the names claimed in `store`."""
    return PlayerService(player_repository(store), secret, via=via)
