"""The projection storage contract: every storage must pass every test here."""

from __future__ import annotations

import threading

import pytest

from connect_four.eventsourcing.errors import (
    CheckpointConflictError,
    SlotBehindError,
    UnknownProjectionError,
)
from connect_four.eventsourcing.events import NewEvent
from connect_four.eventsourcing.projection_storage import (
    DocumentQuery,
    ProjectionStorage,
)
from connect_four.eventsourcing.slots import Slot
from connect_four.eventsourcing.store import StreamState
from tests.eventsourcing.stores.projection_backends import (
    Database,
)


@pytest.fixture
def storage(database: Database) -> ProjectionStorage:
    return database.storage


def commit_documents(
    storage: ProjectionStorage,
    slot: Slot,
    checkpoint: int,
    *documents: tuple[str, float, list[str]],
) -> Slot:
    with storage.begin(slot) as session:
        for key, sort_key, tags in documents:
            session.put("things", key, {"key": key}, sort_key=sort_key, tags=tags)
        return session.commit(checkpoint)


def keys(storage: ProjectionStorage, query: DocumentQuery) -> list[str]:
    return [document["key"] for document in storage.find("p", query)]


# Slots


def test_a_new_projection_gets_an_empty_serving_slot(
    storage: ProjectionStorage,
) -> None:
    slot = storage.serving_slot("p")

    assert (slot.name, slot.generation, slot.active, slot.checkpoint) == (
        "p",
        1,
        True,
        0,
    )
    assert storage.serving_slot("p") == slot
    assert storage.slots() == [slot]


def test_a_projection_that_never_ran_has_no_documents(
    storage: ProjectionStorage,
) -> None:
    assert storage.find("never", DocumentQuery("things")) == []
    assert storage.get("never", "things", "x") is None


# Sessions and checkpoints


def test_committed_documents_and_checkpoint_are_read_back(
    storage: ProjectionStorage,
) -> None:
    slot = storage.serving_slot("p")
    with storage.begin(slot) as session:
        session.put("things", "a", {"n": 1, "name": "ä"}, sort_key=1.0)
        committed = session.commit(7)

    assert committed.checkpoint == 7
    assert committed.updated_at is not None
    assert storage.serving_slot("p").checkpoint == 7
    assert storage.get("p", "things", "a") == {"n": 1, "name": "ä"}


def test_changes_are_invisible_until_committed(storage: ProjectionStorage) -> None:
    with storage.begin(storage.serving_slot("p")) as session:
        session.put("things", "a", {"n": 1})

        assert storage.get("p", "things", "a") is None
        assert storage.serving_slot("p").checkpoint == 0
        session.commit(1)
    assert storage.get("p", "things", "a") == {"n": 1}


def test_a_session_sees_its_own_changes_in_the_same_dict(
    storage: ProjectionStorage,
) -> None:
    slot = commit_documents(storage, storage.serving_slot("p"), 1, ("a", 0.0, []))
    with storage.begin(slot) as session:
        document = session.get("things", "a")
        assert document == {"key": "a"}
        document["n"] = 2
        session.put("things", "a", document)
        session.put("things", "b", {"n": 3})
        session.delete("things", "a")

        assert session.get("things", "a") is None
        assert session.get("things", "b") == {"n": 3}
        assert session.get("things", "a") is session.get("things", "a")


def test_a_session_begun_at_a_stale_checkpoint_is_refused(
    storage: ProjectionStorage,
) -> None:
    slot = storage.serving_slot("p")
    with storage.begin(slot) as first:
        first.put("things", "a", {"by": "first"})
        first.commit(5)

    with pytest.raises(CheckpointConflictError) as raised:
        storage.begin(slot)

    assert raised.value.expected == 0
    assert storage.get("p", "things", "a") == {"by": "first"}
    assert storage.serving_slot("p").checkpoint == 5


def test_an_abandoned_session_writes_nothing_and_lets_the_slot_go(
    storage: ProjectionStorage,
) -> None:
    slot = storage.serving_slot("p")
    with storage.begin(slot) as abandoned:
        abandoned.put("things", "a", {"by": "abandoned"})

    with storage.begin(slot) as second:
        second.put("things", "b", {"by": "second"})
        second.commit(2)

    assert storage.get("p", "things", "a") is None
    assert storage.get("p", "things", "b") == {"by": "second"}


