"""Run the CLI in this process, as a user at a terminal would, on a SQLite file."""

from __future__ import annotations

import io
import json
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, TypeAlias

import pytest

from connect_four.cli import run
from connect_four.eventsourcing.events import RecordedEvent
from connect_four.eventsourcing.stores.sqlite.event_store import SQLiteEventStore
from tests.eventsourcing.stores.backends import (
    drop_postgres_schema,
    new_schema_name,
    postgres_url,
)


@dataclass(frozen=True)
class Outcome:
    """What one run of the command line did."""

    status: int
    out: str
    err: str

    @property
    def game_id(self) -> str:
        """Return the id of the game the run announced."""
        found = re.search(r"^Game (\S+):", self.out, re.MULTILINE)
        assert found is not None, self.out
        return found.group(1)


class CLI(Protocol):
    """Run the command line with arguments and what the user types."""

    def __call__(
        self, *argv: str, typed: str = "", stdin: object = None
    ) -> Outcome: ...


Stored: TypeAlias = Callable[[str], list[RecordedEvent]]
"""Read a game's stored events by its id."""


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """Return the SQLite file the CLI keeps its games in."""
    return tmp_path / "games.db"


@pytest.fixture
def store_url(db_path: Path) -> str:
    """Return the `--store` URL of the test's SQLite file."""
    return f"sqlite:///{db_path}"


@pytest.fixture
def postgres_store_url() -> Iterator[str]:
    """Yield the URL of a fresh schema in the test database; drop it afterwards."""
    schema = new_schema_name()
    base = postgres_url()
    yield f"{base}{'&' if '?' in base else '?'}schema={schema}"
    drop_postgres_schema(schema)


@pytest.fixture
def cli(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], store_url: str
) -> CLI:
    """Return a function that runs the CLI with arguments and typed input."""
    monkeypatch.delenv("CONNECT_FOUR_STORE", raising=False)

    def run_cli(*argv: str, typed: str = "", stdin: object = None) -> Outcome:
        monkeypatch.setattr(sys, "stdin", stdin or io.StringIO(typed))
        status = run(["--store", store_url, *argv])
        captured = capsys.readouterr()
        return Outcome(status, captured.out, captured.err)

    return run_cli


@pytest.fixture
def stored(db_path: Path) -> Iterator[Stored]:
    """Return a function that reads a game's stored events from the test's file."""
    store = SQLiteEventStore(db_path)

    def read(game_id: str) -> list[RecordedEvent]:
        return store.read_stream(f"game-{game_id}")

    yield read
    store.close()


def facts(records: list[RecordedEvent]) -> list[tuple[str, dict[str, str]]]:
    """Return each stored event as its type and decoded JSON data."""
    return [(record.type, json.loads(record.data)) for record in records]


def lines(*answers: str) -> str:
    """Return answers as typed at a terminal, one line each."""
    return "".join(f"{answer}\n" for answer in answers)
