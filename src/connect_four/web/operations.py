"""What the web app needs to be run as a service, gathered for `create_app`.

`Operations` holds the metrics, the shutdown notice and the readiness
settings of one server process, and gives `create_app` the routes
(`/healthz`, `/readyz`, `/metrics`) and the outer middleware (closing live
feeds on shutdown, observing every request for the access log and the
metrics) that go with them. The composition root builds one and also uses
its metrics to wrap the event store (`MeasuredEventStore`).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from starlette.middleware import Middleware
from starlette.routing import Route

from connect_four.ai.computers import Computers
from connect_four.application.tables import ComputerChoice
from connect_four.domain.board import Column
from connect_four.eventsourcing.store import EventStore
from connect_four.readmodels import ReadModels
from connect_four.web import health
from connect_four.web.metrics import Metrics, metrics_endpoint
from connect_four.web.observation import ObserveRequests
from connect_four.web.request_log import log_request
from connect_four.web.shutdown import CloseLiveFeeds, Draining


@dataclass
class Operations:
    """The metrics, shutdown notice and readiness settings of one server process."""

    metrics: Metrics = field(default_factory=Metrics)
    draining: Draining = field(default_factory=Draining)
    metrics_on_public_port: bool = True
    """False when the metrics are served on a port of their own instead."""
    max_lag: int = health.DEFAULT_MAX_LAG
    """Events a read model may lag behind before `/readyz` answers 503."""
    readiness_timeout: float = health.DEFAULT_TIMEOUT

    def routes(self, store: EventStore, read_models: ReadModels | None) -> list[Route]:
        """Return the probes' routes, and `/metrics` unless it has its own port."""
        if read_models is not None:
            self.metrics.watch_read_models(read_models)
        readiness = health.Readiness(
            store,
            read_models,
            max_lag=self.max_lag,
            timeout=self.readiness_timeout,
            shutting_down=self.draining.flag,
        )
        routes = health.routes(readiness)
        if self.metrics_on_public_port:
            endpoint = metrics_endpoint(self.metrics)
            routes.append(Route("/metrics", endpoint, methods=["GET"]))
        return routes

    def middleware(self) -> Sequence[Middleware]:
        """Return the outermost middleware, outermost first."""
        metrics = self.metrics
        return (
            Middleware(CloseLiveFeeds, self.draining),
            Middleware(
                ObserveRequests,
                sinks=(log_request, metrics.record_request),
                on_stream=(metrics.stream_changed,),
            ),
        )

    def computers(self) -> Computers:
        """Return the computer players, their think time measured."""
        return MeasuredComputers(self.metrics)


class MeasuredComputers(Computers):
    """Computer players whose every choice is timed, per level."""

    def __init__(self, metrics: Metrics, seed: int | None = None) -> None:
        super().__init__(seed)
        self._metrics = metrics

    def choose(self, level: str, moves: Sequence[Column]) -> ComputerChoice:
        """Return the computer's choice, recording how long it took.

        Raises:
            ComputerUnavailableError: there is no such level, or no AI at all.
        """
        started = time.perf_counter()
        choice = super().choose(level, moves)
        elapsed = time.perf_counter() - started
        self._metrics.think_seconds.labels(level).observe(elapsed)
        return choice
