"""Turn domain events into (type, UTF-8 JSON) and back, through a registry.

Events are registered as frozen dataclasses whose fields are JSON scalars or
`enum.Enum` values; the JSON object holds exactly the dataclass's fields. When a
stored event's schema has changed since it was written, an `Upcaster` chain
lifts the old JSON to the current shape before the event is built.
"""

from __future__ import annotations

import dataclasses
import enum
import json
import typing
from collections.abc import Callable, Iterable
from typing import Any, Generic, TypeAlias, TypeVar

from connect_four.eventsourcing.errors import UnreadableEventError
from connect_four.eventsourcing.events import RecordedEvent

E = TypeVar("E")

JSONObject: TypeAlias = dict[str, Any]

SCHEMA_KEY = "schema_version"
"""Metadata key holding the schema version an event was written with (default 1)."""

_CACHE_LIMIT = 4096


@dataclasses.dataclass(frozen=True, slots=True)
class Upcaster:
    """Lift the data of one event type from one schema version to the next."""

    type: str
    from_version: int
    upcast: Callable[[JSONObject], JSONObject]


@dataclasses.dataclass(frozen=True, slots=True)
class _EventType:
    name: str
    cls: type[Any]
    fields: tuple[tuple[str, Callable[[Any], Any]], ...]
    version: int


class EventCodec(Generic[E]):
    """Encode and decode the events of one aggregate type.

    Decoded events are immutable values, so identical stored payloads decode to
    the same object: a small cache keyed by (type, data) spares replaying games
    from parsing the same few move payloads over and over.
    """

    def __init__(
        self,
        event_classes: Iterable[type[E]],
        upcasters: Iterable[Upcaster] = (),
        versions: dict[str, int] | None = None,
    ) -> None:
        self._upcasters: dict[tuple[str, int], Upcaster] = {
            (u.type, u.from_version): u for u in upcasters
        }
        upcast_types = {u.type for u in self._upcasters.values()}
        versions = versions or {}
        self._by_name: dict[str, _EventType] = {}
        self._by_class: dict[type[Any], _EventType] = {}
        for cls in event_classes:
            event_type = _describe(cls, versions.get(cls.__name__, 1))
            self._by_name[event_type.name] = event_type
            self._by_class[cls] = event_type
        self._plain_types = set(self._by_name) - upcast_types
        self._cache: dict[tuple[str, bytes], E] = {}
        self._encoder = json.JSONEncoder(ensure_ascii=False)

    def encode(self, event: E) -> tuple[str, bytes]:
        """Return the stored type name and UTF-8 JSON data of an event."""
        event_type = self._by_class[type(event)]
        data = {
            name: getattr(event, name).value
            if isinstance(getattr(event, name), enum.Enum)
            else getattr(event, name)
            for name, _ in event_type.fields
        }
        return event_type.name, self._encoder.encode(data).encode()

    def schema_metadata(self, type_name: str) -> dict[str, int]:
        """Return the metadata entries that record the schema an event is written in."""
        version = self._by_name[type_name].version
        return {} if version == 1 else {SCHEMA_KEY: version}

    def decode(self, record: RecordedEvent) -> E:
        """Build the domain event that a stored event records.

        Raises:
            UnreadableEventError: the type is unknown or the data does not fit it.
        """
        key = (record.type, record.data)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        event: E = self._decode(record)
        if record.type in self._plain_types:
            if len(self._cache) >= _CACHE_LIMIT:
                self._cache.clear()
            self._cache[key] = event
        return event

    def decode_all(self, records: Iterable[RecordedEvent]) -> list[E]:
        """Decode stored events in order; the same as `decode` on each, but faster.

        Raises:
            UnreadableEventError: an event's type is unknown or its data does not fit.
        """
        cache = self._cache
        decode = self.decode
        return [cache.get((r.type, r.data)) or decode(r) for r in records]

    def _decode(self, record: RecordedEvent) -> E:
        event_type = self._by_name.get(record.type)
        if event_type is None:
            raise _unreadable(record, "unknown event type")
        try:
            data = json.loads(record.data)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise _unreadable(record, f"data is not UTF-8 JSON ({exc})") from exc
        if not isinstance(data, dict):
            raise _unreadable(record, "data is not a JSON object")
        data = self._upcast(record, data, event_type.version)
        if data.keys() != {name for name, _ in event_type.fields}:
            raise _unreadable(
                record,
                f"expected keys {sorted(n for n, _ in event_type.fields)}, "
                f"found {sorted(data)}",
            )
        try:
            values = [convert(data[name]) for name, convert in event_type.fields]
        except (TypeError, ValueError) as exc:
            raise _unreadable(record, str(exc)) from exc
        event: E = event_type.cls(*values)
        return event

    def _upcast(
        self, record: RecordedEvent, data: JSONObject, current: int
    ) -> JSONObject:
        if record.type in self._plain_types:
            return data
        try:
            version = json.loads(record.metadata or b"{}").get(SCHEMA_KEY, 1)
        except (UnicodeDecodeError, json.JSONDecodeError, AttributeError) as exc:
            raise _unreadable(record, "metadata is not a JSON object") from exc
        while version < current:
            upcaster = self._upcasters.get((record.type, version))
            if upcaster is None:
                raise _unreadable(record, f"no upcaster from schema {version}")
            data = upcaster.upcast(data)
            version += 1
        return data


def _unreadable(record: RecordedEvent, reason: str) -> UnreadableEventError:
    return UnreadableEventError(
        record.stream, record.stream_position, record.type, reason
    )


def _describe(cls: type[Any], version: int) -> _EventType:
    if not dataclasses.is_dataclass(cls):
        raise TypeError(f"{cls.__name__} is not a dataclass")
    hints = typing.get_type_hints(cls)
    fields = tuple(
        (field.name, _converter(hints[field.name], field.name))
        for field in dataclasses.fields(cls)
    )
    return _EventType(cls.__name__, cls, fields, version)


def _converter(annotation: Any, name: str) -> Callable[[Any], Any]:
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return annotation
    if annotation in (str, int, float, bool):
        expected: type[Any] = annotation

        def check(value: Any) -> Any:
            if type(value) is not expected:
                raise TypeError(f"{name} must be {expected.__name__}, not {value!r}")
            return value

        return check
    raise TypeError(f"field {name} has an unsupported type {annotation!r}")
