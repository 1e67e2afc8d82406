"""What every request handler reaches: the services, the log and the shared parts."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import HTTPConnection

from connect_four.application import ConnectFourApp
from connect_four.application.advice import AdviceService
from connect_four.application.game_life import GameLife
from connect_four.application.tables import TableService
from connect_four.eventsourcing.store import EventStore
from connect_four.web.follower import LogFollower
from connect_four.web.listings import Listings
from connect_four.web.stream_index import StreamIndex


@dataclass(frozen=True, slots=True)
class WebContext:
    """The parts one web app shares across its requests.

    `store` is read only, for the stream browser and the live feeds' backlog;
    every write goes through `app`, `tables` and `life`.
    """

    app: ConnectFourApp
    tables: TableService
    life: GameLife
    store: EventStore
    follower: LogFollower
    listings: Listings
    streams: StreamIndex
    advice: AdviceService


def context_of(connection: HTTPConnection) -> WebContext:
    """Return the context that `create_app` put on the Starlette app."""
    context = connection.app.state.context
    if not isinstance(context, WebContext):
        raise TypeError("the Starlette app was not built by create_app")
    return context
