"""Summaries of every game, folded from the store's global log.

This is the `games` command's data source until a persistent projection
replaces it: it reads the whole log on each call, page by page, so it suits
stores of thousands of games, not millions. Only `summarise_games` needs to
change then; the listing takes any sequence of `GameSummary`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Final, assert_never

from connect_four.application.codec import GAME_STREAM_PREFIX, game_codec
from connect_four.domain.events import GameEvent, GameFinished, GameStarted, MoveMade
from connect_four.domain.result import GameResult
from connect_four.eventsourcing.errors import UnreadableEventError
from connect_four.eventsourcing.events import RecordedEvent
from connect_four.eventsourcing.store import EventStore

PAGE_SIZE: Final = 1000


@dataclass(frozen=True, slots=True)
class GameSummary:
    """What the game list shows about one game."""

    game_id: str
    player_one: str
    player_two: str
    moves: int
    next_player: str | None
    result: GameResult | None
    started_at: datetime
    updated_at: datetime

    @property
    def is_finished(self) -> bool:
        """Return whether the game has ended."""
        return self.result is not None


@dataclass(slots=True)
class _Tally:
    """A game's summary while its events are being folded."""

    player_one: str
    player_two: str
    started_at: datetime
    started_position: int
    updated_at: datetime
    moves: int = 0
    next_player: str | None = None
    result: GameResult | None = None


def summarise_games(store: EventStore, page_size: int = PAGE_SIZE) -> list[GameSummary]:
    """Return a summary of every game in the store, newest first.

    Raises:
        UnreadableEventError: a game's event cannot be read, or its stream
            does not begin with `GameStarted`.
    """
    decode = game_codec().decode
    tallies: dict[str, _Tally] = {}
    after = 0
    while page := store.read_all(after, page_size):
        for record in page:
            if record.stream.startswith(GAME_STREAM_PREFIX):
                _fold(tallies, record, decode(record))
        after = page[-1].global_position
    newest_first = sorted(
        tallies.items(), key=lambda item: item[1].started_position, reverse=True
    )
    return [
        GameSummary(
            game_id,
            tally.player_one,
            tally.player_two,
            tally.moves,
            tally.next_player,
            tally.result,
            tally.started_at,
            tally.updated_at,
        )
        for game_id, tally in newest_first
    ]


def _fold(tallies: dict[str, _Tally], record: RecordedEvent, event: GameEvent) -> None:
    game_id = record.stream.removeprefix(GAME_STREAM_PREFIX)
    tally = tallies.get(game_id)
    if isinstance(event, GameStarted):
        tallies[game_id] = _Tally(
            event.player_one,
            event.player_two,
            record.recorded_at,
            record.global_position,
            record.recorded_at,
            next_player=event.player_one,
        )
        return
    if tally is None:
        raise UnreadableEventError.from_record(
            record, "the game's stream does not begin with GameStarted"
        )
    tally.updated_at = record.recorded_at
    match event:
        case MoveMade(player):
            tally.moves += 1
            tally.next_player = (
                tally.player_two if player == tally.player_one else tally.player_one
            )
        case GameFinished(result):
            tally.result = result
            tally.next_player = None
        case _:
            assert_never(event)