def test_a_session_that_fails_writes_nothing_and_lets_the_slot_go(
    storage: ProjectionStorage,
) -> None:
    slot = storage.serving_slot("p")

    def fail_half_way() -> None:
        with storage.begin(slot) as failing:
            failing.put("things", "a", {})
            raise LookupError

    with pytest.raises(LookupError):
        fail_half_way()

    with storage.begin(slot) as second:
        second.commit(1)

    assert storage.get("p", "things", "a") is None
    assert storage.serving_slot("p").checkpoint == 1


def test_a_second_handle_on_the_same_database_sees_commits_and_conflicts(
    database: Database,
) -> None:
    other = database.open_storage()
    stale = other.serving_slot("p")
    commit_documents(
        database.storage, database.storage.serving_slot("p"), 3, ("a", 0.0, [])
    )

    assert other.get("p", "things", "a") == {"key": "a"}
    with pytest.raises(CheckpointConflictError):
        other.begin(stale)


def test_of_two_sessions_at_once_on_one_slot_only_one_commits(
    database: Database,
) -> None:
    # A storage may make the second session wait for the first one's commit
    # and refuse it then (memory), or let both fold their page and refuse the
    # second commit (the databases): either way one page is stored, whole.
    other = database.open_storage()
    slot = database.storage.serving_slot("p")
    outcomes: dict[str, str] = {}

    def beside() -> None:
        try:
            with other.begin(slot) as session:
                session.put("things", "b", {"by": "beside"})
                session.commit(4)
            outcomes["beside"] = "committed"
        except CheckpointConflictError:
            outcomes["beside"] = "refused"

    try:
        with database.storage.begin(slot) as holding:
            holding.put("things", "a", {"by": "holding"})
            thread = threading.Thread(target=beside)
            thread.start()
            thread.join(timeout=0.3)
            holding.commit(4)
        outcomes["holding"] = "committed"
    except CheckpointConflictError:
        outcomes["holding"] = "refused"
    thread.join(timeout=30)

    assert sorted(outcomes.values()) == ["committed", "refused"]
    stored = {key: other.get("p", "things", key) for key in ("a", "b")}
    winner = "a" if outcomes["holding"] == "committed" else "b"
    assert [key for key, value in stored.items() if value is not None] == [winner]
    assert other.serving_slot("p").checkpoint == 4


def test_an_open_session_keeps_no_append_waiting(database: Database) -> None:
    # A runner suspended half-way through a page (Ctrl-Z, a debugger) must not
    # stop the players: the events may live in the same database.
    appended: list[int] = []

    def append() -> None:
        event = NewEvent("Noted", b"{}")
        result = database.store.append("s-1", [event], StreamState.NO_STREAM)
        appended.append(result.stream_position)

    with database.storage.begin(database.storage.serving_slot("p")) as session:
        session.get("things", "a")
        appending = threading.Thread(target=append)
        appending.start()
        appending.join(timeout=10)
        finished = not appending.is_alive()
        session.commit(1)
    appending.join(timeout=60)

    assert finished
    assert appended == [0]


def test_a_session_reads_the_documents_its_checkpoint_implies(
    database: Database,
) -> None:
    other = database.open_storage()
    slot = commit_documents(
        database.storage, database.storage.serving_slot("p"), 1, ("a", 0.0, [])
    )
    with database.storage.begin(slot) as session:
        assert session.get("things", "a") == {"key": "a"}
        session.delete("things", "a")
        session.commit(2)

    with other.begin(other.serving_slot("p")) as later:
        assert later.get("things", "a") is None
        assert later.starts_after == 0


# Finding documents


def test_documents_are_found_by_descending_sort_key_then_key(
    storage: ProjectionStorage,
) -> None:
    commit_documents(
        storage,
        storage.serving_slot("p"),
        1,
        ("a", 1.0, []),
        ("b", 3.0, []),
        ("c", 2.0, []),
        ("d", 2.0, []),
    )

    assert keys(storage, DocumentQuery("things")) == ["b", "d", "c", "a"]
    assert keys(storage, DocumentQuery("things", limit=2, offset=1)) == ["d", "c"]
    assert keys(storage, DocumentQuery("things", offset=3)) == ["a"]
    assert keys(storage, DocumentQuery("other")) == []


def test_documents_are_found_by_every_tag_asked_for(
    storage: ProjectionStorage,
) -> None:
    commit_documents(
        storage,
        storage.serving_slot("p"),
        1,
        ("a", 1.0, ["red", "big"]),
        ("b", 2.0, ["red"]),
        ("c", 3.0, ["big"]),
    )

    assert keys(storage, DocumentQuery("things", ["red"])) == ["b", "a"]
    assert keys(storage, DocumentQuery("things", ["red", "big"])) == ["a"]
    assert keys(storage, DocumentQuery("things", ["blue"])) == []


