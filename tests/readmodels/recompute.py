"""Recompute the read models straight from the raw events, to check projections by.

This is deliberately the plainest possible fold: every event of the global log,
in order, into dicts; it shares no code with the projections but the codec.
"""

from __future__ import annotations

import dataclasses
import json
import math
from dataclasses import dataclass

from connect_four.domain.events import GameFinished, GameStarted, MoveMade
from connect_four.domain.result import GameResult
from connect_four.eventsourcing.store import EventStore
from connect_four.persistence.codec import GAME_STREAM_PREFIX, game_codec
from connect_four.readmodels import GameStatus, GameSummary, Standing


@dataclass
class _Record:
    player: str
    games: int = 0
    wins: int = 0
    losses: int = 0
    draws: int = 0
    rating: float = 1500.0


def recompute(store: EventStore) -> tuple[list[GameSummary], dict[str, Standing]]:
    """Return the game list (newest first) and every player's standing."""
    codec = game_codec()
    games: dict[str, GameSummary] = {}
    started: dict[str, int] = {}
    records: dict[str, _Record] = {}
    after = 0
    while page := store.read_all(after, 100):
        after = page[-1].global_position
        for raw in page:
            if not raw.stream.startswith(GAME_STREAM_PREFIX):
                continue
            game_id = raw.stream.removeprefix(GAME_STREAM_PREFIX)
            event = codec.decode(raw)
            if isinstance(event, GameStarted):
                started[game_id] = raw.global_position
                origin = json.loads(raw.metadata).get("forked_from")
                games[game_id] = GameSummary(
                    game_id, event.player_one, event.player_two,
                    GameStatus.IN_PROGRESS, 0, event.player_one, None, None,
                    raw.recorded_at, None, None, origin, raw.global_position,
                )  # fmt: skip
            elif isinstance(event, MoveMade):
                game = games[game_id]
                games[game_id] = dataclasses.replace(
                    game,
                    moves=game.moves + 1,
                    last_move_at=raw.recorded_at,
                    next_player=game.player_two
                    if event.player == game.player_one
                    else game.player_one,
                )
            elif isinstance(event, GameFinished):
                game = games[game_id]
                winner = {
                    GameResult.PLAYER_ONE_WON: game.player_one,
                    GameResult.PLAYER_TWO_WON: game.player_two,
                    GameResult.TIED: None,
                }[event.result]
                games[game_id] = dataclasses.replace(
                    game,
                    status=GameStatus.FINISHED,
                    result=event.result,
                    winner=winner,
                    next_player=None,
                    finished_at=raw.recorded_at,
                )
                _score(records, game.player_one, game.player_two, winner)
    newest_first = sorted(games, key=lambda game_id: started[game_id], reverse=True)
    standings = {
        name: Standing(name, r.games, r.wins, r.losses, r.draws, r.rating)
        for name, r in records.items()
    }
    return [games[game_id] for game_id in newest_first], standings


def _score(records: dict[str, _Record], one: str, two: str, winner: str | None) -> None:
    first = records.setdefault(one, _Record(one))
    second = records.setdefault(two, _Record(two))
    score = 0.5 if winner is None else 1.0 if winner == one else 0.0
    expected = 1 / (1 + math.pow(10, (second.rating - first.rating) / 400))
    change = 32 * (score - expected)
    first.rating += change
    second.rating -= change
    for record, points in ((first, score), (second, 1 - score)):
        record.games += 1
        if points == 1:
            record.wins += 1
        elif points == 0:
            record.losses += 1
        else:
            record.draws += 1
