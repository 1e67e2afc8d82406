"""Build the app once per command: store from settings, repository, service.

Commands that play or show a game use only the app and the queries (`app`,
`log`); the store and the repository are handed out for the composition
roots that build more on them (`serve`, `play`'s tables) and for `check`,
which scans the store itself.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from connect_four.application.service import ConnectFourApp
from connect_four.cli.settings import store_url
from connect_four.eventsourcing.store import EventStore
from connect_four.eventsourcing.stores import open_store
from connect_four.persistence.game_log import GameLog
from connect_four.persistence.game_repository import EventSourcedGameRepository


@dataclass(frozen=True)
class Wiring:
    """The pieces a command works with, all over one open store."""

    store: EventStore
    games: EventSourcedGameRepository
    app: ConnectFourApp
    log: GameLog


@contextmanager
def open_app(
    args: argparse.Namespace,
    decorate: Callable[[EventStore], EventStore] | None = None,
) -> Iterator[Wiring]:
    """Open the store the settings choose, yield the app over it, then close it.

    `decorate` wraps the store before anything uses it (the server measures
    its appends that way).

    Raises:
        InvalidStoreURLError: the URL names no known store.
        StoreUnavailableError: the store cannot be opened.
    """
    opened = open_store(store_url(args))
    store = opened if decorate is None else decorate(opened)
    try:
        games = EventSourcedGameRepository(store)
        yield Wiring(store, games, ConnectFourApp.over(games), GameLog(store))
    finally:
        store.close()
