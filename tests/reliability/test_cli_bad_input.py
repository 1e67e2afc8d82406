"""Every prompt of the terminal game refuses bad answers clearly and stores nothing.

Each case types answers into `connect-four play` through a real process's
standard input (bytes, so that invalid UTF-8 can be sent too), then checks
the exit status, that the refusal was explained, that no traceback was shown,
and exactly which events the store holds afterwards.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from connect_four.eventsourcing.stores.sqlite.event_store import SQLiteEventStore
from tests.reliability.invariants import read_log

ANN_WINS = b"A\nB\nA\nB\nA\nB\nA\n"


@dataclass(frozen=True)
class Played:
    """What one run of the game did: status, output, and the game's events stored."""

    status: int
    out: str
    err: str
    events: list[tuple[str, dict[str, str]]]


def play(tmp_path: Path, typed: bytes, encoding: str = "") -> Played:
    """Run `connect-four play` on a fresh SQLite file with typed input.

    `encoding` sets PYTHONIOENCODING: `utf-8:strict` stands for a locale such
    as en_US.UTF-8, where Python decodes standard input strictly.
    """
    database = tmp_path / "games.db"
    done = subprocess.run(
        [sys.executable, "-m", "connect_four.cli", "--store", f"sqlite:///{database}"],
        input=typed,
        capture_output=True,
        check=False,
        timeout=60,
        env={
            **os.environ,
            "NO_COLOR": "1",
            "CONNECT_FOUR_STORE": "",
            "PYTHONIOENCODING": encoding,
        },
    )
    events: list[tuple[str, dict[str, str]]] = []
    if database.exists():
        store = SQLiteEventStore(database)
        # The game's events; the names the game claims are stored beside them.
        events = [
            (r.type, json.loads(r.data))
            for r in read_log(store)
            if r.stream.startswith("game-")
        ]
        store.close()
    return Played(
        done.returncode,
        done.stdout.decode(errors="replace"),
        done.stderr.decode(errors="replace"),
        events,
    )


def assert_no_traceback(played: Played) -> None:
    """Check that nothing a user can type shows Python's internals."""
    assert "Traceback" not in played.out + played.err


STARTED = ("GameStarted", {"player_one": "ann", "player_two": "bob"})

NAME_CASES = {
    "empty": (b"\n", "is empty"),
    "only spaces": (b"   \n", "is empty"),
    "too long": (b"x" * 41 + b"\n", "longer than 40"),
    "control character": (b"an\x07n\n", "control"),
    "escape sequence": (b"\x1b[31mann\n", "control"),
    "zero-width space": ("an\u200bn\n".encode(), "control"),
    "right-to-left override": ("\u202eann\n".encode(), "control"),
}


@pytest.mark.parametrize("case", sorted(NAME_CASES))
def test_a_bad_first_name_is_explained_and_asked_again(
    tmp_path: Path, case: str
) -> None:
    bad, reason = NAME_CASES[case]

    # Refused as soon as it is typed, so the next line is player one again.
    played = play(tmp_path, bad + b"ann\nbob\n" + ANN_WINS)

    assert_no_traceback(played)
    assert played.status == 0
    assert reason in played.out
    assert played.events[0] == (
        "GameStarted",
        {"player_one": "ann", "player_two": "bob"},
    )


def test_the_same_name_twice_is_explained_and_the_second_asked_again(
    tmp_path: Path,
) -> None:
    played = play(tmp_path, b"ann\nANN\nbob\n" + ANN_WINS)

    assert_no_traceback(played)
    assert "must have different names" in played.out
    assert played.events[0] == STARTED


@pytest.mark.parametrize("typed", [b"", b"ann\n"], ids=["first", "second"])
def test_input_ending_at_a_name_prompt_starts_no_game(
    tmp_path: Path, typed: bytes
) -> None:
    played = play(tmp_path, typed)

    assert_no_traceback(played)
    assert played.status == 0
    assert "No game was started" in played.out
    assert played.events == []


MOVE_CASES = {
    "empty": b"\n",
    "too long": b"A" * 200 + b"\n",
    "control character": b"\x07\n",
    "escape sequence": b"\x1b[A\n",
    "letter past G": b"H\n",
    "number past 7": b"8\n",
    "zero": b"0\n",
    "two columns": b"AB\n",
    "accented letter": "\u00e4\n".encode(),
    "minus one": b"-1\n",
}


@pytest.mark.parametrize("case", sorted(MOVE_CASES))
def test_a_bad_answer_at_the_move_prompt_is_explained_and_stores_nothing(
    tmp_path: Path, case: str
) -> None:
    played = play(tmp_path, b"ann\nbob\n" + MOVE_CASES[case])

    assert_no_traceback(played)
    assert played.status == 0
    assert "type a column letter A to G" in played.out or "choose one of A to G" in (
        played.out
    )
    assert played.events == [STARTED]


def test_a_full_column_is_explained_and_the_move_asked_again(tmp_path: Path) -> None:
    six = b"A\n" * 6

    played = play(tmp_path, b"ann\nbob\n" + six + b"A\n")

    assert_no_traceback(played)
    assert "Column A is full" in played.out
    assert [kind for kind, _ in played.events] == ["GameStarted"] + ["MoveMade"] * 6


def test_input_ending_mid_game_keeps_every_move_made(tmp_path: Path) -> None:
    played = play(tmp_path, b"ann\nbob\nA\nB\n")

    assert_no_traceback(played)
    assert played.status == 0
    assert "resume with" in played.out
    assert played.events == [
        STARTED,
        ("MoveMade", {"player": "ann", "column": "A"}),
        ("MoveMade", {"player": "bob", "column": "B"}),
    ]


@pytest.mark.parametrize("encoding", ["", "utf-8:strict"], ids=["C", "strict"])
def test_a_name_that_is_not_utf8_is_refused_and_asked_again(
    tmp_path: Path, encoding: str
) -> None:
    played = play(tmp_path, b"\xffann\nann\nbob\n" + ANN_WINS, encoding)

    assert_no_traceback(played)
    assert "holds control or invisible characters" in played.out
    assert played.events[0] == STARTED


@pytest.mark.parametrize("encoding", ["", "utf-8:strict"], ids=["C", "strict"])
def test_a_move_that_is_not_utf8_is_refused_and_stores_nothing(
    tmp_path: Path, encoding: str
) -> None:
    played = play(tmp_path, b"ann\nbob\n\xc3\n", encoding)

    assert_no_traceback(played)
    assert "that holds control characters" in played.out
    assert played.events == [STARTED]
