"""Copying a store into another: order, identity, refusal, resumption, checks."""

from __future__ import annotations

import sqlite3
import uuid
from pathlib import Path

import pytest

from connect_four.eventsourcing.errors import (
    MigrationMismatchError,
    MigrationRefusedError,
    MigrationSourceChangedError,
    MigrationSourceIdError,
    UnreadableEventError,
)
from connect_four.eventsourcing.events import NewEvent, RecordedEvent
from connect_four.eventsourcing.migration import (
    MAX_BATCH,
    check_source_unchanged,
    copy_events,
    plan_migration,
    read_log,
    verify_migration,
)
from connect_four.eventsourcing.store import EventStore, StreamState
from connect_four.eventsourcing.stores.kurrentdb.event_store import KurrentDBEventStore
from connect_four.eventsourcing.stores.memory.event_store import InMemoryEventStore
from connect_four.eventsourcing.stores.sqlite.event_store import SQLiteEventStore
from tests.eventsourcing.stores.fake_kurrentdb import FakeKurrentDBClient


class InterruptedCopyError(Exception):
    """Stands for the user pressing Ctrl-C in the middle of a copy."""


def identities(store: EventStore) -> list[tuple[object, ...]]:
    return [
        (e.stream, e.stream_position, e.id, e.type, e.data, e.metadata)
        for e in read_log(store)
    ]


def event(type_: str, metadata: bytes = b"{}") -> NewEvent:
    return NewEvent(type_, f'{{"t": "{type_}"}}'.encode(), metadata)


@pytest.fixture
def source() -> EventStore:
    """Return a store with three streams whose appends interleave."""
    store = InMemoryEventStore()
    store.append("game-1", [event("A", b'{"who": "ann"}')], StreamState.NO_STREAM)
    store.append("game-2", [event("B")], StreamState.NO_STREAM)
    store.append("game-1", [event("C"), event("D")], 0)
    store.append("game-3", [event("E")], StreamState.NO_STREAM)
    store.append("game-2", [event("F")], 0)
    return store


def migrate(source: EventStore, target: EventStore) -> int:
    plan = plan_migration(source, target)
    copy_events(source, target, plan)
    return verify_migration(source, target, plan)


def test_a_copy_keeps_every_event_and_the_global_order(source: EventStore) -> None:
    target = InMemoryEventStore()

    checked = migrate(source, target)

    assert checked == 6
    assert identities(target) == identities(source)


def test_a_copy_through_kurrentdb_and_back_is_identical(source: EventStore) -> None:
    kurrentdb = KurrentDBEventStore(FakeKurrentDBClient())
    back = InMemoryEventStore()

    migrate(source, kurrentdb)
    migrate(kurrentdb, back)

    assert identities(back) == identities(source)


def test_a_target_holding_a_source_stream_is_refused_and_left_alone(
    source: EventStore,
) -> None:
    target = InMemoryEventStore()
    target.append("game-2", [event("Other")], StreamState.NO_STREAM)

    with pytest.raises(MigrationRefusedError) as raised:
        plan_migration(source, target)

    assert raised.value.stream == "game-2"
    assert [e.type for e in read_log(target)] == ["Other"]


def test_a_target_holding_other_streams_receives_the_copy(source: EventStore) -> None:
    target = InMemoryEventStore()
    target.append("player-ann", [event("Joined")], StreamState.NO_STREAM)

    assert migrate(source, target) == 6
    assert [e.type for e in read_log(target)] == [
        "Joined",
        "A",
        "B",
        "C",
        "D",
        "E",
        "F",
    ]


def test_an_interrupted_copy_resumes_without_duplicating(source: EventStore) -> None:
    target = InMemoryEventStore()

    def interrupt_after_two(copied: int) -> None:
        if copied >= 2:
            raise InterruptedCopyError

    with pytest.raises(InterruptedCopyError):
        copy_events(source, target, plan_migration(source, target), interrupt_after_two)
    plan = plan_migration(source, target)
    copied_now = copy_events(source, target, plan)

    assert plan.already_copied == 2
    assert copied_now == 4
    assert verify_migration(source, target, plan) == 6
    assert identities(target) == identities(source)


def test_a_finished_copy_run_again_copies_nothing(source: EventStore) -> None:
    target = InMemoryEventStore()
    migrate(source, target)

    plan = plan_migration(source, target)

    assert plan.already_copied == plan.total == 6
    assert copy_events(source, target, plan) == 0


def test_streams_copied_out_of_the_source_order_are_refused(
    source: EventStore,
) -> None:
    target = InMemoryEventStore()
    (late,) = source.read_stream("game-3")
    target.append(
        "game-3",
        [NewEvent(late.type, late.data, late.metadata, late.id)],
        StreamState.NO_STREAM,
    )

    with pytest.raises(MigrationRefusedError, match="not an interrupted copy"):
        plan_migration(source, target)


