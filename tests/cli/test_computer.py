"""Playing against the computer, with a fake `connect_four.ai.players` module."""

from __future__ import annotations

import json
import random
import sys
import types
from collections.abc import Sequence
from dataclasses import dataclass

import pytest

from connect_four.ai.opponent import AI_MODULE
from connect_four.domain.board import ROWS, Column
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


def test_a_game_against_the_computer_resumes_against_it(
    cli: CLI, stored: Stored
) -> None:
    first = cli("play", "--vs-computer", "easy", typed=lines("ann", "A", "q"))
    assert f"--resume {first.game_id} --vs-computer easy" in first.out

    cli("play", "--resume", first.game_id, "--vs-computer", "easy", typed=lines("B"))

    assert moves_in(facts(stored(first.game_id)))[2:] == [
        ("ann", "B"),
        ("computer (easy)", "G"),
    ]


def test_resuming_against_a_computer_not_in_the_game_fails_with_a_message(
    cli: CLI,
) -> None:
    first = cli("play", "--vs-computer", "easy", typed=lines("ann", "q"))

    outcome = cli("play", "--resume", first.game_id, "--vs-computer", "hard")

    assert outcome.status == 1
    assert "this game has no player named 'computer (hard)'" in outcome.err


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
