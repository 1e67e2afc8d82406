"""Damaged read models, SQLite and PostgreSQL: one line naming the rebuild that repairs.

The read models live in the store's own database (`projection_documents`,
`projection_slots`), where a hand edit can leave a document that is not
JSON, a JSON object of another shape, or a slot whose checkpoint is no
number. `connect-four games`, the web's game list and the projection
runner must each stop with one error that names the read model and says to
run `connect-four projections rebuild games`, never a traceback; no event
changes; and that rebuild repairs it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from connect_four.application import ConnectFourApp
from connect_four.eventsourcing.errors import UnreadableDocumentError
from connect_four.eventsourcing.stores import open_projection_storage, open_store
from connect_four.persistence.game_repository import EventSourcedGameRepository
from connect_four.readmodels import ReadModels
from connect_four.web import create_app
from tests.reliability.damaged_stores import Backend, DamagedStore, damaged_store
from tests.reliability.test_damaged_stores import run_cli

REBUILD = "run `connect-four projections rebuild games`"


@dataclass(frozen=True)
class ReadModelDamage:
    """One hand edit of the game list's stored read model."""

    name: str
    statements: tuple[tuple[str, tuple[object, ...]], ...]
    """SQL with `?` placeholders; `{id}` in a value stands for the game's id."""
    backends: tuple[Backend, ...] = ("sqlite", "postgres")


def set_document(value: str) -> tuple[str, tuple[object, ...]]:
    """Return the statement that replaces the damaged game's document."""
    return (
        "UPDATE projection_documents SET value = ?"
        " WHERE name = 'games' AND collection = 'games' AND key = ?",
        (value, "{id}"),
    )


BEFORE_THE_FINISH = "{before the finish}"
"""In a value: the global position just before the damaged game's `GameFinished`
(positions may be sparse, as on PostgreSQL, so it is read from the store)."""

REFOLD = (
    "UPDATE projection_slots SET checkpoint = ? WHERE name = 'games'",
    (BEFORE_THE_FINISH,),
)
"""Move the checkpoint back before the finish, so the next catch-up folds it."""

CASES = (
    ReadModelDamage("a document that is not JSON", (set_document("{no"),)),
    ReadModelDamage("a document that is a JSON list", (set_document("[1, 2]"),)),
    ReadModelDamage(
        "a document lacking the fields it is listed by",
        (set_document('{"id": "x"}'),),
    ),
    ReadModelDamage(
        "a document an event is folded into lacks a field",
        (set_document('{"id": "x"}'), REFOLD),
    ),
    ReadModelDamage(
        "a checkpoint stored as text",
        (("UPDATE projection_slots SET checkpoint = ? WHERE name = 'games'", ("x",)),),
        ("sqlite",),
    ),
)


@pytest.fixture(
    params=[
        pytest.param((backend, case), id=f"{backend}: {case.name}")
        for backend in ("sqlite", "postgres")
        for case in CASES
        if backend in case.backends
    ]
)
def damaged(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[DamagedStore]:
    """Yield a store whose game list was built, then damaged one way by hand."""
    backend, case = request.param
    with damaged_store(backend, None, tmp_path) as store:
        built = run_cli(store, "games")
        assert built.returncode == 0, built.stderr
        events = open_store(store.url)
        try:
            finish = events.read_stream(f"game-{store.damaged_id}")[-1]
        finally:
            events.close()
        stands_for = {
            "{id}": store.damaged_id,
            BEFORE_THE_FINISH: finish.global_position - 1,
        }
        for statement, values in case.statements:
            store.run(
                statement,
                tuple(
                    stands_for.get(v, v) if isinstance(v, str) else v for v in values
                ),
            )
        yield store


def test_the_game_list_names_the_read_model_and_its_rebuild(
    damaged: DamagedStore,
) -> None:
    before = damaged.raw()

    done = run_cli(damaged, "games")

    assert done.returncode == 1
    assert "Traceback" not in done.stdout + done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("connect-four: read model 'games' holds a document")
    assert REBUILD in lines[0]
    assert damaged.raw() == before


def test_the_web_game_list_answers_unreadable_document(damaged: DamagedStore) -> None:
    store = open_store(damaged.url)
    storage = open_projection_storage(damaged.url)
    app = ConnectFourApp.over(EventSourcedGameRepository(store))
    try:
        # A damaged slot is read as the read models are built: the server
        # refuses to start (`serve` prints this one line and exits 1).
        web = create_app(app, store, ReadModels(store, storage))
    except UnreadableDocumentError as refused:
        answer = (500, "unreadable_document", str(refused))
    else:
        got = TestClient(web, raise_server_exceptions=False).get("/api/games")
        answer = (got.status_code, got.json()["error"], got.json()["message"])
    storage.close()
    store.close()

    assert answer[:2] == (500, "unreadable_document")
    assert REBUILD in answer[2]


def test_the_rebuild_the_message_names_repairs_the_read_model(
    damaged: DamagedStore,
) -> None:
    before = damaged.raw()

    rebuilt = run_cli(damaged, "projections", "rebuild", "games")
    listed = run_cli(damaged, "games")

    assert rebuilt.returncode == 0, rebuilt.stderr
    assert listed.returncode == 0, listed.stderr
    assert damaged.damaged_id in listed.stdout
    assert damaged.raw() == before
