"""What every request handler reaches: the app, the store and the shared parts."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import HTTPConnection

from connect_four.application import ConnectFourApp
from connect_four.eventsourcing.store import EventStore
from connect_four.web.follower import LogFollower
from connect_four.web.host import GameHost
from connect_four.web.listings import Listings
from connect_four.web.lobby import Lobby


@dataclass(frozen=True, slots=True)
class WebContext:
    """The parts one web app shares across its requests."""

    app: ConnectFourApp
    store: EventStore
    host: GameHost
    lobby: Lobby
    follower: LogFollower
    listings: Listings


def context_of(connection: HTTPConnection) -> WebContext:
    """Return the context that `create_app` put on the Starlette app."""
    context = connection.app.state.context
    if not isinstance(context, WebContext):
        raise TypeError("the Starlette app was not built by create_app")
    return context
