"""The lobby's read model: games by status, the leaderboard and the streams.

A fold over the global log, kept in this process's memory and fed by the
`LogFollower`: each server process builds its own from the shared store, so all
of them show the same lobby. It is rebuilt from position zero at start, which
is quick for the sizes a lobby shows; the read side's durable projections are
the place for much larger logs.

An event the fold cannot read stops it right there (its checkpoint stays
before that event, and the stream browser shows why) rather than being
skipped: a lobby that silently misses a game would be wrong without saying so.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from typing import Final, assert_never

from connect_four.application.codec import GAME_STREAM_PREFIX, game_codec
from connect_four.domain.events import GameFinished, GameStarted, MoveMade
from connect_four.eventsourcing.codec import JSONObject
from connect_four.eventsourcing.errors import UnreadableEventError
from connect_four.eventsourcing.events import RecordedEvent
from connect_four.web.seats import SEATS_STREAM_PREFIX, Seat, Seating
from connect_four.web.views import winner

logger = logging.getLogger(__name__)

STATUSES: Final = ("waiting", "playing", "finished")


@dataclass(slots=True)
class GameSummary:
    """One game as the lobby lists it."""

    game_id: str
    status: str = "waiting"
    player_one: str | None = None
    player_two: str | None = None
    moves: int = 0
    result: str | None = None
    winner: str | None = None
    forked_from: object = None
    created_at: str | None = None
    updated_at: str | None = None
    position: int = 0
    seating: Seating = field(default_factory=Seating)

    def view(self) -> JSONObject:
        """Return the summary as the API shows it."""
        return {
            "game_id": self.game_id,
            "status": self.status,
            "player_one": self.player_one,
            "player_two": self.player_two,
            "moves": self.moves,
            "result": self.result,
            "winner": self.winner,
            "forked_from": self.forked_from,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
            "position": self.position,
        }


@dataclass(slots=True)
class StreamSummary:
    """One stream as the stream browser lists it."""

    stream: str
    events: int = 0
    last_type: str = ""
    last_position: int = 0
    updated_at: str = ""

    def view(self) -> JSONObject:
        """Return the summary as the API shows it."""
        return {
            "stream": self.stream,
            "events": self.events,
            "last_type": self.last_type,
            "last_global_position": self.last_position,
            "updated_at": self.updated_at,
        }


class Lobby:
    """Fold the log into game summaries, player records and stream summaries."""

    name: Final = "lobby (this server)"

    def __init__(self) -> None:
        self.checkpoint = 0
        self.failure: UnreadableEventError | None = None
        self._games: dict[str, GameSummary] = {}
        self._streams: dict[str, StreamSummary] = {}
        self._codec = game_codec()

    def apply(self, record: RecordedEvent) -> None:
        """Fold one event, unless an earlier one could not be read."""
        if self.failure is not None:
            return
        try:
            self._apply(record)
        except UnreadableEventError as exc:
            # A foreseeable condition: the message names the stream and the
            # position, which is all an operator needs; a traceback adds nothing.
            logger.error("the lobby stopped at an unreadable event: %s", exc)  # noqa: TRY400
            self.failure = exc
            return
        self.checkpoint = record.global_position

    def games(self, status: str | None = None, limit: int = 50) -> list[JSONObject]:
        """Return the most recently active games, optionally of one status."""
        chosen = [
            game
            for game in self._games.values()
            if status is None or game.status == status
        ]
        chosen.sort(key=lambda game: game.position, reverse=True)
        return [game.view() for game in chosen[:limit]]

    def leaderboard(self, limit: int = 20) -> list[JSONObject]:
        """Return players by points (3 a win, 1 a tie) over finished games."""
        records: dict[str, dict[str, int]] = {}
        for game in self._games.values():
            if game.status != "finished" or game.player_one is None:
                continue
            for player in (game.player_one, game.player_two):
                if player is None:
                    continue
                record = records.setdefault(
                    player, {"played": 0, "won": 0, "lost": 0, "tied": 0}
                )
                record["played"] += 1
                if game.winner is None:
                    record["tied"] += 1
                elif game.winner == player:
                    record["won"] += 1
                else:
                    record["lost"] += 1
        rows: list[JSONObject] = [
            {
                "player": player,
                **record,
                "points": 3 * record["won"] + record["tied"],
                "rating": None,
            }
            for player, record in records.items()
        ]
        rows.sort(key=lambda row: (-row["points"], -row["won"], row["player"]))
        return rows[:limit]

    def streams(self, limit: int = 100) -> list[JSONObject]:
        """Return the most recently written streams."""
        chosen = sorted(
            self._streams.values(), key=lambda s: s.last_position, reverse=True
        )
        return [summary.view() for summary in chosen[:limit]]

    def stream_count(self) -> int:
        """Return how many streams the log holds."""
        return len(self._streams)

    def _apply(self, record: RecordedEvent) -> None:
        stream = record.stream
        summary = self._streams.get(stream)
        if summary is None:
            summary = self._streams[stream] = StreamSummary(stream)
        summary.events += 1
        summary.last_type = record.type
        summary.last_position = record.global_position
        summary.updated_at = record.recorded_at.isoformat()
        if stream.startswith(GAME_STREAM_PREFIX):
            self._apply_game(self._game(stream, GAME_STREAM_PREFIX, record), record)
        elif stream.startswith(SEATS_STREAM_PREFIX):
            game = self._game(stream, SEATS_STREAM_PREFIX, record)
            game.seating.apply(record)
            if game.status == "waiting":
                first = game.seating.holders.get(Seat.ONE)
                second = game.seating.holders.get(Seat.TWO)
                game.player_one = None if first is None else first.player
                game.player_two = None if second is None else second.player

    def _game(self, stream: str, prefix: str, record: RecordedEvent) -> GameSummary:
        game_id = stream.removeprefix(prefix)
        game = self._games.get(game_id)
        if game is None:
            game = self._games[game_id] = GameSummary(game_id)
            game.created_at = record.recorded_at.isoformat()
        game.updated_at = record.recorded_at.isoformat()
        game.position = record.global_position
        return game

    def _apply_game(self, game: GameSummary, record: RecordedEvent) -> None:
        event = self._codec.decode(record)
        match event:
            case GameStarted(player_one, player_two):
                game.status = "playing"
                game.player_one = player_one
                game.player_two = player_two
                game.created_at = record.recorded_at.isoformat()
                game.forked_from = _forked_from(record)
            case MoveMade():
                game.moves += 1
            case GameFinished(result):
                game.status = "finished"
                game.result = str(result)
                game.winner = winner(result, game.player_one, game.player_two)
            case _:
                assert_never(event)


def _forked_from(record: RecordedEvent) -> object:
    try:
        metadata = json.loads(record.metadata)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None
    return metadata.get("forked_from") if isinstance(metadata, dict) else None
