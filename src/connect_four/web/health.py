"""Health and readiness probes (`/healthz`, `/readyz`) for proxies and orchestrators.

- `/healthz` says the process answers: it touches nothing else, so a slow
  database never makes an orchestrator kill a healthy server.
- `/readyz` says this server should get traffic: the store answers within
  `timeout` seconds, every read model is at most `max_lag` events behind the
  log's head, and the server is not shutting down. Otherwise it answers 503
  with the reasons, so the proxy sends requests to another server.

Both answer fast, are never cached (`Cache-Control: no-store`), are reads (so
the rate limit, which counts only writes, never refuses them) and are logged
only at debug level.
"""

from __future__ import annotations

import asyncio
import threading
from dataclasses import dataclass, field
from typing import Final

import anyio.to_thread
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from connect_four.eventsourcing.errors import EventSourcingError
from connect_four.eventsourcing.store import EventStore
from connect_four.readmodels import ReadModels

DEFAULT_MAX_LAG: Final = 100
"""Events a read model may be behind before the server stops calling itself ready."""
DEFAULT_TIMEOUT: Final = 2.0
"""Seconds the store has to answer a readiness check."""
NO_STORE: Final = {"Cache-Control": "no-store"}


@dataclass
class Readiness:
    """Decide whether this server should get traffic now."""

    store: EventStore
    read_models: ReadModels | None = None
    max_lag: int = DEFAULT_MAX_LAG
    timeout: float = DEFAULT_TIMEOUT
    shutting_down: threading.Event = field(default_factory=threading.Event)
    """Set when the server begins to shut down: it then refuses readiness."""

    def problems(self) -> list[str]:
        """Return why the server is not ready (an empty list when it is).

        It reads the store, so call it from a worker thread.
        """
        if self.shutting_down.is_set():
            return ["the server is shutting down"]
        try:
            self.store.last_global_position()
            statuses = [] if self.read_models is None else self.read_models.statuses()
        except EventSourcingError as exc:
            return [f"the store does not answer: {exc}"]
        reasons = []
        for status in statuses:
            slot = status.slot
            if slot.active and status.lag > self.max_lag:
                reasons.append(
                    f"read model {slot.name!r} is {status.lag} events behind"
                    f" (more than {self.max_lag})"
                )
        return reasons

    async def check(self) -> list[str]:
        """Return the problems, or a timeout if the store takes too long to say."""
        # Abandon the worker thread on timeout: a hung database must not
        # hang the probe too.
        check = anyio.to_thread.run_sync(self.problems, abandon_on_cancel=True)
        try:
            return await asyncio.wait_for(check, self.timeout)
        except TimeoutError:
            return [f"the store did not answer within {self.timeout:g} s"]


async def healthz(request: Request) -> Response:
    """Answer that the process is alive."""
    return JSONResponse({"status": "ok"}, headers=NO_STORE)


def routes(readiness: Readiness) -> list[Route]:
    """Return the two probes' routes, the readiness one over `readiness`."""

    async def readyz(request: Request) -> Response:
        problems = await readiness.check()
        if problems:
            body = {"status": "unavailable", "reasons": problems}
            return JSONResponse(body, 503, headers=NO_STORE)
        return JSONResponse({"status": "ready"}, headers=NO_STORE)

    return [
        Route("/healthz", healthz, methods=["GET"]),
        Route("/readyz", readyz, methods=["GET"]),
    ]
