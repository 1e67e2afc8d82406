"""Stores damaged on purpose, one way each, as a hand edit or a bad restore would.

Each store, SQLite or PostgreSQL, holds two games of nine events: a healthy
one, and one won game (ann wins in column A at position 7, `GameFinished` at
8) damaged one way by SQL run around the store, as a `sqlite3` shell or
`psql` would. Each `DamageCase` says where the readers must report the
damage and which readers meet it:

- *row* damage (a column of the wrong type, a time no date can show) is
  refused by the store itself, so every reader stops at it: a subscription
  too;
- *undecodable* damage (data that is not JSON, an unknown type, missing
  fields) is refused by the codec, so the game and the read models stop at it;
- *rule* damage (a gap in the positions, a missing `GameFinished`, a move
  after the end or out of turn) decodes, and only replaying the game against
  its rules finds it;
- *table* damage is in the won game's table of seats (`seats-{id}`, as the
  web stores one beside a game), which only readers of the seats meet.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from connect_four.application import ConnectFourApp
from connect_four.domain.board import Column
from connect_four.domain.game import Move
from connect_four.domain.table import SeatTaken, digest
from connect_four.eventsourcing.events import NewEvent
from connect_four.eventsourcing.store import EventStore, StreamState
from connect_four.eventsourcing.stores import open_store
from connect_four.persistence.codec import (
    GAME_STREAM_PREFIX,
    TABLE_STREAM_PREFIX,
    table_codec,
)
from connect_four.persistence.game_repository import EventSourcedGameRepository
from tests.eventsourcing.stores.backends import (
    drop_postgres_schema,
    new_schema_name,
    postgres_url,
)

Backend = Literal["sqlite", "postgres"]
Kind = Literal["row", "undecodable", "rule", "table"]
Run = Callable[[str, tuple[object, ...]], None]
"""Run one SQL statement (with `?` placeholders) on the raw database."""

WINNING_GAME = (
    ("ann", "A"),
    ("bob", "B"),
    ("ann", "A"),
    ("bob", "B"),
    ("ann", "A"),
    ("bob", "B"),
    ("ann", "A"),
)
"""Positions 1-7; ann's fourth token in column A wins; GameFinished is at 8."""


@dataclass(frozen=True)
class DamageCase:
    """One way to damage the won game's stream, and where it must be reported."""

    name: str
    kind: Kind
    position: int
    backends: tuple[Backend, ...]
    damage: Callable[[Run, str, EventStore], None]
    prefix: str = GAME_STREAM_PREFIX
    """The prefix of the damaged stream: the game's, or its table's."""


def update(column_sql: str, *values: object, at: int = 3) -> Callable[..., None]:
    """Return a damage that sets columns of the event at a position."""

    def damage(run: Run, stream: str, store: EventStore) -> None:
        run(
            f"UPDATE events SET {column_sql} WHERE stream = ? AND stream_position = ?",
            (*values, stream, at),
        )

    return damage


def delete(*positions: int) -> Callable[..., None]:
    """Return a damage that deletes the events at some positions."""

    def damage(run: Run, stream: str, store: EventStore) -> None:
        for position in positions:
            run(
                "DELETE FROM events WHERE stream = ? AND stream_position = ?",
                (stream, position),
            )

    return damage


def append_after_the_end(run: Run, stream: str, store: EventStore) -> None:
    """Append a move after GameFinished, through the store, which checks no rules."""
    store.append(stream, [NewEvent("MoveMade", b'{"player":"bob","column":"C"}')], 8)


def seat_one_taken_twice(run: Run, stream: str, store: EventStore) -> None:
    """Store a table of seats for the game, whose seat one is then taken again."""
    codec = table_codec()
    game_id = stream.removeprefix(GAME_STREAM_PREFIX)
    seats = [
        SeatTaken(1, "ann", digest("ann's token")),
        SeatTaken(2, "bob", digest("bob's token")),
        SeatTaken(1, "cid", digest("cid's token")),
    ]
    events = []
    for seat in seats:
        kind, data = codec.encode(seat)
        events.append(
            NewEvent(kind, data, json.dumps(codec.schema_metadata(kind)).encode())
        )
    store.append(TABLE_STREAM_PREFIX + game_id, events, StreamState.NO_STREAM)


BOTH: tuple[Backend, ...] = ("sqlite", "postgres")
CASES = (
    DamageCase(
        "recorded_at stored as text",
        "row",
        3,
        ("sqlite",),
        update("recorded_at = ?", "yesterday"),
    ),
    DamageCase(
        "recorded_at of 1e13 seconds",
        "row",
        3,
        ("sqlite",),
        update("recorded_at = ?", 1e13),
    ),
    DamageCase(
        "metadata stored as text",
        "row",
        3,
        ("sqlite",),
        update("metadata = CAST(metadata AS TEXT)"),
    ),
    DamageCase(
        "data stored as text",
        "row",
        3,
        ("sqlite",),
        update("data = CAST(data AS TEXT)"),
    ),
    DamageCase(
        "recorded_at of infinity",
        "row",
        3,
        ("postgres",),
        update("recorded_at = 'infinity'"),
    ),
    DamageCase(
        "data that is not JSON", "undecodable", 3, BOTH, update("data = ?", b"{no")
    ),
    DamageCase(
        "an unknown event type",
        "undecodable",
        3,
        BOTH,
        update("type = ?", "GameAbandoned"),
    ),
    DamageCase(
        "data missing a field",
        "undecodable",
        3,
        BOTH,
        update("data = ?", b'{"player":"ann"}'),
    ),
    DamageCase("a gap in the positions", "rule", 7, BOTH, delete(5, 6)),
    DamageCase("a won game without GameFinished", "rule", 7, BOTH, delete(8)),
    DamageCase("a move after the end", "rule", 9, BOTH, append_after_the_end),
    DamageCase(
        "a move out of turn",
        "rule",
        3,
        BOTH,
        update("data = ?", b'{"player":"bob","column":"A"}'),
    ),
    DamageCase(
        "a table whose seat is taken twice",
        "table",
        2,
        BOTH,
        seat_one_taken_twice,
        TABLE_STREAM_PREFIX,
    ),
)


