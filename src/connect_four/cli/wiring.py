"""The CLI's composition root: open the store once, hand out the app and queries.

Every command that reads or writes games opens the store the settings choose
here, and only here. It gets back application-level objects built over that
one store: the app (`ConnectFourApp`), the game log, the table and player
services, the read models, the store check, or `serve`'s whole web app. The
store, the repositories and the projection storage stay inside this module,
so a command cannot write around the app (an import-linter contract in
pyproject.toml checks that no other command module imports them; `backup`,
`restore` and `migrate`, which copy one store into another, are the
documented exceptions).
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Final

from connect_four.application.service import ConnectFourApp
from connect_four.cli.settings import PROJECTIONS_ENV, data_folder, store_url
from connect_four.eventsourcing.store import EventStore
from connect_four.eventsourcing.stores import (
    holds_read_models,
    is_sqlite_url,
    open_store,
    sqlite_path,
    sqlite_url,
)
from connect_four.persistence.game_log import GameLog
from connect_four.persistence.game_repository import EventSourcedGameRepository

if TYPE_CHECKING:
    from starlette.applications import Starlette

    from connect_four.application.players import PlayerService
    from connect_four.application.tables import ComputerPlayers, TableService
    from connect_four.eventsourcing.integrity import Survey
    from connect_four.readmodels import ReadModels
    from connect_four.web.operations import Operations
    from connect_four.web.rate_limit import RateLimit

VIA: Final = "terminal"
"""How the services record the terminal's commands (the web's are "web")."""
BACKENDS: Final = {"postgres": "postgresql", "esdb": "kurrentdb", "kdb": "kurrentdb"}
"""The metrics' `store` label of each URL scheme that has another name."""


class Wiring:
    """The app, its services and its queries, all over one open store.

    The store itself is not handed out: whatever a command needs of it is
    a service or a query built here.
    """

    def __init__(self, store: EventStore, url: str) -> None:
        self._store = store
        self._url = url
        self.app = ConnectFourApp.over(EventSourcedGameRepository(store))
        self.log = GameLog(store)

    def tables(self, computers: ComputerPlayers | None = None) -> TableService:
        """Return the service of the games played from seats, with `computers`."""
        from connect_four.persistence.tables import table_service

        return table_service(self.app, self._store, computers, via=VIA)

    def players(self) -> PlayerService:
        """Return the service of the claimed names."""
        from connect_four.persistence.players import player_service

        return player_service(self._store, via=VIA)

    def scan(self) -> Survey:
        """Read every event, without writing, and report each damaged stream.

        Raises:
            StoreUnavailableError: the store cannot be read.
        """
        from connect_four.persistence.store_check import check_store

        return check_store(self._store)

    @contextmanager
    def read_models(self, *, follow: bool = False) -> Iterator[ReadModels]:
        """Open the read models over this store, yield them, then close them.

        Raises:
            InvalidStoreURLError: `$CONNECT_FOUR_PROJECTIONS` names no known store.
            StoreUnavailableError: the read models' database cannot be opened.
        """
        with _read_models(self._store, self._url, follow=follow) as read_models:
            yield read_models


@contextmanager
def open_app(args: argparse.Namespace) -> Iterator[Wiring]:
    """Open the store the settings choose, yield the app over it, then close it.

    Raises:
        InvalidStoreURLError: the URL names no known store.
        StoreUnavailableError: the store cannot be opened.
    """
    url = store_url(args)
    store = open_store(url)
    try:
        yield Wiring(store, url)
    finally:
        store.close()


@contextmanager
def open_read_models(
    args: argparse.Namespace, *, follow: bool = False
) -> Iterator[ReadModels]:
    """Open the store and its read models, yield them, then close both.

    With `follow`, the runners are woken by the store's own notifications
    where it has them (PostgreSQL), rather than by polling alone.

    Raises:
        InvalidStoreURLError: a URL names no known store.
        StoreUnavailableError: a store cannot be opened.
    """
    url = store_url(args)
    store = open_store(url)
    try:
        with _read_models(store, url, follow=follow) as read_models:
            yield read_models
    finally:
        store.close()


@contextmanager
def open_web(
    args: argparse.Namespace,
    operations: Operations,
    *,
    rate_limit: RateLimit | None,
    allowed_hosts: Collection[str],
    claim_after: timedelta,
) -> Iterator[Starlette]:
    """Open the store and the read models, yield the web app over them, then close.

    The store's appends are timed, counted and logged for `operations`.

    Raises:
        InvalidStoreURLError: a URL names no known store.
        StoreUnavailableError: a store cannot be opened.
    """
    from connect_four.eventsourcing.stores import open_projection_storage
    from connect_four.readmodels import ReadModels
    from connect_four.web import create_app
    from connect_four.web.measured_store import MeasuredEventStore

    url = store_url(args)
    scheme = url.partition(":")[0].lower()
    store = MeasuredEventStore(
        open_store(url), operations.metrics, BACKENDS.get(scheme, scheme)
    )
    try:
        storage = open_projection_storage(projections_url(url))
        try:
            yield create_app(
                ConnectFourApp.over(EventSourcedGameRepository(store)),
                store,
                ReadModels(store, storage),
                rate_limit=rate_limit,
                allowed_hosts=allowed_hosts,
                operations=operations,
                claim_after=claim_after,
            )
        finally:
            storage.close()
    finally:
        store.close()


def pasteable_store(url: str) -> str:
    """Return a store URL that names the same store from any folder.

    The commands a game prints are pasted in another terminal, which seldom
    starts in this one's folder: there `sqlite://games.db` would open a new,
    empty file and report no such game. So a relative SQLite path is made
    absolute; every other URL is returned as given.

    Raises:
        InvalidStoreURLError: a `sqlite:` URL names no file.
    """
    if not is_sqlite_url(url):
        return url
    path = Path(sqlite_path(url))
    return url if path.is_absolute() else sqlite_url(path.absolute())


def projections_url(url: str) -> str:
    """Return the database the read models live in, for a store URL.

    `$CONNECT_FOUR_PROJECTIONS` if set; else the store's own database when it
    can hold them (SQLite, PostgreSQL); else a SQLite file in the data folder.
    """
    chosen = os.environ.get(PROJECTIONS_ENV)
    if chosen:
        return chosen
    if holds_read_models(url):
        return url
    return f"sqlite://{data_folder() / 'read-models.db'}"


@contextmanager
def _read_models(store: EventStore, url: str, *, follow: bool) -> Iterator[ReadModels]:
    from connect_four.eventsourcing.stores import (
        open_append_notifier,
        open_projection_storage,
    )
    from connect_four.readmodels import ReadModels

    storage = open_projection_storage(_writable(projections_url(url)))
    notifier = open_append_notifier(url) if follow else None
    try:
        yield ReadModels(store, storage, notifier=notifier)
    finally:
        if notifier is not None:
            notifier.close()
        storage.close()


def _writable(url: str) -> str:
    """Return the read models' URL, or `memory:` if it names a read-only file.

    Read models write their checkpoints as they catch up; over a SQLite file
    this process may not write, they are built afresh in memory instead, so
    that `games` and `leaderboard` still answer.
    """
    from connect_four.eventsourcing.stores.sqlite.connection import is_read_only

    if is_sqlite_url(url) and is_read_only(sqlite_path(url)):
        return "memory:"
    return url
