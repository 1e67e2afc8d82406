"""Exercise 7: change an event's shape. An upcaster; old events still load."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from mygame.events import GameStarted, MoveMade
from mygame.upcasting import column_number_to_letter, decode_any_schema

from connect_four.domain.board import Column
from connect_four.eventsourcing.errors import UnreadableEventError
from connect_four.eventsourcing.events import RecordedEvent

OLD = b'{"schema_version": 1}'


def record(type_name: str, data: object, metadata: bytes = b"{}") -> RecordedEvent:
    return RecordedEvent(
        "id-1",
        "game-1",
        0,
        1,
        type_name,
        json.dumps(data).encode(),
        metadata,
        datetime.now(UTC),
    )


@pytest.mark.parametrize(("number", "letter"), [(1, "A"), (4, "D"), (7, "G")])
def test_the_upcaster_turns_a_column_number_into_its_letter(
    number: int, letter: str
) -> None:
    assert column_number_to_letter({"player": "ann", "column": number}) == {
        "player": "ann",
        "column": letter,
    }


@pytest.mark.parametrize("number", [0, 8, "3", 2.5, None])
def test_the_upcaster_refuses_what_is_not_a_column_number(number: object) -> None:
    with pytest.raises(ValueError):  # noqa: PT011  (any ValueError says it)
        column_number_to_letter({"player": "ann", "column": number})


def test_an_old_move_loads_as_todays_event() -> None:
    old = record("MoveMade", {"player": "ann", "column": 3}, OLD)
    assert decode_any_schema(old) == MoveMade("ann", Column.C)


def test_a_move_without_a_schema_version_is_todays_shape() -> None:
    new = record("MoveMade", {"player": "bob", "column": "G"})
    assert decode_any_schema(new) == MoveMade("bob", Column.G)


def test_other_events_are_read_as_they_are() -> None:
    started = record("GameStarted", {"player_one": "ann", "player_two": "bob"})
    assert decode_any_schema(started) == GameStarted("ann", "bob")


def test_an_old_move_with_a_bad_column_is_refused() -> None:
    old = record("MoveMade", {"player": "ann", "column": 9}, OLD)
    # ValueError from yours; the project's decoder says which stream and position.
    with pytest.raises((ValueError, UnreadableEventError)):
        decode_any_schema(old)