def test_a_long_stream_is_copied_in_several_appends() -> None:
    source = InMemoryEventStore()
    source.append(
        "big", [event(f"E{i}") for i in range(MAX_BATCH + 1)], StreamState.NO_STREAM
    )
    target = InMemoryEventStore()

    assert migrate(source, target) == MAX_BATCH + 1
    assert identities(target) == identities(source)


def test_verification_names_the_first_difference(source: EventStore) -> None:
    target = InMemoryEventStore()
    plan = plan_migration(source, target)
    copy_events(source, target, plan)
    target.append("game-3", [event("Extra")], 0)

    with pytest.raises(MigrationMismatchError) as raised:
        verify_migration(source, target, plan)

    assert raised.value.position == 7
    assert "Extra" in str(raised.value)


def test_verification_notices_a_missing_event(source: EventStore) -> None:
    target = InMemoryEventStore()
    plan = plan_migration(source, target)
    records: list[RecordedEvent] = list(read_log(source))[:-1]
    for record in records:
        expected = (
            StreamState.NO_STREAM
            if record.stream_position == 0
            else record.stream_position - 1
        )
        target.append(
            record.stream,
            [NewEvent(record.type, record.data, record.metadata, record.id)],
            expected,
        )

    with pytest.raises(MigrationMismatchError, match="lacks"):
        verify_migration(source, target, plan)


def sqlite_source_with_ids(tmp_path: Path, *ids: str) -> SQLiteEventStore:
    """Return a SQLite store whose events carry ids written around the store."""
    store = SQLiteEventStore(tmp_path / "old.db")
    for number, _ in enumerate(ids):
        store.append(f"game-{number}", [event("A")], StreamState.NO_STREAM)
    with sqlite3.connect(tmp_path / "old.db") as connection:
        for number, event_id in enumerate(ids):
            connection.execute(
                "UPDATE events SET event_id = ? WHERE stream = ?",
                (event_id, f"game-{number}"),
            )
    return store


def test_ids_in_another_uuid_spelling_are_copied_and_compared_canonically(
    tmp_path: Path,
) -> None:
    upper = "0F8FAD5B-D9CB-469F-A165-70867728950E"
    braced = "{7c9e6679-7425-40de-944b-e07fc1f90ae7}"
    source = sqlite_source_with_ids(tmp_path, upper, braced)
    target = InMemoryEventStore()

    copied = migrate(source, target)

    assert copied == 2
    assert [e.id for e in read_log(target)] == [
        upper.lower(),
        "7c9e6679-7425-40de-944b-e07fc1f90ae7",
    ]
    source.close()


def test_an_id_that_is_no_uuid_stops_the_migration_before_anything_is_copied(
    tmp_path: Path,
) -> None:
    source = sqlite_source_with_ids(
        tmp_path, str(uuid.uuid4()), "not-a-uuid", str(uuid.uuid4())
    )
    target = InMemoryEventStore()

    with pytest.raises(MigrationSourceIdError) as refused:
        plan_migration(source, target)

    assert (refused.value.stream, refused.value.event_id) == ("game-1", "not-a-uuid")
    assert target.last_global_position() == 0
    source.close()


def test_a_source_stream_whose_positions_skip_stops_the_migration_before_copying(
    tmp_path: Path,
) -> None:
    source = SQLiteEventStore(tmp_path / "old.db")
    source.append("game-1", [event("A"), event("B"), event("C")], StreamState.NO_STREAM)
    with sqlite3.connect(tmp_path / "old.db") as connection:
        connection.execute("DELETE FROM events WHERE stream_position = 1")
    connection.close()
    target = InMemoryEventStore()

    with pytest.raises(UnreadableEventError) as refused:
        plan_migration(source, target)

    assert (refused.value.stream, refused.value.position) == ("game-1", 2)
    assert "expected position 1 here" in str(refused.value)
    assert target.last_global_position() == 0
    source.close()


def test_events_added_to_the_source_during_the_copy_are_named_not_a_difference(
    source: EventStore,
) -> None:
    target = InMemoryEventStore()
    plan = plan_migration(source, target)

    def write_meanwhile(copied: int) -> None:
        if copied == 1:
            source.append("game-4", [event("G")], StreamState.NO_STREAM)

    copy_events(source, target, plan, write_meanwhile)
    checked = verify_migration(source, target, plan)

    assert checked == 6
    with pytest.raises(MigrationSourceChangedError) as changed:
        check_source_unchanged(source, plan)
    assert (changed.value.copied_up_to, changed.value.now_at) == (6, 7)


def test_a_rerun_after_the_source_changed_copies_the_rest(
    source: EventStore,
) -> None:
    target = InMemoryEventStore()
    plan = plan_migration(source, target)
    source.append("game-1", [event("G")], 2)
    copy_events(source, target, plan)

    again = migrate(source, target)

    assert again == 7
    assert identities(target) == identities(source)
