"""Scanning a whole store: every damaged stream found once, past unreadable rows."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from connect_four.eventsourcing.events import NewEvent
from connect_four.eventsourcing.integrity import scan_store
from connect_four.eventsourcing.store import StreamState
from connect_four.eventsourcing.stores.memory.event_store import InMemoryEventStore
from connect_four.eventsourcing.stores.sqlite.event_store import SQLiteEventStore


def three_events() -> list[NewEvent]:
    return [NewEvent("E", b'{"n": 1}') for _ in range(3)]


def test_a_healthy_store_shows_no_damage() -> None:
    store = InMemoryEventStore()
    store.append("a", three_events(), StreamState.NO_STREAM)
    store.append("b", three_events(), StreamState.NO_STREAM)

    survey = scan_store(store)

    assert survey.is_healthy
    assert (survey.events, survey.streams) == (6, 2)


def test_the_scan_reads_past_an_unreadable_row_and_finds_the_damage_after_it(
    tmp_path: Path,
) -> None:
    path = tmp_path / "events.db"
    store = SQLiteEventStore(path)
    for stream in ("first", "healthy", "last"):
        store.append(stream, three_events(), StreamState.NO_STREAM)
    with sqlite3.connect(path) as connection:
        connection.execute(
            "UPDATE events SET metadata = '{}' WHERE stream = 'first'"
            " AND stream_position = 1"
        )
        connection.execute(
            "DELETE FROM events WHERE stream = 'last' AND stream_position = 1"
        )
    connection.close()

    survey = scan_store(store)
    store.close()

    assert [d.stream for d in survey.damage] == ["first", "last"]
    assert "position 1 of stream 'first'" in survey.damage[0].message
    assert "expected position 1 here" in survey.damage[1].message
    assert survey.events == 7


def test_data_that_is_not_a_json_object_is_damage_by_default() -> None:
    store = InMemoryEventStore()
    store.append("s", [NewEvent("E", b"[1]")], StreamState.NO_STREAM)

    survey = scan_store(store)

    assert [d.stream for d in survey.damage] == ["s"]
    assert "not a JSON object" in survey.damage[0].message
