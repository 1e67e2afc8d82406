"""The server's metrics, in the Prometheus text format (`prometheus_client`).

What is measured, and where:

- requests: a latency histogram by method, route template and status (from
  `ObserveRequests`), and the live feeds open now;
- commands (the API's writes) by kind and outcome: `accepted`, or the kind of
  error the answer names (`rule_broken`, `concurrent_update`, ...);
- appends, per store backend: a latency histogram, events appended and
  conflicts (from `MeasuredEventStore`, the store's decorator);
- the engine's think time per level (from `MeasuredComputers`);
- the read models: each slot's checkpoint, lag and generation, whether a
  rebuild is under way, and the log's head, read from the store when scraped.

Several worker processes of one server write their figures to files in the
directory `PROMETHEUS_MULTIPROC_DIR` names (it must exist, be empty at start
and be set before the process starts); a scrape of any of them then answers
for all of them together (`prometheus_client.multiprocess`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Awaitable, Callable, Iterable
from typing import Final

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from connect_four.readmodels import ReadModels
from connect_four.web.observation import RequestRecord

MULTIPROCESS_ENV: Final = "PROMETHEUS_MULTIPROC_DIR"
CONTENT_TYPE: Final = "text/plain; version=0.0.4; charset=utf-8"
COMMANDS: Final = (
    (re.compile(r"/api/games"), "open_game"),
    (re.compile(r"/api/games/[^/]+/join"), "join_game"),
    (re.compile(r"/api/games/[^/]+/moves"), "make_move"),
    (re.compile(r"/api/games/[^/]+/forks"), "fork_game"),
    (re.compile(r"/api/games/[^/]+/computer"), "play_computer"),
)
"""The API's commands (all POST) by path: matched on the path itself, so that a
command refused before routing (by the rate limit) is counted too."""
SAFE_METHODS: Final = frozenset({"GET", "HEAD", "OPTIONS"})
UNMATCHED: Final = "unmatched"
"""The route label of requests no route matched (so raw paths never become labels)."""
Endpoint = Callable[[Request], Awaitable[Response]]
LATENCY_BUCKETS: Final = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0)
LATENCY_BUCKETS_LONG: Final = (*LATENCY_BUCKETS, 2.5, 5.0, 10.0, 30.0)


class Metrics:
    """Every metric of one server process, in a registry of its own."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        registry = self.registry
        self.requests = Histogram(
            "connect_four_http_request_duration_seconds",
            "Time from a request's arrival to the end of its answer.",
            ["method", "route", "status"],
            buckets=LATENCY_BUCKETS_LONG,
            registry=registry,
        )
        self.commands = Counter(
            "connect_four_commands",
            "Commands received through the API, by kind and outcome.",
            ["command", "outcome"],
            registry=registry,
        )
        self.live_connections = Gauge(
            "connect_four_live_connections",
            "Live connections (WebSockets and Server-Sent Events) open now.",
            registry=registry,
            multiprocess_mode="livesum",
        )
        self.append_seconds = Histogram(
            "connect_four_store_append_duration_seconds",
            "Time one append to the event store takes, successful or not.",
            ["store"],
            buckets=LATENCY_BUCKETS,
            registry=registry,
        )
        self.events_appended = Counter(
            "connect_four_store_events_appended",
            "Events appended to the event store.",
            ["store"],
            registry=registry,
        )
        self.append_conflicts = Counter(
            "connect_four_store_append_conflicts",
            "Appends refused because the stream was not at the expected version.",
            ["store"],
            registry=registry,
        )
        self.think_seconds = Histogram(
            "connect_four_engine_think_duration_seconds",
            "Time the computer player takes to choose a move, by level.",
            ["level"],
            buckets=LATENCY_BUCKETS_LONG,
            registry=registry,
        )
        self._read_models: ReadModelsCollector | None = None

    def watch_read_models(self, read_models: ReadModels) -> None:
        """Report the read models' checkpoints, lag and rebuilds when scraped."""
        self._read_models = ReadModelsCollector(read_models)
        if not is_multiprocess():
            self.registry.register(self._read_models)

    def record_request(self, record: RequestRecord) -> None:
        """Count a finished request (a sink of `ObserveRequests`)."""
        route = record.route or UNMATCHED
        status = str(record.status)
        self.requests.labels(record.method, route, status).observe(record.duration)
        if record.method in SAFE_METHODS:
            return
        command = command_name(record.method, record.path)
        outcome = "accepted" if (record.status or 500) < 400 else record.error
        self.commands.labels(command, outcome or f"http_{status}").inc()

    def stream_changed(self, record: RequestRecord, change: int) -> None:
        """Count a live feed opening (+1) or closing (-1)."""
        self.live_connections.inc(change)

    def exposition(self) -> bytes:
        """Return every metric in the Prometheus text format."""
        return generate_latest(self.exposition_registry())

    def exposition_registry(self) -> CollectorRegistry:
        """Return the registry a scrape reads: this process's, or all workers'."""
        if not is_multiprocess():
            return self.registry
        combined = CollectorRegistry()
        MultiProcessCollector(combined)  # type: ignore[no-untyped-call]  # untyped upstream
        if self._read_models is not None:
            combined.register(self._read_models)
        return combined


