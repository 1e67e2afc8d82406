"""`connect-four play`: a game in one terminal, from first name to last move."""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

import pytest

from connect_four.cli import run
from tests.cli.conftest import CLI, Stored, facts, lines

ANN_WINS = ("A", "B", "A", "B", "A", "B", "A")
"""Moves, alternating from ann, in which ann connects four in column A."""


def resume_hint(game_id: str) -> str:
    return f"saved — resume with: connect-four play --resume {game_id}"


def test_a_full_game_through_standard_input_announces_the_winner(cli: CLI) -> None:
    outcome = cli(typed=lines("ann", "bob", *ANN_WINS))

    assert outcome.status == 0
    assert outcome.out.rstrip().endswith("Game over. ann wins!")


def test_a_full_game_stores_the_start_every_move_and_the_finish(
    cli: CLI, stored: Stored
) -> None:
    outcome = cli("play", typed=lines("ann", "bob", *ANN_WINS))

    players = ["ann", "bob"] * 4
    assert facts(stored(outcome.game_id)) == [
        ("GameStarted", {"player_one": "ann", "player_two": "bob"}),
        *(
            ("MoveMade", {"player": player, "column": column})
            for player, column in zip(players, ANN_WINS, strict=False)
        ),
        ("GameFinished", {"result": "PLAYER_ONE_WON"}),
    ]


def test_the_final_board_marks_the_winning_four(cli: CLI) -> None:
    outcome = cli(typed=lines("ann", "bob", *ANN_WINS))

    last_board = outcome.out.split("   A   B   C")[-2]
    bottom_rows = [line for line in last_board.splitlines() if "│" in line][-4:]
    assert all(row.startswith(" │[R]│") for row in bottom_rows)
    assert last_board.count("[") == 4


def test_the_last_move_is_marked_on_the_board(cli: CLI) -> None:
    outcome = cli(typed=lines("ann", "bob", "A", "B", "q"))

    last_board = outcome.out.split("   A   B   C")[-2]
    assert " │ R │(Y)│   │" in last_board


def test_lower_case_letters_and_column_numbers_are_moves(
    cli: CLI, stored: Stored
) -> None:
    outcome = cli(typed=lines("ann", "bob", "a", "7"))

    assert [
        data["column"]
        for kind, data in facts(stored(outcome.game_id))
        if kind == "MoveMade"
    ] == ["A", "G"]


def test_invalid_answers_are_explained_and_store_nothing(
    cli: CLI, stored: Stored
) -> None:
    typed = lines("ann", "bob", "", "H", "0", "ABCDEFGHIJKLMNOP", "\x1b[A", "?")

    outcome = cli(typed=typed)

    assert "nothing was typed" in outcome.out
    assert "there is no column 'H'" in outcome.out
    assert "there is no column '0'" in outcome.out
    assert "longer than 10 characters" in outcome.out
    assert "control characters" in outcome.out
    assert (
        "Hints (higher is better for you): A loss  B loss  C draw  D win" in outcome.out
    )
    assert outcome.out.count("ann (R), your move") == 7
    assert [kind for kind, _ in facts(stored(outcome.game_id))] == ["GameStarted"]


def test_a_full_column_is_refused_politely_and_the_player_asked_again(
    cli: CLI, stored: Stored
) -> None:
    six_in_a = ["A"] * 6

    outcome = cli(typed=lines("ann", "bob", *six_in_a, "A", "B"))

    assert "Column A is full; please choose another one." in outcome.out
    moves = [
        data for kind, data in facts(stored(outcome.game_id)) if kind == "MoveMade"
    ]
    assert len(moves) == 7
    assert moves[-1] == {"player": "ann", "column": "B"}


def test_each_name_is_checked_as_soon_as_it_is_typed(cli: CLI, stored: Stored) -> None:
    outcome = cli(typed=lines("", "ann", " ", "Ann", "bob", "q"))

    first, second = outcome.out.split("Player two (Y):", 1)
    assert "player name '' is empty" in first
    assert first.count("Player one (R, moves first):") == 2
    assert "player name '' is empty" in second
    assert "must have different names, not 'Ann'" in second
    assert second.count("Player two (Y):") == 2
    assert facts(stored(outcome.game_id))[0] == (
        "GameStarted",
        {"player_one": "ann", "player_two": "bob"},
    )


