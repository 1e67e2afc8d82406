"""The live feeds a page can follow, by name: which events, from where.

- `game:{id}`: one game's events and its seats' (the game page);
- `lobby`: every game's and every seat's events (the lobby's lists);
- `log`: the whole log (the stream browser).

The WebSocket (`live_socket`) opens feeds by these names, the Server-Sent
Events endpoints by their paths; both get a `Feed` from here and stream it
with `live.records`.
"""

from __future__ import annotations

from typing import Final

from starlette.concurrency import run_in_threadpool

from connect_four.eventsourcing.events import RecordedEvent
from connect_four.persistence.codec import GAME_STREAM_PREFIX, TABLE_STREAM_PREFIX
from connect_four.web.context import WebContext
from connect_four.web.errors import UnknownFeedError
from connect_four.web.follower import Filter
from connect_four.web.live import Feed, log_backlog
from connect_four.web.views import game_position

GAME_FEED_PREFIX: Final = "game:"
LOBBY_FEED: Final = "lobby"
LOG_FEED: Final = "log"
MAX_FEED_NAME: Final = 200
FEED_NAMES: Final = f"{GAME_FEED_PREFIX}<game id>, {LOBBY_FEED} and {LOG_FEED}"


async def game_feed(context: WebContext, game_id: str) -> Feed:
    """Return the feed of a game's and its seats' events.

    Raises:
        UnknownGameError: there is no such game.
        UnreadableEventError: a stored event of the game cannot be read.
    """
    seated = await run_in_threadpool(context.tables.look, game_id)
    streams = frozenset({GAME_STREAM_PREFIX + game_id, TABLE_STREAM_PREFIX + game_id})
    store = context.store

    def read_backlog(after: int) -> list[RecordedEvent]:
        found = [
            record
            for stream in sorted(streams)
            for record in store.read_stream(stream)
            if record.global_position > after
        ]
        return sorted(found, key=lambda record: record.global_position)

    async def backlog(after: int) -> list[RecordedEvent]:
        return await run_in_threadpool(read_backlog, after)

    def accepts(record: RecordedEvent) -> bool:
        return record.stream in streams

    return Feed(GAME_FEED_PREFIX + game_id, accepts, backlog, game_position(seated))


async def lobby_feed(context: WebContext) -> Feed:
    """Return the feed of every game's and every seat's events."""

    def accepts(record: RecordedEvent) -> bool:
        return record.stream.startswith((GAME_STREAM_PREFIX, TABLE_STREAM_PREFIX))

    return await _log_feed(context, LOBBY_FEED, accepts)


async def log_feed(context: WebContext) -> Feed:
    """Return the feed of every event of the log."""

    def accepts(record: RecordedEvent) -> bool:
        return True

    return await _log_feed(context, LOG_FEED, accepts)


async def _log_feed(context: WebContext, name: str, accepts: Filter) -> Feed:
    """Return a feed of the log's accepted events, starting at its head now.

    Raises:
        StoreUnavailableError: the store cannot be read.
    """
    start = await context.follower.catch_up()
    backlog = log_backlog(context.store, context.follower, accepts)
    return Feed(name, accepts, backlog, start)


async def open_feed(context: WebContext, name: str) -> Feed:
    """Return the feed a name names.

    Raises:
        UnknownFeedError: the name names no feed.
        UnknownGameError: a game feed's game does not exist.
    """
    if name == LOBBY_FEED:
        return await lobby_feed(context)
    if name == LOG_FEED:
        return await log_feed(context)
    game_id = name.removeprefix(GAME_FEED_PREFIX)
    if name.startswith(GAME_FEED_PREFIX) and game_id and len(name) <= MAX_FEED_NAME:
        return await game_feed(context, game_id)
    raise UnknownFeedError(name, FEED_NAMES)
