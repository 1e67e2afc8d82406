"""The projection runner: checkpoints move with the documents, never past an event."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from connect_four.eventsourcing.buffered_session import StoredDocument
from connect_four.eventsourcing.codec import EventCodec
from connect_four.eventsourcing.errors import (
    ProjectionStoppedError,
    UnreadableEventError,
)
from connect_four.eventsourcing.events import NewEvent, RecordedEvent
from connect_four.eventsourcing.projection_storage import (
    Documents,
    ProjectionStorage,
)
from connect_four.eventsourcing.projections import ProjectionRunner, projection_statuses
from connect_four.eventsourcing.slots import Slot
from connect_four.eventsourcing.store import EventStore, StreamState
from connect_four.eventsourcing.stores.memory.event_store import InMemoryEventStore
from connect_four.eventsourcing.stores.memory.projection_storage import (
    InMemoryProjectionStorage,
)
from tests.eventsourcing.stores.projection_backends import (
    Database,
)


@dataclass(frozen=True, slots=True)
class Noted:
    text: str


Hook = Callable[[RecordedEvent], None]


class NoteCounts:
    """Keep the texts of each `note-` stream in order, refusing one out of order."""

    name = "notes"
    stream_prefix = "note-"

    def __init__(self, hook: Hook | None = None) -> None:
        self.codec = EventCodec([Noted])
        self.hook = hook

    def apply(self, event: Noted, record: RecordedEvent, documents: Documents) -> None:
        document = documents.get("streams", record.stream) or {"texts": []}
        if len(document["texts"]) != record.stream_position:
            raise UnreadableEventError.from_record(record, "a note is missing")
        document["texts"].append(event.text)
        documents.put(
            "streams", record.stream, document, sort_key=len(document["texts"])
        )
        if self.hook is not None:
            self.hook(record)


def note(store: EventStore, stream: str, *texts: str) -> None:
    events = [NewEvent("Noted", f'{{"text": "{text}"}}'.encode()) for text in texts]
    store.append(stream, events, StreamState.ANY)


def nth(store: EventStore, number: int) -> int:
    """Return the global position of the log's event `number` (from 1).

    PostgreSQL numbers its log sparsely, so a position is looked up, not assumed.
    """
    return store.read_all(limit=number)[number - 1].global_position


def runner(
    database: Database,
    hook: Hook | None = None,
    storage: ProjectionStorage | None = None,
) -> ProjectionRunner[Noted]:
    return ProjectionRunner(
        database.store, storage or database.storage, NoteCounts(hook), page_size=2
    )


def texts(storage: ProjectionStorage, stream: str) -> list[str] | None:
    document = storage.get("notes", "streams", stream)
    return None if document is None else list(document["texts"])


def test_catching_up_folds_every_event_and_moves_the_checkpoint(
    database: Database,
) -> None:
    note(database.store, "note-a", "1", "2", "3")
    note(database.store, "other-x", "ignored")
    note(database.store, "note-b", "4")

    slot = runner(database).catch_up()

    assert slot.checkpoint == nth(database.store, 5)
    assert texts(database.storage, "note-a") == ["1", "2", "3"]
    assert texts(database.storage, "note-b") == ["4"]
    assert texts(database.storage, "other-x") is None


def test_catching_up_again_applies_only_the_new_events(database: Database) -> None:
    note(database.store, "note-a", "1", "2")
    runner(database).catch_up()
    note(database.store, "note-a", "3")

    slot = runner(database).catch_up()

    assert slot.checkpoint == nth(database.store, 3)
    assert texts(database.storage, "note-a") == ["1", "2", "3"]


def test_a_restarted_runner_resumes_from_the_durable_checkpoint(
    database: Database,
) -> None:
    note(database.store, "note-a", "1", "2", "3")
    runner(database).catch_up()
    note(database.store, "note-a", "4")
    restarted = database.open_storage()

    runner(database, storage=restarted).catch_up()

    assert texts(restarted, "note-a") == ["1", "2", "3", "4"]


def test_an_unreadable_event_stops_the_projection_before_its_page(
    database: Database,
) -> None:
    note(database.store, "note-a", "1", "2", "3")
    database.store.append("note-a", [NewEvent("Noted", b"{}")], StreamState.ANY)
    note(database.store, "note-a", "5")

    with pytest.raises(ProjectionStoppedError) as raised:
        runner(database).catch_up()

    second = nth(database.store, 2)
    assert raised.value.checkpoint == second
    assert "'note-a'" in str(raised.value)
    assert "position 3" in str(raised.value)
    assert database.storage.serving_slot("notes").checkpoint == second
    assert texts(database.storage, "note-a") == ["1", "2"]
    with pytest.raises(ProjectionStoppedError):
        runner(database).catch_up()


def test_two_runners_racing_on_one_slot_apply_each_event_once(
    database: Database,
) -> None:
    note(database.store, "note-a", *"12345")
    other = runner(database, storage=database.open_storage())
    raced: list[Slot] = []
    beside = threading.Thread(target=lambda: raced.append(other.catch_up()))

    def race(record: RecordedEvent) -> None:
        # The other runner starts while this one holds the slot mid-page.
        if not beside.is_alive() and not raced:
            beside.start()
            beside.join(timeout=0.2)

    slot = runner(database, race).catch_up()
    beside.join(timeout=30)

    assert raced[0].checkpoint == nth(database.store, 5)
    assert slot.checkpoint == nth(database.store, 5)
    assert texts(database.storage, "note-a") == list("12345")


class PageThenRunner:
    """An event store whose first page read lets another runner catch up first."""

    def __init__(self, store: EventStore, other: Callable[[], object]) -> None:
        self.store = store
        self.other = other
        self.raced = False

    def __getattr__(self, name: str) -> object:
        return getattr(self.store, name)

    def read_all(self, after: int, limit: int) -> list[RecordedEvent]:
        page = self.store.read_all(after, limit)
        if page and not self.raced:
            self.raced = True
            self.other()
        return page


def test_a_runner_whose_page_another_runner_committed_first_reads_on(
    database: Database,
) -> None:
    # The documents a page needs are those its checkpoint implies: a runner
    # that read a page which another runner then committed must not fold it
    # into the documents as the other runner left them (here a note would be
    # counted twice), nor stop on them.
    note(database.store, "note-a", *"12345")
    other = runner(database, storage=database.open_storage())
    racing = PageThenRunner(database.store, other.catch_up)
    late = ProjectionRunner(racing, database.storage, NoteCounts(), page_size=2)  # type: ignore[arg-type]  # a store in all but name

    slot = late.catch_up()

    assert racing.raced
    assert slot.checkpoint == nth(database.store, 5)
    assert texts(database.storage, "note-a") == list("12345")


def test_a_rebuild_serves_the_old_model_until_the_new_one_caught_up(
    database: Database,
) -> None:
    note(database.store, "note-a", "1", "2", "3")
    runner(database).catch_up()
    seen_during: list[list[str] | None] = []

    def look(slot: Slot) -> None:
        seen_during.append(texts(database.storage, "note-a"))

    rebuilt = runner(database).rebuild(progress=look)

    assert seen_during == [["1", "2", "3"], ["1", "2", "3"]]
    third = nth(database.store, 3)
    assert (rebuilt.generation, rebuilt.active, rebuilt.checkpoint) == (2, True, third)
    assert texts(database.storage, "note-a") == ["1", "2", "3"]
    assert [slot.generation for slot in database.storage.slots()] == [2]


class MoreAtTheEnd:
    """An event store that, the first time a reader reaches its end, has more."""

    def __init__(self, store: EventStore, meanwhile: Callable[[], object]) -> None:
        self.store = store
        self.meanwhile = meanwhile
        self.reached = False

    def __getattr__(self, name: str) -> object:
        return getattr(self.store, name)

    def read_all(self, after: int, limit: int) -> list[RecordedEvent]:
        page = self.store.read_all(after, limit)
        if not page and not self.reached:
            self.reached = True
            self.meanwhile()
        return page


def test_a_rebuild_takes_over_only_once_it_has_caught_up_with_the_serving_slot(
    database: Database,
) -> None:
    note(database.store, "note-a", "1", "2", "3")
    serving = runner(database)
    serving.catch_up()

    def meanwhile() -> None:
        # Between the rebuild's last page and its promotion, the serving
        # slot moves on: promoting then would take a note back from readers.
        note(database.store, "note-a", "4")
        serving.catch_up()

    store = MoreAtTheEnd(database.store, meanwhile)
    rebuilding = ProjectionRunner(store, database.storage, NoteCounts(), page_size=2)  # type: ignore[arg-type]  # a store in all but name

    rebuilt = rebuilding.rebuild()

    assert store.reached
    assert (rebuilt.generation, rebuilt.checkpoint) == (2, nth(database.store, 4))
    assert texts(database.storage, "note-a") == ["1", "2", "3", "4"]


class RebuildInterruptedError(Exception):
    """Stands for a rebuild killed between two pages."""


def test_an_interrupted_rebuild_resumes_where_it_stopped(database: Database) -> None:
    note(database.store, "note-a", *"12345")
    runner(database).catch_up()

    def interrupt(slot: Slot) -> None:
        raise RebuildInterruptedError

    with pytest.raises(RebuildInterruptedError):
        runner(database).rebuild(progress=interrupt)
    assert database.storage.find_slot("notes", 2) is not None
    applied: list[int] = []

    runner(database, lambda r: applied.append(r.global_position)).rebuild()

    assert (
        applied == [record.global_position for record in database.store.read_all()][2:]
    )
    assert len(applied) == 3
    assert texts(database.storage, "note-a") == list("12345")


def test_a_running_projection_follows_the_log_until_stopped(
    database: Database,
) -> None:
    live = ProjectionRunner(
        database.store, database.storage, NoteCounts(), poll_interval=0.01
    )
    reached = threading.Event()

    def watch(slot: Slot) -> None:
        log = database.store.read_all(limit=3)
        if len(log) == 3 and slot.checkpoint >= log[2].global_position:
            reached.set()

    follower = threading.Thread(target=live.run, kwargs={"progress": watch})
    follower.start()
    try:
        note(database.store, "note-a", "1")
        note(database.store, "note-a", "2", "3")
        assert reached.wait(timeout=10)
    finally:
        live.stop()
        follower.join(timeout=10)

    assert not follower.is_alive()
    assert texts(database.storage, "note-a") == ["1", "2", "3"]


def test_a_status_shows_each_slot_checkpoint_and_lag(database: Database) -> None:
    note(database.store, "note-a", "1", "2")
    runner(database).catch_up()
    note(database.store, "note-a", "3", "4", "5")

    [status] = projection_statuses(database.store, database.storage)

    assert (status.slot.name, status.slot.checkpoint) == (
        "notes",
        nth(database.store, 2),
    )
    assert (status.head, status.lag) == (database.store.last_global_position(), 3)


def test_a_runner_rereads_documents_another_runner_changed_since_its_last_commit(
    database: Database,
) -> None:
    note(database.store, "note-a", "1", "2")
    first = runner(database)
    first.catch_up()
    note(database.store, "note-a", "3")
    runner(database, storage=database.open_storage()).catch_up()
    note(database.store, "note-a", "4")

    first.catch_up()

    assert texts(database.storage, "note-a") == ["1", "2", "3", "4"]


class CountingStorage(InMemoryProjectionStorage):
    def __init__(self) -> None:
        super().__init__()
        self.loads: list[str] = []

    def _load(self, slot: Slot, collection: str, key: str) -> StoredDocument | None:
        self.loads.append(key)
        return super()._load(slot, collection, key)


def test_a_runner_reads_a_document_once_however_many_pages_change_it() -> None:
    store = InMemoryEventStore()
    storage = CountingStorage()
    note(store, "note-a", *"123456")
    note(store, "note-b", *"78")
    counting = ProjectionRunner(store, storage, NoteCounts(), page_size=2)

    counting.catch_up()

    assert storage.loads == ["note-a", "note-b"]
    assert texts(storage, "note-a") == list("123456")


def test_a_page_that_failed_half_way_leaves_nothing_behind_in_the_runner() -> None:
    store = InMemoryEventStore()
    storage = InMemoryProjectionStorage()
    note(store, "note-a", *"1234")
    failures = [4]

    def fail_once(record: RecordedEvent) -> None:
        if record.global_position in failures:
            failures.remove(record.global_position)
            raise UnreadableEventError(record.stream, 3, "Noted", "not yet")

    flaky = ProjectionRunner(store, storage, NoteCounts(fail_once), page_size=2)
    with pytest.raises(ProjectionStoppedError):
        flaky.catch_up()

    flaky.catch_up()

    assert texts(storage, "note-a") == list("1234")