def test_a_person_cannot_take_a_computer_name(cli: CLI, stored: Stored) -> None:
    outcome = cli(typed=lines("computer (easy)", "ann", "bob", "q"))

    assert "'computer (easy)' is reserved for the computer opponent" in outcome.out
    assert facts(stored(outcome.game_id))[0] == (
        "GameStarted",
        {"player_one": "ann", "player_two": "bob"},
    )


def test_quitting_says_how_to_resume_the_game(cli: CLI) -> None:
    outcome = cli(typed=lines("ann", "bob", "D", "q"))

    assert outcome.status == 0
    assert resume_hint(outcome.game_id) in outcome.out


def test_the_end_of_input_saves_and_says_how_to_resume(
    cli: CLI, stored: Stored
) -> None:
    outcome = cli(typed=lines("ann", "bob", "D", "E"))

    assert outcome.status == 0
    assert outcome.err == ""
    assert resume_hint(outcome.game_id) in outcome.out
    assert len(stored(outcome.game_id)) == 3


def test_a_resumed_game_goes_on_from_where_it_was_left(
    cli: CLI, stored: Stored
) -> None:
    first = cli(typed=lines("ann", "bob", *ANN_WINS[:3]))
    hint = re.search(r"resume with: connect-four play --resume (\S+)", first.out)
    assert hint is not None

    second = cli("play", "--resume", hint.group(1), typed=lines(*ANN_WINS[3:]))

    assert second.status == 0
    assert "Move 3: ann played A." in second.out
    assert second.out.rstrip().endswith("Game over. ann wins!")
    assert len(stored(first.game_id)) == 1 + len(ANN_WINS) + 1


def test_resuming_a_finished_game_shows_its_result(cli: CLI) -> None:
    first = cli(typed=lines("ann", "bob", *ANN_WINS))

    again = cli("play", "--resume", first.game_id)

    assert again.status == 0
    assert again.out.rstrip().endswith("Game over. ann wins!")


def test_resuming_an_unknown_game_fails_with_a_message(cli: CLI) -> None:
    outcome = cli("play", "--resume", "no-such-game")

    assert outcome.status == 1
    assert outcome.err == "connect-four: there is no game 'no-such-game'\n"


def test_playing_as_someone_not_in_the_game_fails_with_a_message(cli: CLI) -> None:
    first = cli(typed=lines("ann", "bob", "q"))

    outcome = cli("play", "--resume", first.game_id, "--as", "eve")

    assert outcome.status == 1
    assert "'eve' is not playing in this game" in outcome.err


def test_leaving_before_the_names_are_given_starts_no_game(cli: CLI) -> None:
    outcome = cli(typed=lines("ann"))

    assert outcome.status == 0
    assert "No game was started." in outcome.out
    assert cli("games").out.startswith("No games yet")


def test_a_store_given_by_option_is_part_of_the_resume_hint(
    cli: CLI, store_url: str
) -> None:
    outcome = cli(typed=lines("ann", "bob", "q"))

    assert f"--store {store_url}" in outcome.out


def test_a_relative_sqlite_store_is_named_absolutely_in_the_commands_to_paste(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CONNECT_FOUR_STORE", raising=False)
    monkeypatch.setattr(sys, "stdin", io.StringIO(lines("bob", "q")))

    run(["play", "--as", "ann", "--store", "sqlite://games.db"])

    out = capsys.readouterr().out
    absolute = f"--store sqlite://{tmp_path / 'games.db'}"
    assert f"--as bob {absolute}\n" in out  # the command bob runs
    assert f"--as ann {absolute}\n" in out  # the one that resumes ann's seat
    assert "sqlite://games.db" not in out


DRAW = "AAAAAABBBBBBCCCCCCEDDDDDDEEEEEFFFFFFGGGGGG"
"""Forty-two moves that fill the board without four in a row."""


def test_a_full_board_without_four_in_a_row_is_announced_as_a_draw(
    cli: CLI, stored: Stored
) -> None:
    outcome = cli(typed=lines("ann", "bob", *DRAW))

    assert outcome.out.rstrip().endswith("Game over. It's a draw: the board is full.")
    assert facts(stored(outcome.game_id))[-1] == ("GameFinished", {"result": "TIED"})
    assert "draw" in cli("games").out.splitlines()[1]
