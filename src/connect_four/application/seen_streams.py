"""`SeenStreams`, `SeenGames`: a look at a game reads only what is new since the last.

Every move's answer shows the game with its stored events
(`TableService.look`). Read whole, that is two streams read and two
aggregates rebuilt per move: about 340 µs of CPU for a game of 16 moves on
SQLite, more than the move itself (docs/benchmarks.md, the move path). But
a stream only grows: an event once stored is never changed or removed. So
the records a look read stay true, and the next look of the same stream
needs only the records after them, usually one or two; and the game they
rebuilt needs only those applied, each checked as any load checks it. (A
page's load still reads and checks both streams whole: a row damaged in
place, behind the store's back, shows there as the error it is.)

What is kept is what was read from the store, never anything a caller
decided: every look still reads the store (from the last known position
on), so it shows at least what the store held when it began, whichever
process wrote it.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from typing import Final

from connect_four.application.ports import GameHistories
from connect_four.domain.game import Game
from connect_four.eventsourcing.events import RecordedEvent
from connect_four.eventsourcing.repository import StreamStore

STREAMS_KEPT: Final = 2048
"""Streams whose records are kept: a game's and its table's, for 1,024 games.

About 700 bytes a record on SQLite: some 30 MB if every kept game were a
finished game of 42 moves, the same order as the game repository's cache.
"""
GAMES_KEPT: Final = 1024


class SeenStreams:
    """The records of the streams read last, so a read fetches only what follows."""

    def __init__(self, store: StreamStore, size: int = STREAMS_KEPT) -> None:
        self._store = store
        self._size = size
        self._records: OrderedDict[str, tuple[RecordedEvent, ...]] = OrderedDict()
        self._lock = threading.Lock()

    def read(self, stream: str) -> Sequence[RecordedEvent]:
        """Return every record of the stream, reading only those not seen yet."""
        with self._lock:
            known = self._records.get(stream, ())
        after = known[-1].stream_position + 1 if known else 0
        new = self._store.read_stream(stream, after)
        if not new:
            return known
        records = (*known, *new)
        with self._lock:
            # Another thread may have read further meanwhile: keep the longer.
            if len(self._records.get(stream, ())) < len(records):
                self._records[stream] = records
            self._records.move_to_end(stream)
            if len(self._records) > self._size:
                self._records.popitem(last=False)
        return records


class SeenGames:
    """The games the last looks rebuilt, so the next applies only the new records."""

    def __init__(self, games: GameHistories, size: int = GAMES_KEPT) -> None:
        self._games = games
        self._size = size
        self._kept: OrderedDict[str, Game] = OrderedDict()
        self._lock = threading.Lock()

    def game(self, game_id: str, records: Sequence[RecordedEvent]) -> Game:
        """Return the game its whole stream's `records` hold; the caller owns it.

        Raises:
            UnknownGameError: there are no records.
            UnreadableEventError: a new record cannot be decoded, or breaks
                the rules of the game.
        """
        with self._lock:
            kept = self._kept.pop(game_id, None)
        if kept is None or kept.version >= len(records):
            game = self._games.replay(game_id, records)
        else:
            game = self._games.follow(kept, records[kept.version + 1 :])
        twin = game.clone()
        with self._lock:
            self._kept[game_id] = twin
            if len(self._kept) > self._size:
                self._kept.popitem(last=False)
        return game
