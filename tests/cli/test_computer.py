"""Playing against the computer, with a fake `connect_four.ai.players` module."""

from __future__ import annotations

import json
import random
import sys
import types
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from connect_four.ai.opponent import AI_MODULE
from connect_four.application import ConnectFourApp
from connect_four.domain.board import ROWS, Column
from connect_four.eventsourcing.stores.sqlite.event_store import SQLiteEventStore
from connect_four.persistence.game_repository import EventSourcedGameRepository
from tests.cli.conftest import CLI, Stored, facts, lines


@dataclass(frozen=True)
class FakeChoice:
    column: Column
    score: int | None
    depth: int
    exact: bool = False


@dataclass(frozen=True)
class FakeHint:
    score: int | None
    exact: bool


class FakeComputerPlayer:
    """Drop into the rightmost column with room; score columns by their letter."""

    def __init__(self, level: str, rng: random.Random) -> None:
        self.level = level
        self.name = f"computer ({level})"
        self.rng = rng

    def choose(self, moves: Sequence[Column]) -> FakeChoice:
        for column in reversed(Column):
            if moves.count(column) < ROWS:
                return FakeChoice(column, 0, 1)
        raise AssertionError("the board is full")

    def hints(self, moves: Sequence[Column]) -> dict[Column, FakeHint]:
        return {
            Column.A: FakeHint(2, exact=True),
            Column.B: FakeHint(-1, exact=True),
            Column.C: FakeHint(None, exact=False),
            Column.D: FakeHint(1, exact=False),
        }


@pytest.fixture(autouse=True)
def fake_ai(monkeypatch: pytest.MonkeyPatch) -> None:
    module = types.ModuleType(AI_MODULE)
    module.LEVELS = ("easy", "hard")  # type: ignore[attr-defined]  # a module built here
    module.ComputerPlayer = FakeComputerPlayer  # type: ignore[attr-defined]  # as above
    monkeypatch.setitem(sys.modules, AI_MODULE, module)


def moves_in(records: list[tuple[str, dict[str, str]]]) -> list[tuple[str, str]]:
    return [
        (data["player"], data["column"]) for kind, data in records if kind == "MoveMade"
    ]


def test_the_computer_answers_each_move_through_the_game(
    cli: CLI, stored: Stored
) -> None:
    outcome = cli("play", "--vs-computer", "easy", typed=lines("ann", *"AAAA"))

    assert outcome.status == 0
    assert "computer (easy) is thinking..." in outcome.out
    assert outcome.out.rstrip().endswith("Game over. ann wins!")
    assert moves_in(facts(stored(outcome.game_id))) == [
        ("ann", "A"),
        ("computer (easy)", "G"),
    ] * 3 + [("ann", "A")]


def test_the_computer_can_move_first(cli: CLI, stored: Stored) -> None:
    outcome = cli(
        "play", "--vs-computer", "hard", "--computer-first", typed=lines("ann", "q")
    )

    records = facts(stored(outcome.game_id))
    assert records[0] == (
        "GameStarted",
        {"player_one": "computer (hard)", "player_two": "ann"},
    )
    assert moves_in(records) == [("computer (hard)", "G")]


def test_a_question_mark_shows_the_computers_hints(cli: CLI) -> None:
    outcome = cli("play", "--vs-computer", "easy", typed=lines("ann", "?", "q"))

    assert "Hints (higher is better for you): A +2  B -1  C ?  D win" in outcome.out


def test_the_hint_scale_is_explained_the_first_time_only(cli: CLI) -> None:
    outcome = cli("play", "--vs-computer", "easy", typed=lines("ann", "?", "?", "q"))

    assert outcome.out.count("Hints (higher is better for you)") == 2
    assert outcome.out.count("+n: you can win, the larger the sooner") == 1


def test_a_game_against_the_computer_resumes_against_it_without_a_flag(
    cli: CLI, stored: Stored
) -> None:
    first = cli("play", "--vs-computer", "easy", typed=lines("ann", "A", "q"))

    cli("play", "--resume", first.game_id, typed=lines("B"))

    assert moves_in(facts(stored(first.game_id)))[2:] == [
        ("ann", "B"),
        ("computer (easy)", "G"),
    ]


def test_the_printed_resume_command_needs_no_computer_flag(cli: CLI) -> None:
    first = cli("play", "--vs-computer", "easy", typed=lines("ann", "q"))

    assert f"resume with: connect-four play --resume {first.game_id} " in first.out
    assert "--vs-computer" not in first.out.split("resume with:")[1]


def test_the_computers_seat_and_level_are_stored_with_the_game(
    cli: CLI, db_path: Path
) -> None:
    first = cli("play", "--vs-computer", "hard", typed=lines("ann", "q"))

    store = SQLiteEventStore(db_path)
    try:
        seats = [
            json.loads(r.data) for r in store.read_stream(f"seats-{first.game_id}")
        ]
    finally:
        store.close()
    assert [(s["seat"], s["player"], s["computer"]) for s in seats] == [
        (1, "ann", None),
        (2, "computer (hard)", "hard"),
    ]


def test_resuming_with_another_level_still_plays_the_stored_one(
    cli: CLI, stored: Stored
) -> None:
    first = cli("play", "--vs-computer", "easy", typed=lines("ann", "q"))

    outcome = cli(
        "play", "--resume", first.game_id, "--vs-computer", "hard", typed=lines("A")
    )

    assert "This game is played against computer (easy)." in outcome.out
    assert moves_in(facts(stored(first.game_id))) == [
        ("ann", "A"),
        ("computer (easy)", "G"),
    ]


def test_a_game_without_a_stored_computer_seat_still_resumes_with_the_flag(
    cli: CLI, stored: Stored, db_path: Path
) -> None:
    # As an earlier version stored a game against the computer: no seats.
    store = SQLiteEventStore(db_path)
    try:
        game_id = ConnectFourApp.over(EventSourcedGameRepository(store)).create_game(
            "ann", "computer (easy)"
        )
    finally:
        store.close()

    outcome = cli(
        "play", "--resume", game_id, "--vs-computer", "easy", typed=lines("A")
    )

    assert f"--resume {game_id} --vs-computer easy" in outcome.out
    assert moves_in(facts(stored(game_id))) == [
        ("ann", "A"),
        ("computer (easy)", "G"),
    ]


def test_an_unknown_level_fails_with_the_levels_there_are(cli: CLI) -> None:
    outcome = cli("play", "--vs-computer", "godlike")

    assert outcome.status == 1
    assert "there is no level 'godlike'; choose one of easy, hard" in outcome.err


def test_without_the_ai_module_the_computer_is_refused_with_a_message(
    cli: CLI, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, AI_MODULE, None)

    outcome = cli("play", "--vs-computer", "easy")

    assert outcome.status == 1
    assert f"the AI module {AI_MODULE} is not available" in outcome.err


def test_computer_first_needs_a_computer(cli: CLI) -> None:
    outcome = cli("play", "--computer-first")

    assert outcome.status == 2
    assert "--computer-first needs --vs-computer" in outcome.err


def test_the_computers_moves_record_how_the_engine_judged_them(
    cli: CLI, stored: Stored
) -> None:
    outcome = cli("play", "--vs-computer", "easy", typed=lines("ann", "A"))

    computer_moves = [
        json.loads(record.metadata)
        for record in stored(outcome.game_id)
        if record.type == "MoveMade"
        and json.loads(record.data)["player"] == "computer (easy)"
    ]

    assert computer_moves
    assert computer_moves[0]["computer"] == {
        "level": "easy",
        "score": 0,
        "depth": 1,
        "exact": False,
    }
