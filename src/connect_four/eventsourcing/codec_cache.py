"""`CachingEventCodec`: the codec with caches in front, for replaying many games.

A tuning piece beside `codec.py`, which shows the plain idea. Events are
immutable values, so two stored events with the same type and data (and no
schema version in their metadata, so one schema per type) decode to equal
events: replaying games parses the same few `MoveMade` payloads over and
over, and a cache keyed by (type, data) hands back the event built the first
time. Commands encode the same few events again and again, so a second cache
keyed by the event hands back its bytes.

What it buys, measured with `python -m benchmarks.codec` (the streams of
1,000 corpus games, both codecs in alternating rounds): 5 to 7 times as many
events decoded a second as the plain codec, and about 12 times as many
encoded (docs/benchmarks.md, "The codec's caches").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TypeVar

from connect_four.eventsourcing.codec import (
    SCHEMA_MARKER,
    EventCodec,
    Upcaster,
    check_envelope,
    is_labelled,
)
from connect_four.eventsourcing.events import RecordedEvent

E = TypeVar("E")

CACHE_LIMIT = 4096
"""Entries each cache holds before it starts afresh."""


class CachingEventCodec(EventCodec[E]):
    """An `EventCodec` that remembers what it last decoded and encoded."""

    def __init__(
        self,
        event_classes: Iterable[type[E]],
        upcasters: Iterable[Upcaster] = (),
        versions: Mapping[str, int] | None = None,
        unversioned: Mapping[str, int] | None = None,
    ) -> None:
        super().__init__(event_classes, upcasters, versions, unversioned)
        self._decoded: dict[tuple[str, bytes], E] = {}
        self._encoded: dict[E, tuple[str, bytes]] = {}

    def encode(self, event: E) -> tuple[str, bytes]:
        """Return the stored type name and UTF-8 JSON data of an event."""
        encoded = self._encoded.get(event)
        if encoded is None:
            encoded = super().encode(event)
            if len(self._encoded) >= CACHE_LIMIT:
                self._encoded.clear()
            self._encoded[event] = encoded
        return encoded

    def decode(self, record: RecordedEvent) -> E:
        """Build the domain event that a stored event records, or reuse it.

        Raises:
            UnreadableEventError: the type is unknown or the data does not fit it.
        """
        check_envelope(record)
        if is_labelled(record):
            # Another schema may need upcasting: equal data, different events.
            return super().decode(record)
        key = (record.type, record.data)
        event = self._decoded.get(key)
        if event is None:
            event = super().decode(record)
            if len(self._decoded) >= CACHE_LIMIT:
                self._decoded.clear()
            self._decoded[key] = event
        return event

    def decode_all(self, records: Iterable[RecordedEvent]) -> list[E]:
        """Decode stored events in order, looking each up before decoding it.

        The same checks as `decode`, inlined: a replay calls this once per
        game for some twenty events, and the calls per event were a third of
        a cold load (`python -m benchmarks.commands`, "games loaded/s").

        Raises:
            UnreadableEventError: an event's type is unknown or its data does not fit.
        """
        decoded = self._decoded
        events: list[E] = []
        for record in records:
            data = record.data
            metadata = record.metadata
            if (
                type(data) is bytes
                and type(metadata) is bytes
                and SCHEMA_MARKER not in metadata
            ):
                event = decoded.get((record.type, data))
                if event is not None:
                    events.append(event)
                    continue
            events.append(self.decode(record))
        return events