def test_a_retagged_document_is_no_longer_found_by_its_old_tag(
    storage: ProjectionStorage,
) -> None:
    slot = commit_documents(storage, storage.serving_slot("p"), 1, ("a", 1.0, ["old"]))
    with storage.begin(slot) as session:
        session.put("things", "a", {"key": "a"}, sort_key=1.0, tags=["new"])
        session.commit(2)

    assert keys(storage, DocumentQuery("things", ["old"])) == []
    assert keys(storage, DocumentQuery("things", ["new"])) == ["a"]


def test_a_document_put_again_without_a_get_keeps_only_its_new_tags(
    storage: ProjectionStorage,
) -> None:
    slot = commit_documents(storage, storage.serving_slot("p"), 1, ("a", 1.0, ["old"]))
    slot = commit_documents(storage, slot, 2, ("a", 1.0, ["new"]))

    assert keys(storage, DocumentQuery("things", ["old"])) == []
    assert keys(storage, DocumentQuery("things", ["new"])) == ["a"]


def test_a_deleted_document_is_gone_with_its_tags(storage: ProjectionStorage) -> None:
    slot = commit_documents(storage, storage.serving_slot("p"), 1, ("a", 1.0, ["t"]))
    with storage.begin(slot) as session:
        session.delete("things", "a")
        session.commit(2)

    assert storage.get("p", "things", "a") is None
    assert keys(storage, DocumentQuery("things", ["t"])) == []


# Rebuilding


def test_a_rebuild_fills_a_new_slot_while_the_old_one_serves(
    storage: ProjectionStorage,
) -> None:
    serving = commit_documents(storage, storage.serving_slot("p"), 9, ("old", 1, []))

    rebuild = storage.start_rebuild("p")
    commit_documents(storage, rebuild, 4, ("new", 1, []))

    assert (rebuild.generation, rebuild.active, rebuild.checkpoint) == (2, False, 0)
    assert storage.start_rebuild("p").generation == 2
    assert storage.serving_slot("p") == serving
    assert keys(storage, DocumentQuery("things")) == ["old"]


def test_promoting_a_rebuilt_slot_swaps_it_in_and_drops_the_old_one(
    storage: ProjectionStorage,
) -> None:
    commit_documents(storage, storage.serving_slot("p"), 9, ("old", 1, ["t"]))
    rebuilt = commit_documents(
        storage, storage.start_rebuild("p"), 9, ("new", 1, ["t"])
    )

    storage.promote(rebuilt)

    serving = storage.serving_slot("p")
    assert (serving.generation, serving.active, serving.checkpoint) == (2, True, 9)
    assert [slot.generation for slot in storage.slots()] == [2]
    assert keys(storage, DocumentQuery("things", ["t"])) == ["new"]
    assert storage.find_slot("p", 1) is None


def test_promoting_a_slot_that_is_gone_is_refused(storage: ProjectionStorage) -> None:
    gone = Slot("p", 5, False, 0, None)

    with pytest.raises(UnknownProjectionError):
        storage.promote(gone)


def test_a_session_on_a_slot_dropped_by_a_promotion_is_refused(
    storage: ProjectionStorage,
) -> None:
    old = storage.serving_slot("p")
    storage.promote(storage.start_rebuild("p"))

    with pytest.raises(CheckpointConflictError):
        storage.begin(old)
    assert storage.get("p", "things", "a") is None


def test_a_rebuilt_slot_behind_the_serving_one_is_not_promoted(
    storage: ProjectionStorage,
) -> None:
    serving = commit_documents(storage, storage.serving_slot("p"), 9, ("old", 1, []))
    behind = commit_documents(storage, storage.start_rebuild("p"), 4, ("new", 1, []))

    with pytest.raises(SlotBehindError) as raised:
        storage.promote(behind)

    assert (raised.value.checkpoint, raised.value.serving) == (4, 9)
    assert storage.serving_slot("p") == serving
    assert keys(storage, DocumentQuery("things")) == ["old"]


def test_a_rebuild_may_begin_after_a_chosen_global_position(
    storage: ProjectionStorage,
) -> None:
    commit_documents(storage, storage.serving_slot("p"), 9, ("old", 1, []))

    rebuild = storage.start_rebuild("p", after=7)

    assert (rebuild.checkpoint, rebuild.origin, rebuild.active) == (7, 7, False)
    with storage.begin(rebuild) as session:
        assert session.starts_after == 7
        session.commit(9)
    storage.promote(storage.start_rebuild("p"))
    assert storage.serving_slot("p").origin == 7
