"""The game's and the table's events as stored: type names and exact JSON data.

`MoveMade` has two schemas (see docs/read-side.md, "Upcasting"):

- schema 1 names the column by its number, 1 to 7 from the left: the notation
  of the game records this project plays and benchmarks with (games-10k,
  Pascal Pons' test sets). Such events say `"schema_version": 1` in their
  metadata.
- schema 2 names it by its letter, as the tutorial does. The tutorial's
  events carry no schema version, so an unlabelled `MoveMade` is schema 2,
  and this project writes schema 2 without a label too: its events stay
  exactly the tutorial's.

The upcaster below lifts schema 1 to schema 2 whenever such an event is read.
"""

from __future__ import annotations

from connect_four.domain.board import Column
from connect_four.domain.events import EVENT_TYPES, GameEvent
from connect_four.domain.player import PLAYER_EVENT_TYPES, PlayerEvent
from connect_four.domain.table import SEAT_TAKEN_SCHEMA, TABLE_EVENT_TYPES, TableEvent
from connect_four.eventsourcing.codec import EventCodec, JSONObject, Upcaster
from connect_four.eventsourcing.codec_cache import CachingEventCodec

GAME_STREAM_PREFIX = "game-"

MOVE_MADE_SCHEMA = 2
"""The current schema of `MoveMade`: the column as a letter."""


def column_number_to_letter(data: JSONObject) -> JSONObject:
    """Lift `MoveMade` schema 1 (column 1 to 7) to schema 2 (column letter).

    Raises:
        ValueError: the column is not a whole number from 1 to 7.
    """
    number = data["column"]
    columns = list(Column)
    if type(number) is not int or not 1 <= number <= len(columns):
        raise ValueError(f"column {number!r} is not a number from 1 to {len(columns)}")
    return {**data, "column": columns[number - 1].value}


def game_codec() -> EventCodec[GameEvent]:
    """Return a codec for `GameStarted`, `MoveMade` and `GameFinished`.

    It caches (see `eventsourcing/codec_cache.py`): every load and every
    command goes through it.
    """
    return CachingEventCodec(
        EVENT_TYPES,
        upcasters=[Upcaster("MoveMade", 1, column_number_to_letter)],
        versions={"MoveMade": MOVE_MADE_SCHEMA},
        unversioned={"MoveMade": MOVE_MADE_SCHEMA},
    )


TABLE_STREAM_PREFIX = "seats-"
"""The prefix of the streams that hold the web's seats: `seats-{game_id}`."""


def seat_taken_names_computer(data: JSONObject) -> JSONObject:
    """Lift `SeatTaken` schema 1 (`computer` only for a computer) to schema 2.

    Schema 1 is what the web wrote before seats were an aggregate: the
    `computer` key was there only when a computer held the seat.
    """
    return {"computer": None, **data}


def table_codec() -> EventCodec[TableEvent]:
    """Return a codec for `SeatTaken` and `InviteIssued`."""
    return EventCodec(
        TABLE_EVENT_TYPES,
        upcasters=[Upcaster("SeatTaken", 1, seat_taken_names_computer)],
        versions={"SeatTaken": SEAT_TAKEN_SCHEMA},
    )


PLAYER_STREAM_PREFIX = "player-"
"""The prefix of the streams that hold claimed names: `player-{name_key}`."""


def player_codec() -> EventCodec[PlayerEvent]:
    """Return a codec for `NameClaimed`, `DeviceLinkIssued` and `DeviceLinked`."""
    return EventCodec(PLAYER_EVENT_TYPES)