def command_name(method: str, path: str) -> str:
    """Return the command a write request asks for, or `other`."""
    if method == "POST":
        for pattern, name in COMMANDS:
            if pattern.fullmatch(path):
                return name
    return "other"


def is_multiprocess() -> bool:
    """Return whether workers share their figures through files."""
    return bool(os.environ.get(MULTIPROCESS_ENV))


class ReadModelsCollector(Collector):
    """Read the read models' slots and the log's head at each scrape."""

    def __init__(self, read_models: ReadModels) -> None:
        self._read_models = read_models

    def collect(self) -> Iterable[Metric]:
        """Yield the read-model gauges, as the store holds them now."""
        statuses = self._read_models.statuses()
        head = GaugeMetricFamily(
            "connect_four_log_head_position",
            "Global position of the newest event in the store.",
        )
        head.add_metric([], statuses[0].head if statuses else 0)
        labels = ["projection", "generation", "state"]
        checkpoint = GaugeMetricFamily(
            "connect_four_read_model_checkpoint",
            "Global position of the last event folded into a read model's slot.",
            labels=labels,
        )
        lag = GaugeMetricFamily(
            "connect_four_read_model_lag",
            "Events a read model's slot is behind the log's head.",
            labels=labels,
        )
        generation = GaugeMetricFamily(
            "connect_four_read_model_generation",
            "Generation of the slot that serves a read model (one more per rebuild).",
            labels=["projection"],
        )
        rebuilding = GaugeMetricFamily(
            "connect_four_read_model_rebuilding",
            "1 while a rebuild of the read model is filling a new slot.",
            labels=["projection"],
        )
        building: dict[str, int] = dict.fromkeys(self._read_models.names, 0)
        for status in statuses:
            slot = status.slot
            state = "serving" if slot.active else "rebuilding"
            values = [slot.name, str(slot.generation), state]
            checkpoint.add_metric(values, slot.checkpoint)
            lag.add_metric(values, status.lag)
            if slot.active:
                generation.add_metric([slot.name], slot.generation)
            else:
                building[slot.name] = 1
        for name, flag in building.items():
            rebuilding.add_metric([name], flag)
        yield from (head, checkpoint, lag, generation, rebuilding)


def metrics_endpoint(metrics: Metrics) -> Endpoint:
    """Return the handler of `GET /metrics`."""

    async def endpoint(request: Request) -> Response:
        body = await run_in_threadpool(metrics.exposition)
        return Response(
            body, media_type=CONTENT_TYPE, headers={"Cache-Control": "no-store"}
        )

    return endpoint