def cases_for(backend: Backend) -> list[DamageCase]:
    """Return the cases a backend can hold."""
    return [case for case in CASES if backend in case.backends]


@dataclass(frozen=True)
class DamagedStore:
    """A store with a healthy game and a damaged one."""

    backend: Backend
    url: str
    healthy_id: str
    damaged_id: str
    case: DamageCase | None
    raw: Callable[[], list[tuple[object, ...]]]
    """Every stored row, read around the store, to show that nothing changed."""
    run: Run
    """Run SQL on the raw database, as a `sqlite3` shell or `psql` would."""

    @property
    def stream(self) -> str:
        """Return the damaged stream: the won game's, or its table's."""
        prefix = GAME_STREAM_PREFIX if self.case is None else self.case.prefix
        return f"{prefix}{self.damaged_id}"

    @property
    def streams(self) -> int:
        """Return how many streams the store holds."""
        return 2 if self.case is None or self.case.kind != "table" else 3

    def named(self) -> str:
        """Return the words every report of the damage must contain."""
        assert self.case is not None
        return f"position {self.case.position} of stream '{self.stream}'"


def play_games(store: EventStore) -> tuple[str, str]:
    """Store two won games; return their ids."""
    app = ConnectFourApp.over(EventSourcedGameRepository(store))
    ids = []
    for _ in range(2):
        game_id = app.create_game("ann", "bob")
        for player, column in WINNING_GAME:
            app.make_move(game_id, Move(player, Column(column)))
        ids.append(game_id)
    return ids[0], ids[1]


@contextmanager
def damaged_store(
    backend: Backend, case: DamageCase | None, tmp_path: Path
) -> Iterator[DamagedStore]:
    """Yield a store of the backend with two games, the second damaged by `case`."""
    if backend == "sqlite":
        with _sqlite(tmp_path) as (url, run, rows):
            yield _build(backend, url, run, rows, case)
    else:
        with _postgres() as (url, run, rows):
            yield _build(backend, url, run, rows, case)


def _build(
    backend: Backend,
    url: str,
    run: Run,
    rows: Callable[[], list[tuple[object, ...]]],
    case: DamageCase | None,
) -> DamagedStore:
    store = open_store(url)
    try:
        healthy_id, damaged_id = play_games(store)
        if case is not None:
            case.damage(run, f"game-{damaged_id}", store)
    finally:
        store.close()
    return DamagedStore(backend, url, healthy_id, damaged_id, case, rows, run)


@contextmanager
def _sqlite(
    tmp_path: Path,
) -> Iterator[tuple[str, Run, Callable[[], list[tuple[object, ...]]]]]:
    database = tmp_path / "games.db"

    def run(statement: str, values: tuple[object, ...]) -> None:
        with sqlite3.connect(database) as connection:
            connection.execute(statement, values)
        connection.close()

    def rows() -> list[tuple[object, ...]]:
        with sqlite3.connect(database) as connection:
            found = connection.execute(
                "SELECT * FROM events ORDER BY global_position"
            ).fetchall()
        connection.close()
        return found

    yield f"sqlite:///{database}", run, rows


@contextmanager
def _postgres() -> Iterator[tuple[str, Run, Callable[[], list[tuple[object, ...]]]]]:
    import psycopg
    from psycopg import sql

    from connect_four.eventsourcing.stores.postgresql.event_store import parse_url

    base = postgres_url()
    schema = new_schema_name()
    conninfo, _, _ = parse_url(base)

    def run(statement: str, values: tuple[object, ...]) -> None:
        with psycopg.connect(conninfo, autocommit=True) as connection:
            connection.execute(
                sql.SQL("SET search_path TO {}").format(sql.Identifier(schema))
            )
            connection.execute(statement.replace("?", "%s").encode(), values)

    def rows() -> list[tuple[object, ...]]:
        with psycopg.connect(conninfo, autocommit=True) as connection:
            return connection.execute(
                sql.SQL(
                    "SELECT global_position, stream, stream_position, event_id,"
                    " type, data, metadata, recorded_at::text FROM {}.events"
                    " ORDER BY global_position"
                ).format(sql.Identifier(schema))
            ).fetchall()

    try:
        yield f"{base}{'&' if '?' in base else '?'}schema={schema}", run, rows
    finally:
        drop_postgres_schema(schema)
