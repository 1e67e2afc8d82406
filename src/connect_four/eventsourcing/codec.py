"""Turn domain events into (type, UTF-8 JSON) and back, through a registry.

Events are registered as frozen dataclasses whose fields are JSON scalars or
`enum.Enum` values, or either of them `| None` (JSON null); the JSON object
holds exactly the dataclass's fields.

Schemas change. Each event type has a current schema version (1 unless told
otherwise); an event written in another version says so in its metadata
(`schema_version`), and a chain of `Upcaster`s, one per version step, lifts its
JSON to the current shape before the event is built. Events that carry no
schema version were written in the type's *unversioned* schema: 1 by default,
or whichever version the codec is told the oldest unlabelled writer (for the
game, the tutorial) used.
"""

from __future__ import annotations

import dataclasses
import enum
import json
import types
import typing
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Generic, TypeAlias, TypeVar

from connect_four.eventsourcing.errors import UnreadableEventError
from connect_four.eventsourcing.events import RecordedEvent

E = TypeVar("E")

JSONObject: TypeAlias = dict[str, Any]

SCHEMA_KEY = "schema_version"
"""Metadata key holding the schema version an event was written with."""

SCHEMA_MARKER = f'"{SCHEMA_KEY}"'.encode()
"""Metadata without these bytes says no schema version (see `is_labelled`)."""


@dataclasses.dataclass(frozen=True, slots=True)
class Upcaster:
    """Lift the data of one event type from one schema version to the next.

    `upcast` may raise `KeyError`, `TypeError` or `ValueError` for data that
    does not fit the old schema; the codec reports the event as unreadable.
    """

    type: str
    from_version: int
    upcast: Callable[[JSONObject], JSONObject]


@dataclasses.dataclass(frozen=True, slots=True)
class _EventType:
    name: str
    cls: type[Any]
    fields: tuple[tuple[str, Callable[[Any], Any]], ...]
    version: int
    unversioned: int


class EventCodec(Generic[E]):
    """Encode and decode the events of one aggregate type.

    `versions` gives the current schema of the types not at version 1;
    `unversioned` the schema of the events of a type that carry no version
    (default 1). `CachingEventCodec` (in `codec_cache.py`) is the same codec
    with caches in front, for the game's hot paths.
    """

    def __init__(
        self,
        event_classes: Iterable[type[E]],
        upcasters: Iterable[Upcaster] = (),
        versions: Mapping[str, int] | None = None,
        unversioned: Mapping[str, int] | None = None,
    ) -> None:
        self._upcasters: dict[tuple[str, int], Upcaster] = {
            (u.type, u.from_version): u for u in upcasters
        }
        versions = versions or {}
        unversioned = unversioned or {}
        self._by_name: dict[str, _EventType] = {}
        self._by_class: dict[type[Any], _EventType] = {}
        for cls in event_classes:
            name = cls.__name__
            event_type = _describe(cls, versions.get(name, 1), unversioned.get(name, 1))
            self._by_name[event_type.name] = event_type
            self._by_class[cls] = event_type
        self._encoder = json.JSONEncoder(ensure_ascii=False)

    def encode(self, event: E) -> tuple[str, bytes]:
        """Return the stored type name and UTF-8 JSON data of an event."""
        event_type = self._by_class[type(event)]
        data = {}
        for name, _ in event_type.fields:
            value = getattr(event, name)
            data[name] = value.value if isinstance(value, enum.Enum) else value
        return event_type.name, self._encoder.encode(data).encode()

    def schema_metadata(self, type_name: str) -> dict[str, int]:
        """Return the metadata entries that record the schema an event is written in.

        None are needed while the current schema is the unversioned one.
        """
        event_type = self._by_name[type_name]
        if event_type.version == event_type.unversioned:
            return {}
        return {SCHEMA_KEY: event_type.version}

    def decode(self, record: RecordedEvent) -> E:
        """Build the domain event that a stored event records.

        Raises:
            UnreadableEventError: the type is unknown or the data does not fit it.
        """
        check_envelope(record)
        event_type = self._by_name.get(record.type)
        if event_type is None:
            raise UnreadableEventError.from_record(record, "unknown event type")
        data = self._upcast(record, read_data(record), event_type)
        if data.keys() != {name for name, _ in event_type.fields}:
            raise UnreadableEventError.from_record(
                record,
                f"expected keys {sorted(n for n, _ in event_type.fields)}, "
                f"found {sorted(data)}",
            )
        try:
            values = [convert(data[name]) for name, convert in event_type.fields]
        except (TypeError, ValueError) as exc:
            raise UnreadableEventError.from_record(record, str(exc)) from exc
        event: E = event_type.cls(*values)
        return event

    def decode_all(self, records: Iterable[RecordedEvent]) -> list[E]:
        """Decode stored events in order.

        Raises:
            UnreadableEventError: an event's type is unknown or its data does not fit.
        """
        return [self.decode(record) for record in records]

    def _upcast(
        self, record: RecordedEvent, data: JSONObject, event_type: _EventType
    ) -> JSONObject:
        version = _stored_version(record, event_type.unversioned)
        current = event_type.version
        if version > current:
            raise UnreadableEventError.from_record(
                record, f"schema {version} is newer than this program's {current}"
            )
        while version < current:
            upcaster = self._upcasters.get((record.type, version))
            if upcaster is None:
                raise UnreadableEventError.from_record(
                    record, f"no upcaster from schema {version}"
                )
            try:
                data = upcaster.upcast(data)
            except (KeyError, TypeError, ValueError) as exc:
                raise UnreadableEventError.from_record(
                    record, f"cannot upcast from schema {version}: {exc}"
                ) from exc
            version += 1
        return data


