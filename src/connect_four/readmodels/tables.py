"""The tables: games opened with seats, for the lobby's list of games waiting to start.

A game shows in the game list from its `GameStarted` on; before that, a game
opened with an invite exists only as its table (seat one taken, seat two
open). `TablesProjection` keeps one document per table, tagged `waiting`
while the invite is open and `seated` once both seats are taken, so the
lobby lists the waiting games from here and every other game from `games`.
A table whose invite was withdrawn is tagged `abandoned`, and one that keeps
its seat for one player (a rematch offer) `offered`: neither is listed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Final, assert_never

from connect_four.domain.table import (
    InviteIssued,
    InviteWithdrawn,
    RematchOffered,
    Seat,
    SeatOffered,
    SeatTaken,
    TableEvent,
)
from connect_four.eventsourcing.codec import EventCodec, JSONObject
from connect_four.eventsourcing.documents import convert_document
from connect_four.eventsourcing.events import RecordedEvent
from connect_four.eventsourcing.projection_storage import (
    DocumentQuery,
    Documents,
    ProjectionStorage,
)

TABLES: Final = "tables"
"""The projection's name, and the collection its documents are in."""
WAITING: Final = "waiting"
SEATED: Final = "seated"
OFFERED: Final = "offered"
ABANDONED: Final = "abandoned"


@dataclass(frozen=True, slots=True)
class TableSummary:
    """One table: who sits at it, and whether seat two is still open."""

    id: str
    player_one: str | None
    player_two: str | None
    status: str
    """`waiting` while an invite is open for seat two, `seated` once both are taken.

    Also `offered` while a seat is kept for one player, `abandoned` once the
    invite or offer was withdrawn.
    """
    computer: str | None
    """The level of the computer that holds a seat, if one does."""
    opened_at: datetime
    position: int
    """The global position of the table's first event, which orders the list."""

    @classmethod
    def from_document(cls, document: JSONObject) -> TableSummary:
        """Read a summary back from its stored document."""
        return cls(
            document["id"],
            document["player_one"],
            document["player_two"],
            document["status"],
            document["computer"],
            datetime.fromtimestamp(document["opened_at"], UTC),
            document["position"],
        )


class TablesProjection:
    """Fold the `seats-{id}` streams into one `TableSummary` document per game."""

    name = TABLES

    def __init__(self, codec: EventCodec[TableEvent], stream_prefix: str) -> None:
        self.codec = codec
        self.stream_prefix = stream_prefix

    def apply(
        self, event: TableEvent, record: RecordedEvent, documents: Documents
    ) -> None:
        """Change the table's document by one event."""
        table_id = record.stream[len(self.stream_prefix) :]
        document = documents.get(TABLES, table_id) or {
            "id": table_id,
            "player_one": None,
            "player_two": None,
            "status": SEATED,
            "computer": None,
            "opened_at": record.recorded_at.timestamp(),
            "position": record.global_position,
        }
        match event:
            case SeatTaken(seat, player, _, computer):
                key = "player_one" if seat == Seat.ONE else "player_two"
                document[key] = player
                document["computer"] = computer or document["computer"]
                if document["player_one"] and document["player_two"]:
                    document["status"] = SEATED
            case InviteIssued():
                document["status"] = WAITING
            case SeatOffered():
                document["status"] = OFFERED
            case InviteWithdrawn():
                document["status"] = ABANDONED
            case RematchOffered():
                pass  # the rematch is a table of its own
            case _:
                assert_never(event)
        documents.put(
            TABLES,
            table_id,
            document,
            sort_key=document["position"],
            tags=(f"status:{document['status']}",),
        )


def waiting_tables(storage: ProjectionStorage, limit: int | None) -> list[TableSummary]:
    """Return the tables whose invite is still open, newest first."""
    query = DocumentQuery(TABLES, [f"status:{WAITING}"], limit, 0)
    return [
        convert_document(TABLES, TableSummary.from_document, document)
        for document in storage.find(TABLES, query)
    ]
