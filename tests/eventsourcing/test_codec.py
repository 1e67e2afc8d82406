"""The codec's upcaster chain: older schemas are lifted, unknown ones refused."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime

import pytest

from connect_four.eventsourcing.codec import (
    SCHEMA_KEY,
    EventCodec,
    JSONObject,
    Upcaster,
)
from connect_four.eventsourcing.codec_cache import CachingEventCodec
from connect_four.eventsourcing.errors import UnreadableEventError
from connect_four.eventsourcing.events import RecordedEvent


@dataclasses.dataclass(frozen=True, slots=True)
class Measured:
    """Schema 3: degrees Celsius. Schema 2 stored Fahrenheit, schema 1 said "temp"."""

    degrees: int


def rename_temp(data: JSONObject) -> JSONObject:
    return {"degrees": data["temp"]}


def fahrenheit_to_celsius(data: JSONObject) -> JSONObject:
    return {"degrees": (data["degrees"] - 32) * 5 // 9}


UPCASTERS = [
    Upcaster("Measured", 1, rename_temp),
    Upcaster("Measured", 2, fahrenheit_to_celsius),
]


def codec(
    unversioned: int = 1, kind: type[EventCodec[Measured]] = EventCodec
) -> EventCodec[Measured]:
    return kind(
        [Measured],
        UPCASTERS,
        versions={"Measured": 3},
        unversioned={"Measured": unversioned},
    )


def recorded(data: JSONObject, metadata: JSONObject | None = None) -> RecordedEvent:
    return RecordedEvent(
        "id",
        "thermometer-1",
        4,
        9,
        "Measured",
        json.dumps(data).encode(),
        b"" if metadata is None else json.dumps(metadata).encode(),
        datetime(2025, 1, 1, tzinfo=UTC),
    )


def test_an_event_two_schemas_old_is_lifted_through_the_whole_chain() -> None:
    event = codec().decode(recorded({"temp": 212}, {SCHEMA_KEY: 1}))

    assert event == Measured(100)


def test_an_event_one_schema_old_takes_only_the_last_step() -> None:
    assert codec().decode(recorded({"degrees": 212}, {SCHEMA_KEY: 2})) == Measured(100)


def test_an_event_in_the_current_schema_is_read_as_it_is() -> None:
    assert codec().decode(recorded({"degrees": 21}, {SCHEMA_KEY: 3})) == Measured(21)


def test_an_unlabelled_event_is_in_the_unversioned_schema() -> None:
    assert codec().decode(recorded({"temp": 212})) == Measured(100)
    assert codec(unversioned=3).decode(recorded({"degrees": 21})) == Measured(21)


@pytest.mark.parametrize("kind", [EventCodec, CachingEventCodec])
def test_equal_data_in_different_schemas_decodes_to_different_events(
    kind: type[EventCodec[Measured]],
) -> None:
    reader = codec(unversioned=3, kind=kind)

    unlabelled = reader.decode_all([recorded({"degrees": 50})])
    labelled = reader.decode_all([recorded({"degrees": 50}, {SCHEMA_KEY: 2})])

    assert unlabelled == [Measured(50)]
    assert labelled == [Measured(10)]


def test_the_caching_codec_reads_and_writes_exactly_what_the_plain_one_does() -> None:
    plain, caching = codec(), codec(kind=CachingEventCodec)
    records = [
        recorded({"temp": 212}),
        recorded({"degrees": 212}, {SCHEMA_KEY: 2}),
        recorded({"temp": 212}),
        recorded({"degrees": 21}, {SCHEMA_KEY: 3}),
    ]

    assert caching.decode_all(records) == plain.decode_all(records)
    assert caching.encode(Measured(7)) == plain.encode(Measured(7))
    assert caching.encode(Measured(7)) == plain.encode(Measured(7))


def test_the_caching_codec_hands_back_the_event_it_built_for_equal_payloads() -> None:
    caching = codec(kind=CachingEventCodec)

    first, again = caching.decode_all(
        [recorded({"temp": 212}), recorded({"temp": 212})]
    )

    assert first is again


@pytest.mark.parametrize("part", ["data", "metadata"])
def test_the_caching_codec_refuses_text_in_a_replay_even_after_equal_bytes(
    part: str,
) -> None:
    caching = codec(kind=CachingEventCodec)
    stored = recorded({"temp": 212})
    caching.decode_all([stored])
    damaged = stored._replace(**{part: getattr(stored, part).decode()})

    with pytest.raises(UnreadableEventError, match=f"{part} is str, not bytes"):
        caching.decode_all([stored, damaged])


def test_the_schema_is_written_only_when_it_is_not_the_unversioned_one() -> None:
    assert codec().schema_metadata("Measured") == {SCHEMA_KEY: 3}
    assert codec(unversioned=3).schema_metadata("Measured") == {}


@pytest.mark.parametrize(
    ("data", "metadata", "reason"),
    [
        ({"degrees": 1}, {SCHEMA_KEY: 4}, "schema 4 is newer"),
        ({"degrees": 1}, {SCHEMA_KEY: "2"}, "is not a number"),
        ({"degrees": 1}, {SCHEMA_KEY: 0}, "is not a number"),
        ({"celsius": 1}, {SCHEMA_KEY: 2}, "cannot upcast from schema 2"),
        ({"degrees": "hot"}, {SCHEMA_KEY: 2}, "cannot upcast from schema 2"),
    ],
)
def test_an_event_the_chain_cannot_lift_is_unreadable_and_named(
    data: JSONObject, metadata: JSONObject, reason: str
) -> None:
    with pytest.raises(UnreadableEventError, match=reason) as raised:
        codec().decode(recorded(data, metadata))

    assert (raised.value.stream, raised.value.position) == ("thermometer-1", 4)
    assert raised.value.type == "Measured"


def test_a_missing_step_in_the_chain_is_unreadable() -> None:
    reader = EventCodec([Measured], UPCASTERS[1:], versions={"Measured": 3})

    with pytest.raises(UnreadableEventError, match="no upcaster from schema 1"):
        reader.decode(recorded({"temp": 1}))


def test_metadata_that_is_not_a_json_object_is_unreadable() -> None:
    record = recorded({"degrees": 1})._replace(metadata=b'["schema_version"]')

    with pytest.raises(UnreadableEventError, match="not a JSON object"):
        codec().decode(record)


@dataclasses.dataclass
class Mutable:
    value: int


def test_an_event_class_that_is_not_frozen_is_refused() -> None:
    with pytest.raises(TypeError, match="Mutable is not frozen"):
        EventCodec([Mutable])


def test_encoding_an_equal_event_again_gives_the_same_type_and_data() -> None:
    shared = codec()
    first = shared.encode(Measured(21))

    again = shared.encode(Measured(21))

    assert first == again == ("Measured", b'{"degrees": 21}')