def check_envelope(record: RecordedEvent) -> None:
    """Refuse a stored event whose data or metadata is not bytes.

    Raises:
        UnreadableEventError: data or metadata is of another type (text, say).
    """
    for part, value in (("data", record.data), ("metadata", record.metadata)):
        if type(value) is not bytes:
            raise UnreadableEventError.from_record(
                record, f"{part} is {type(value).__name__}, not bytes"
            )


def read_data(record: RecordedEvent) -> JSONObject:
    """Return a stored event's data, which must be a UTF-8 JSON object.

    Raises:
        UnreadableEventError: the data is not JSON, or not an object.
    """
    try:
        data = json.loads(record.data)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UnreadableEventError.from_record(
            record, f"data is not UTF-8 JSON ({exc})"
        ) from exc
    if not isinstance(data, dict):
        raise UnreadableEventError.from_record(record, "data is not a JSON object")
    return data


def is_labelled(record: RecordedEvent) -> bool:
    """Return whether a stored event's metadata mentions a schema version at all.

    Metadata that does not is not parsed: the tutorial's events may carry
    empty metadata, or metadata of another writer's making, and still be read.
    """
    return SCHEMA_MARKER in record.metadata


def _stored_version(record: RecordedEvent, unversioned: int) -> int:
    """Return the schema version a stored event says it was written in."""
    if not is_labelled(record):
        return unversioned
    try:
        metadata = json.loads(record.metadata)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UnreadableEventError.from_record(record, "metadata is not JSON") from exc
    if not isinstance(metadata, dict):
        raise UnreadableEventError.from_record(record, "metadata is not a JSON object")
    version = metadata.get(SCHEMA_KEY, unversioned)
    if type(version) is not int or version < 1:
        raise UnreadableEventError.from_record(
            record, f"schema version {version!r} is not a number >= 1"
        )
    return version


def _describe(cls: type[Any], version: int, unversioned: int) -> _EventType:
    if not dataclasses.is_dataclass(cls):
        raise TypeError(f"{cls.__name__} is not a dataclass")
    if not cls.__dataclass_params__.frozen:  # type: ignore[attr-defined]  # set by @dataclass
        raise TypeError(f"{cls.__name__} is not frozen: events are immutable values")
    hints = typing.get_type_hints(cls)
    fields = tuple(
        (field.name, _converter(hints[field.name], field.name))
        for field in dataclasses.fields(cls)
    )
    return _EventType(cls.__name__, cls, fields, version, unversioned)


def _converter(annotation: Any, name: str) -> Callable[[Any], Any]:
    arguments = typing.get_args(annotation)
    if isinstance(annotation, types.UnionType) and type(None) in arguments:
        # An optional field (`str | None`): JSON null, or the one type it names.
        others = [argument for argument in arguments if argument is not type(None)]
        if len(others) == 1:
            present = _converter(others[0], name)
            return lambda value: None if value is None else present(value)
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
