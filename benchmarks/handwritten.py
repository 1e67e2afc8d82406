"""A hand-written command loop on SQLite: the reference the full stack is held to.

No aggregate, repository, codec, cache or store class: for each move, one
SELECT of the game's stream, a fold of its moves onto two bitboards, the rule
checks (whose turn, room in the column, a connected line ends the game), and
the new event rows written as the SQLite store writes them (same table, same
JSON data and metadata, one autocommit INSERT for one event, one transaction
for two). It is what a careful programmer would write without the layers; the
gap between it and the full stack is what the layers cost.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from connect_four.domain.board import COLUMN_INDEX, HEIGHT, ROWS, Column, has_line
from connect_four.eventsourcing.stores.sqlite.connection import connect
from connect_four.eventsourcing.stores.sqlite.event_store import SQLiteEventStore

_INSERT = (
    "INSERT INTO events (stream, stream_position, event_id, type, data, metadata,"
    " recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
)
_READ = "SELECT type, data FROM events WHERE stream = ? ORDER BY stream_position"


class HandwrittenLoop:
    """Play games straight into the SQLite store's table."""

    def __init__(self, path: Path) -> None:
        SQLiteEventStore(path).close()  # the store's table
        self._connection = connect(str(path), synchronous="FULL")

    def rate(self, games: Sequence[Sequence[Column]]) -> float:
        """Play the games, one command per move; return commands/s."""
        commands = 0
        started = time.perf_counter()
        for columns in games:
            stream = f"game-{uuid.uuid4()}"
            data = b'{"player_one": "ann", "player_two": "bob"}'
            self._write(stream, 0, [("GameStarted", data)], "create_game")
            commands += 1
            for turn, column in enumerate(columns):
                self._move(stream, ("ann", "bob")[turn % 2], column)
                commands += 1
        return commands / (time.perf_counter() - started)

    def _move(self, stream: str, player: str, column: Column) -> None:
        rows = self._connection.execute(_READ, (stream,)).fetchall()
        tokens = [0, 0]
        heights = dict.fromkeys(Column, 0)
        moves = 0
        for type_, data in rows:
            if type_ == "GameFinished":
                raise ValueError("the game is over")
            if type_ == "MoveMade":
                played = Column(json.loads(data)["column"])
                tokens[moves % 2] |= 1 << (
                    COLUMN_INDEX[played] * HEIGHT + heights[played]
                )
                heights[played] += 1
                moves += 1
        if player != ("ann", "bob")[moves % 2]:
            raise ValueError("not your turn")
        if heights[column] == ROWS:
            raise ValueError("the column is full")
        mine = tokens[moves % 2] | 1 << (
            COLUMN_INDEX[column] * HEIGHT + heights[column]
        )
        events = [("MoveMade", json.dumps({"player": player, "column": column}))]
        if has_line(mine):
            result = "PLAYER_ONE_WON" if moves % 2 == 0 else "PLAYER_TWO_WON"
            events.append(("GameFinished", json.dumps({"result": result})))
        elif moves + 1 == ROWS * len(Column):
            events.append(("GameFinished", json.dumps({"result": "TIED"})))
        self._write(
            stream, len(rows), [(t, d.encode()) for t, d in events], "make_move"
        )

    def _write(
        self, stream: str, position: int, events: list[tuple[str, bytes]], command: str
    ) -> None:
        now = datetime.now(UTC)
        metadata = json.dumps(
            {
                "correlation_id": stream[5:],
                "causation_id": str(uuid.uuid4()),
                "command": command,
                "occurred_at": now.isoformat(),
            }
        ).encode()
        rows = [
            (stream, position + i, str(uuid.uuid4()), t, d, metadata, now.timestamp())
            for i, (t, d) in enumerate(events)
        ]
        execute = self._connection.execute
        if len(rows) == 1:
            execute(_INSERT, rows[0])  # autocommit: its own transaction
            return
        execute("BEGIN IMMEDIATE")
        for row in rows:
            execute(_INSERT, row)
        execute("COMMIT")

    def close(self) -> None:
        """Close the connection."""
        self._connection.close()
