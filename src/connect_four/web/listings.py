"""The lobby's lists, from the read side's projections: one read side for every client.

Games in play or finished and the leaderboard (with Elo ratings) come from
the `games` and `leaderboard` projections, games waiting for a second player
from `tables`. The web app keeps them current in the background and catches
them up before answering a list request, so a list shows every game stored
before the request.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from typing import Final

from starlette.concurrency import run_in_threadpool

from connect_four.eventsourcing.codec import JSONObject
from connect_four.eventsourcing.errors import EventSourcingError
from connect_four.readmodels import GameStatus, ReadModels
from connect_four.web.follower import LogFollower
from connect_four.web.views import standing_view, summary_view, waiting_view

logger = logging.getLogger(__name__)

STATUSES: Final = ("waiting", "playing", "finished")
_STATUS: Final = {"playing": GameStatus.IN_PROGRESS, "finished": GameStatus.FINISHED}


class Listings:
    """Answer the lobby's lists and the projections' report."""

    def __init__(self, read_models: ReadModels, follower: LogFollower) -> None:
        self.read_models = read_models
        self.follower = follower
        self._lock = threading.Lock()

    def catch_up(self) -> None:
        """Bring the read models up to every stored event (from a worker thread).

        One catch-up at a time in this process: requests and the background
        loop share the runners.

        Raises:
            ProjectionStoppedError: a stored event cannot be read.
        """
        with self._lock:
            self.read_models.catch_up()

    async def keep_current(self, interval: float) -> None:
        """Catch the read models up every `interval` seconds until cancelled."""
        failed = False
        while True:
            try:
                await run_in_threadpool(self.catch_up)
            except EventSourcingError as exc:
                # A store outage, or an event the projections cannot read:
                # say so once (the stream browser shows the lag), keep trying.
                if not failed:
                    logger.error("the read models could not catch up: %s", exc)  # noqa: TRY400
                failed = True
            else:
                failed = False
            await asyncio.sleep(interval)

    def games(
        self, status: str | None, limit: int, offset: int = 0
    ) -> list[JSONObject]:
        """Return the most recent games, optionally of one status, after `offset`."""
        end = offset + limit
        rows: list[JSONObject] = []
        if status in (None, "waiting"):
            rows += [waiting_view(table) for table in self.read_models.waiting(end)]
        if status != "waiting":
            summaries = self.read_models.games(
                status=_STATUS.get(status or ""), limit=end
            )
            rows += [summary_view(summary) for summary in summaries]
        rows.sort(key=lambda row: row["position"], reverse=True)
        return rows[offset:end]

    def leaderboard(self, limit: int) -> list[JSONObject]:
        """Return players, best Elo rating first."""
        return [standing_view(s) for s in self.read_models.leaderboard()[:limit]]

    def statuses(self, head: int) -> list[JSONObject]:
        """Return each projection's checkpoint and lag behind the log's head."""
        rows: list[JSONObject] = [
            _status_row("live feeds (this server)", self.follower.position, head)
        ]
        for status in self.read_models.statuses():
            slot = status.slot
            name = slot.name if slot.active else f"{slot.name} (rebuilding)"
            if slot.origin:
                name += f" from {slot.origin}"
            row = _status_row(name, slot.checkpoint, status.head)
            row.update(
                projection=slot.name,
                generation=slot.generation,
                serving=slot.active,
                starts_after=slot.origin,
            )
            rows.append(row)
        return rows


def _status_row(name: str, checkpoint: int, head: int) -> JSONObject:
    return {
        "name": name,
        "checkpoint": checkpoint,
        "lag": max(head - checkpoint, 0),
        "state": "running",
        "error": None,
    }
