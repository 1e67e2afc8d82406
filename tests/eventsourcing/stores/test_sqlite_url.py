"""A SQLite store's name, pasted back as `--store`, opens the same file."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from connect_four.eventsourcing.errors import (
    ForeignDatabaseError,
    InvalidStoreURLError,
    StoreUnavailableError,
)
from connect_four.eventsourcing.events import NewEvent
from connect_four.eventsourcing.store import StreamState, store_name
from connect_four.eventsourcing.stores import (
    is_sqlite_url,
    open_projection_storage,
    open_store,
    sqlite_path,
    sqlite_url,
)
from connect_four.eventsourcing.stores.sqlite.projection_storage import (
    SQLiteProjectionStorage,
)


def store_with_one_event(url: str) -> str:
    """Store one event in a new SQLite store and return the store's name."""
    store = open_store(url)
    try:
        store.append("notes-1", [NewEvent("Noted", b"{}")], StreamState.NO_STREAM)
        return store_name(store)
    finally:
        store.close()


def events_in(url: str) -> int:
    """Return how many events the store a URL names holds."""
    store = open_store(url)
    try:
        return store.last_global_position()
    finally:
        store.close()


@pytest.mark.parametrize(
    ("url", "path"),
    [
        ("sqlite:///srv/games.db", "/srv/games.db"),
        ("sqlite:////srv/games.db", "/srv/games.db"),
        ("sqlite://games.db", "games.db"),
        ("sqlite:games.db", "games.db"),
        ("sqlite://data/games.db", "data/games.db"),
    ],
)
def test_a_url_names_its_file(url: str, path: str) -> None:
    assert sqlite_path(url) == path


@pytest.mark.parametrize(
    "path", ["/srv/games.db", "games.db", "data/games.db", "Émile's games #1.db"]
)
def test_the_url_of_a_path_reads_back_as_that_path(path: str) -> None:
    assert sqlite_path(sqlite_url(path)) == path


@pytest.mark.parametrize(
    ("url", "names_sqlite"),
    [
        ("sqlite://games.db", True),
        ("SQLite:///srv/games.db", True),
        ("sqlite:games.db", True),
        ("memory:", False),
        ("postgresql://db/sqlite", False),
        ("games.sqlite", False),
    ],
)
def test_a_url_names_a_sqlite_store_by_its_scheme_alone(
    url: str, names_sqlite: bool
) -> None:
    assert is_sqlite_url(url) is names_sqlite


@pytest.mark.parametrize(
    "url", ["sqlite:", "sqlite://", "sqlite:///", "sqlite://data/"]
)
def test_a_url_without_a_file_is_refused(url: str) -> None:
    with pytest.raises(InvalidStoreURLError, match="it names no file"):
        sqlite_path(url)


@pytest.mark.parametrize(
    "url", ["sqlite:///{folder}/games.db?mode=ro", "sqlite://games.db?uri=true&mode=ro"]
)
def test_a_url_with_options_is_refused_rather_than_naming_a_new_file(
    url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)

    with pytest.raises(InvalidStoreURLError, match=r"takes no options \(\?.*mode=ro\)"):
        open_store(url.format(folder=tmp_path))

    assert list(tmp_path.iterdir()) == []


def test_a_question_mark_without_options_stays_part_of_the_name() -> None:
    assert sqlite_path("sqlite://what?.db") == "what?.db"


def test_a_store_named_by_an_absolute_path_is_named_with_three_slashes(
    tmp_path: Path,
) -> None:
    name = store_with_one_event(f"sqlite:///{tmp_path / 'games.db'}")

    assert name == f"sqlite://{tmp_path / 'games.db'}"
    assert not name.startswith("sqlite:////")
    assert events_in(name) == 1


def test_a_store_named_by_a_relative_path_is_named_relative_to_the_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)

    name = store_with_one_event("sqlite://games.db")

    assert name == "sqlite://games.db"
    assert events_in(name) == 1
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".db") == [
        "games.db"
    ]


def test_a_foreign_file_is_refused_under_the_name_it_was_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with closing(sqlite3.connect("notes.db")) as connection:
        connection.execute("CREATE TABLE notes (text TEXT)")
        connection.commit()

    with pytest.raises(ForeignDatabaseError) as raised:
        open_store("sqlite://notes.db")

    assert str(raised.value).startswith("sqlite://notes.db belongs to another program")


def test_a_file_in_a_missing_folder_is_refused_under_the_name_it_was_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)

    with pytest.raises(StoreUnavailableError) as raised:
        open_store("sqlite://nowhere/games.db")

    assert str(raised.value).startswith("event store sqlite://nowhere/games.db is")


@pytest.mark.parametrize("slashes", ["//", "///"])
def test_the_read_models_of_a_store_live_in_the_file_its_url_names(
    tmp_path: Path, slashes: str
) -> None:
    url = f"sqlite:{slashes}{tmp_path / 'games.db'}"

    storage = open_projection_storage(url)
    storage.close()

    assert isinstance(storage, SQLiteProjectionStorage)
    assert storage.path == str(tmp_path / "games.db")
