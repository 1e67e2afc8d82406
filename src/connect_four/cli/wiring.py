"""Build the app once per command: store from settings, repository, service."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from connect_four.application.game_repository import EventSourcedGameRepository
from connect_four.application.service import ConnectFourApp
from connect_four.cli.settings import store_url
from connect_four.eventsourcing.store import EventStore
from connect_four.eventsourcing.stores import open_store


@dataclass(frozen=True)
class Wiring:
    """The pieces a command works with, all over one open store."""

    store: EventStore
    games: EventSourcedGameRepository
    app: ConnectFourApp


@contextmanager
def open_app(args: argparse.Namespace) -> Iterator[Wiring]:
    """Open the store the settings choose, yield the app over it, then close it.

    Raises:
        InvalidStoreURLError: the URL names no known store.
        StoreUnavailableError: the store cannot be opened.
    """
    store = open_store(store_url(args))
    try:
        games = EventSourcedGameRepository(store)
        yield Wiring(store, games, ConnectFourApp(games))
    finally:
        store.close()
