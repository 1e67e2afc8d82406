"""A decorator of any event store that measures and logs its appends.

The composition root (`connect-four serve`) wraps the store it opened, so the
stores themselves stay free of metrics and logging: every append goes through
`MeasuredEventStore.append`, which times it, counts its events or its
conflict, and notes the `command`, `correlation_id` and `causation_id` the
events' metadata holds (see `application/service.py`) on the request being
served, whose access log line then names them. Each append is logged too:
at debug level inside a request, at info level outside one.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Sequence
from typing import Final

from connect_four.eventsourcing.errors import ConcurrencyError
from connect_four.eventsourcing.events import NewEvent, RecordedEvent
from connect_four.eventsourcing.store import (
    AppendResult,
    EventStore,
    ExpectedVersion,
    store_name,
)
from connect_four.web.metrics import Metrics
from connect_four.web.observation import current_request

logger = logging.getLogger("connect_four.store")

METADATA_KEYS: Final = ("command", "correlation_id", "causation_id")


class MeasuredEventStore:
    """Pass every call to the store; time, count and log its appends."""

    def __init__(self, store: EventStore, metrics: Metrics, backend: str) -> None:
        self.inner = store
        self.name = store_name(store)
        """The store's own name, which errors about its events quote."""
        self._metrics = metrics
        self._backend = backend

    def append(
        self,
        stream: str,
        events: Sequence[NewEvent],
        expected_version: ExpectedVersion,
    ) -> AppendResult:
        """Append through the store, measuring the time and the outcome.

        Raises:
            ConcurrencyError: the stream is not at `expected_version`.
        """
        metrics = self._metrics
        facts = command_facts(events)
        started = time.perf_counter()
        try:
            result = self.inner.append(stream, events, expected_version)
        except ConcurrencyError:
            metrics.append_conflicts.labels(self._backend).inc()
            _log_append(facts, stream, len(events), "conflict", started)
            raise
        finally:
            elapsed = time.perf_counter() - started
            metrics.append_seconds.labels(self._backend).observe(elapsed)
        metrics.events_appended.labels(self._backend).inc(len(events))
        _log_append(facts, stream, len(events), "stored", started, result)
        return result

    def read_stream(self, stream: str, from_position: int = 0) -> list[RecordedEvent]:
        """Return the stream's events from a position on, oldest first."""
        return self.inner.read_stream(stream, from_position)

    def read_all(self, after: int = 0, limit: int = 1000) -> list[RecordedEvent]:
        """Return up to `limit` events after a global position, in order."""
        return self.inner.read_all(after, limit)

    def last_global_position(self) -> int:
        """Return the global position of the newest event (0 if none)."""
        return self.inner.last_global_position()

    def close(self) -> None:
        """Close the store underneath."""
        self.inner.close()


def command_facts(events: Sequence[NewEvent]) -> dict[str, str]:
    """Return the command, correlation and causation ids of an append's metadata."""
    if not events:
        return {}
    try:
        metadata = json.loads(events[0].metadata or b"{}")
    except ValueError:
        return {}
    if not isinstance(metadata, dict):
        return {}
    return {
        key: str(metadata[key])
        for key in METADATA_KEYS
        if isinstance(metadata.get(key), str | int)
    }


def _log_append(
    facts: dict[str, str],
    stream: str,
    count: int,
    outcome: str,
    started: float,
    result: AppendResult | None = None,
) -> None:
    request = current_request()
    if request is not None and outcome == "stored":
        request.note_append(facts, stream, count)
    # Inside a request, the access log writes one line per command when the
    # request ends; an append outside any request is its own command's line.
    level = logging.DEBUG if request is not None else logging.INFO
    if not logger.isEnabledFor(level):
        return
    command = facts.get("command", "append")
    position = "" if result is None else f" at position {result.stream_position}"
    logger.log(
        level,
        "%s %s %d event%s in %s%s",
        command,
        outcome,
        count,
        "" if count == 1 else "s",
        stream,
        position,
        extra={
            "command": command,
            "outcome": outcome,
            "stream": stream,
            "events": count,
            "correlation_id": facts.get("correlation_id"),
            "causation_id": facts.get("causation_id"),
            "request_id": None if request is None else request.request_id,
            "duration_ms": round((time.perf_counter() - started) * 1000, 2),
        },
    )
