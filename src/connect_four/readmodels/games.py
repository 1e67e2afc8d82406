"""The game list: one document per game, kept current by `GamesProjection`.

Each document says who plays, whether the game is in progress or finished,
how many moves were made, whose turn it is, the result (and, for a game ended
by a resignation or a claimed win, which and by whom) and when the game
started and last changed (seconds since the epoch), and for a fork the game
it was forked from (from its first event's metadata). Documents are sorted by
the global position of their `GameStarted`, so the newest game comes first,
and tagged with their status and both players, so the list can be filtered by
either.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Final, assert_never

from connect_four.domain.events import (
    GameEvent,
    GameFinished,
    GameStarted,
    MoveMade,
    PlayerResigned,
    WinClaimed,
)
from connect_four.domain.names import name_key
from connect_four.domain.result import GameResult
from connect_four.eventsourcing.codec import JSONObject
from connect_four.eventsourcing.documents import convert_document
from connect_four.eventsourcing.events import RecordedEvent
from connect_four.eventsourcing.projection_storage import (
    DocumentQuery,
    Documents,
    ProjectionStorage,
)
from connect_four.readmodels.game_streams import GameStreamProjection

GAMES: Final = "games"
"""The projection's name, and the collection its documents are in."""


class GameStatus(enum.StrEnum):
    """Whether a game can still be played."""

    IN_PROGRESS = "in_progress"
    FINISHED = "finished"


@dataclass(frozen=True, slots=True)
class GameSummary:
    """One line of the game list."""

    id: str
    player_one: str
    player_two: str
    status: GameStatus
    moves: int
    next_player: str | None
    """Whose turn it is; None once the game is finished."""
    result: GameResult | None
    winner: str | None
    started_at: datetime
    last_move_at: datetime | None
    finished_at: datetime | None
    forked_from: JSONObject | None = None
    """The original of a fork: its `game_id`, `stream` and the `moves` taken over."""
    position: int = 0
    """The global position of the game's `GameStarted`, which orders the list."""
    ending: JSONObject | None = None
    """How a game ended off the board: `kind` (`resigned` or `claimed`) and `player`.

    `resigned` names the player who gave up; `claimed` the one who claimed
    the win from an opponent gone too long.
    """

    @property
    def updated_at(self) -> datetime:
        """Return when the game last changed: its end, last move or start."""
        return self.finished_at or self.last_move_at or self.started_at

    @classmethod
    def from_document(cls, document: JSONObject) -> GameSummary:
        """Read a summary back from its stored document."""
        result = document["result"]
        return cls(
            id=document["id"],
            player_one=document["player_one"],
            player_two=document["player_two"],
            status=GameStatus(document["status"]),
            moves=document["moves"],
            next_player=document["next_player"],
            result=None if result is None else GameResult(result),
            winner=document["winner"],
            started_at=datetime.fromtimestamp(document["started_at"], UTC),
            last_move_at=_time(document["last_move_at"]),
            finished_at=_time(document["finished_at"]),
            # Documents written before these keys existed lack them.
            forked_from=document.get("forked_from"),
            position=document.get("position", 0),
            ending=document.get("ending"),
        )


class GamesProjection(GameStreamProjection):
    """Fold the game streams into one `GameSummary` document per game."""

    name = GAMES

    def apply(
        self, event: GameEvent, record: RecordedEvent, documents: Documents
    ) -> None:
        """Change the game's document by one event."""
        game_id = self.game_id(record)
        when = record.recorded_at.timestamp()
        document: JSONObject
        # Moves come first: they are nearly every event of a game.
        match event:
            case MoveMade(player, _):
                found = documents.get(GAMES, game_id)
                if found is None:
                    self.unstarted(record, documents)
                    return
                document = found
                document["moves"] += 1
                document["last_move_at"] = when
                one, two = document["player_one"], document["player_two"]
                document["next_player"] = two if player == one else one
            case GameStarted(player_one, player_two):
                document = {
                    "id": game_id,
                    "player_one": player_one,
                    "player_two": player_two,
                    "status": GameStatus.IN_PROGRESS.value,
                    "moves": 0,
                    "next_player": player_one,
                    "result": None,
                    "winner": None,
                    "started_at": when,
                    "last_move_at": None,
                    "finished_at": None,
                    "position": record.global_position,
                    "forked_from": forked_from(record),
                }
            case GameFinished(result):
                found = documents.get(GAMES, game_id)
                if found is None:
                    self.unstarted(record, documents)
                    return
                document = found
                document["status"] = GameStatus.FINISHED.value
                document["result"] = result.value
                document["winner"] = _winner(document, result)
                document["next_player"] = None
                document["finished_at"] = when
            case PlayerResigned(player) | WinClaimed(player):
                found = documents.get(GAMES, game_id)
                if found is None:
                    self.unstarted(record, documents)
                    return
                document = found
                kind = "resigned" if isinstance(event, PlayerResigned) else "claimed"
                document["ending"] = {"kind": kind, "player": player}
            case _:
                assert_never(event)
        documents.put(
            GAMES,
            game_id,
            document,
            sort_key=document["position"],
            tags=game_tags(
                document["status"], document["player_one"], document["player_two"]
            ),
        )


def forked_from(record: RecordedEvent) -> JSONObject | None:
    """Return the origin a fork's first event names in its metadata, if any.

    Metadata is free-form: anything but a JSON object there counts as no origin.
    """
    try:
        metadata = json.loads(record.metadata)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None
    origin = metadata.get("forked_from") if isinstance(metadata, dict) else None
    return origin if isinstance(origin, dict) else None


def game_tags(status: str, player_one: str, player_two: str) -> tuple[str, ...]:
    """Return the tags a game document is found by."""
    # Tagged by name key, so that `--player nina` finds "Nina" (domain.names).
    return (
        f"status:{status}",
        f"player:{name_key(player_one)}",
        f"player:{name_key(player_two)}",
    )


def list_games(
    storage: ProjectionStorage,
    *,
    status: GameStatus | None = None,
    player: str | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> list[GameSummary]:
    """Return the games in the read model, newest first, filtered as asked."""
    tags: Sequence[str] = [
        *([] if status is None else [f"status:{status.value}"]),
        *([] if player is None else [f"player:{name_key(player)}"]),
    ]
    query = DocumentQuery(GAMES, tags, limit, offset)
    return [
        convert_document(GAMES, GameSummary.from_document, document)
        for document in storage.find(GAMES, query)
    ]


def find_game(storage: ProjectionStorage, game_id: str) -> GameSummary | None:
    """Return one game's summary from the read model, or None if it is not there."""
    document = storage.get(GAMES, GAMES, game_id)
    if document is None:
        return None
    return convert_document(GAMES, GameSummary.from_document, document)


def _winner(document: JSONObject, result: GameResult) -> str | None:
    match result:
        case GameResult.PLAYER_ONE_WON:
            return str(document["player_one"])
        case GameResult.PLAYER_TWO_WON:
            return str(document["player_two"])
        case GameResult.TIED:
            return None
        case _:
            assert_never(result)


def _time(seconds: float | None) -> datetime | None:
    return None if seconds is None else datetime.fromtimestamp(seconds, UTC)
