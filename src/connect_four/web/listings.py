"""Where the lobby's lists come from: the read side's projections, or the lobby fold.

With `ReadModels` (the durable projections of the read side), games in play
or finished and the leaderboard (with Elo ratings) come from their documents,
and their checkpoints show in the stream browser. Games still waiting for a
second player exist only as seats, which those projections do not read, so
they always come from the in-memory lobby fold; without read models the fold
answers everything.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from datetime import datetime
from typing import Final

from starlette.concurrency import run_in_threadpool

from connect_four.eventsourcing.codec import JSONObject
from connect_four.eventsourcing.errors import EventSourcingError
from connect_four.readmodels import GameStatus, GameSummary, ReadModels, Standing
from connect_four.web.follower import LogFollower
from connect_four.web.lobby import Lobby

logger = logging.getLogger(__name__)

_STATUS: Final = {"playing": GameStatus.IN_PROGRESS, "finished": GameStatus.FINISHED}


class Listings:
    """Answer the lobby's lists and the projections' report."""

    def __init__(
        self, lobby: Lobby, follower: LogFollower, read_models: ReadModels | None
    ) -> None:
        self.lobby = lobby
        self.follower = follower
        self.read_models = read_models
        self._lock = threading.Lock()

    def catch_up(self) -> None:
        """Bring the read models up to every stored event (from a worker thread).

        One catch-up at a time: requests and the background loop share the
        runners, whose checkpoints move by one committed page after another.
        """
        if self.read_models is not None:
            with self._lock:
                self.read_models.catch_up()

    async def keep_current(self, interval: float) -> None:
        """Catch the read models up every `interval` seconds until cancelled."""
        if self.read_models is None:
            return
        failed = False
        while True:
            try:
                await run_in_threadpool(self.catch_up)
            except EventSourcingError:
                # A store outage, or an event the projections cannot read:
                # say so once (the stream browser shows the lag), keep trying.
                if not failed:
                    logger.exception("the read models could not catch up")
                failed = True
            else:
                failed = False
            await asyncio.sleep(interval)

    def games(
        self, status: str | None, limit: int, offset: int = 0
    ) -> list[JSONObject]:
        """Return the most recent games, optionally of one status, after `offset`."""
        if self.read_models is None:
            return self.lobby.games(status, offset + limit)[offset:]
        end = offset + limit
        waiting = (
            self.lobby.games("waiting", end) if status in (None, "waiting") else []
        )
        if status == "waiting":
            return waiting[offset:]
        summaries = self.read_models.games(status=_STATUS.get(status or ""), limit=end)
        rows = waiting + [_summary_view(summary) for summary in summaries]
        return rows[offset:end]

    def leaderboard(self, limit: int) -> list[JSONObject]:
        """Return players, best first."""
        if self.read_models is None:
            return self.lobby.leaderboard(limit)
        return [
            _standing_view(standing)
            for standing in self.read_models.leaderboard()[:limit]
        ]

    def statuses(self, head: int) -> list[JSONObject]:
        """Return each projection's checkpoint and lag behind the log's head."""
        lobby = self.lobby
        rows: list[JSONObject] = [
            _status_row(lobby.name, lobby.checkpoint, head, lobby.failure),
            _status_row("live feeds (this server)", self.follower.position, head, None),
        ]
        if self.read_models is not None:
            for status in self.read_models.statuses():
                slot = status.slot
                name = slot.name if slot.active else f"{slot.name} (rebuild)"
                rows.append(_status_row(name, slot.checkpoint, status.head, None))
        return rows


def _status_row(
    name: str, checkpoint: int, head: int, failure: Exception | None
) -> JSONObject:
    return {
        "name": name,
        "checkpoint": checkpoint,
        "lag": max(head - checkpoint, 0),
        "state": "running" if failure is None else "stopped",
        "error": None if failure is None else str(failure),
    }


def _summary_view(summary: GameSummary) -> JSONObject:
    updated = summary.finished_at or summary.last_move_at or summary.started_at
    return {
        "game_id": summary.id,
        "status": "finished" if summary.status is GameStatus.FINISHED else "playing",
        "player_one": summary.player_one,
        "player_two": summary.player_two,
        "moves": summary.moves,
        "result": None if summary.result is None else str(summary.result),
        "winner": summary.winner,
        "forked_from": None,
        "created_at": _iso(summary.started_at),
        "updated_at": _iso(updated),
        "position": None,
    }


def _standing_view(standing: Standing) -> JSONObject:
    return {
        "player": standing.player,
        "played": standing.games,
        "won": standing.wins,
        "lost": standing.losses,
        "tied": standing.draws,
        "points": 3 * standing.wins + standing.draws,
        "rating": round(standing.rating),
    }


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()
