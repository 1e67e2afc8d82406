"""The terminal as a newcomer meets it: the real `connect-four` process, piped or
on a pseudo-terminal, one behaviour of issue 13 per test."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import pytest

from connect_four.application import ConnectFourApp
from connect_four.domain.board import Column
from connect_four.domain.game import Game, Move
from connect_four.eventsourcing.stores import open_store
from connect_four.persistence.game_repository import EventSourcedGameRepository
from tests.cli.conftest import lines
from tests.cli.pty_session import Screen
from tests.cli.test_terminals import command, environment, run_command

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT_SECONDS = 60


def new_game(store_url: str, *moves: str) -> str:
    """Store a game between ann and bob with these moves; return its id."""
    store = open_store(store_url)
    try:
        app = ConnectFourApp.over(EventSourcedGameRepository(store))
        game_id = app.create_game("ann", "bob")
        for turn, column in enumerate(moves):
            app.make_move(game_id, Move(("ann", "bob")[turn % 2], Column(column)))
        return game_id
    finally:
        store.close()


def play_moves(store_url: str, game_id: str, *moves: tuple[str, str]) -> None:
    """Make moves in a stored game, as another terminal would."""
    store = open_store(store_url)
    try:
        app = ConnectFourApp.over(EventSourcedGameRepository(store))
        for player, column in moves:
            app.make_move(game_id, Move(player, Column(column)))
    finally:
        store.close()


# 2. input typed while waiting for the other player


def test_a_move_typed_while_waiting_is_dropped_and_never_played(store_url: str) -> None:
    game_id = new_game(store_url)
    with Screen(
        command(store_url, "play", "--resume", game_id, "--as", "bob"), environment()
    ) as bob:
        bob.expect(r"Waiting for ann \(●\) to move")
        bob.send("A\n")
        bob.expect(r"It is ann's turn: 'A' was ignored; type your move when asked")
        bob.send("C")  # typed, not yet entered, when ann moves
        time.sleep(0.5)
        play_moves(store_url, game_id, ("ann", "D"))  # from ann's terminal
        bob.expect(r"Move 1: ann played D\.")
        bob.expect(r"bob \(.*\), your move")
        bob.send("q\n")
        assert bob.wait() == 0

    store = open_store(store_url)
    moves = [
        json.loads(r.data)
        for r in store.read_stream(f"game-{game_id}")
        if r.type == "MoveMade"
    ]
    store.close()
    assert moves == [{"player": "ann", "column": "D"}]


# 5. progress and Ctrl-C on long work


def test_solve_shows_a_live_count_and_stops_at_ctrl_c() -> None:
    argv = ["/bin/sh", "-c", f"echo 44444 | {sys.executable} -m connect_four.cli solve"]
    with Screen(argv, environment()) as screen:
        screen.expect(
            r"line 1: solving 44444: [1-9][\d,]* positions searched", timeout=90
        )
        interrupted_at = time.monotonic()
        screen.interrupt()
        screen.expect(r"positions searched: interrupted")
        screen.wait()
        assert time.monotonic() - interrupted_at < 5


def test_analyse_reports_its_progress_as_plain_lines_when_piped(store_url: str) -> None:
    game_id = new_game(store_url, *"ABABABA")

    finished = run_command(store_url, "analyse", game_id, "--seconds", "0.01")

    assert finished.returncode == 0, finished.stderr
    assert f"analysing [{'#' * 30}] 8/8 positions (100%)" in finished.stderr
    assert "\r" not in finished.stderr


def test_migrate_help_describes_both_ends_and_keeps_the_example_whole() -> None:
    finished = run_command("memory:", "migrate", "--help")

    assert "the store to copy from" in finished.stdout
    assert "the store to copy into" in finished.stdout
    assert "  connect-four migrate --from sqlite://games.db \\\n" in finished.stdout


# 6. hints


def test_hints_answer_on_the_empty_board_and_explain_the_scale(store_url: str) -> None:
    finished = run_command(
        store_url, "play", "--vs-computer", "easy", typed=lines("ann", "?", "q")
    )

    assert (
        "Hints (higher is better for you): A loss  B loss  C draw  D win"
        in finished.stdout
    )
    assert "+n: you can win, the larger the sooner" in finished.stdout


# 7. ids and --limit


def test_a_unique_prefix_of_six_characters_names_a_game(store_url: str) -> None:
    game_id = new_game(store_url, "A")

    shown = run_command(store_url, "show", game_id[:6])
    resumed = run_command(
        store_url, "play", "--resume", game_id[:8], typed=lines("B", "q")
    )

    assert f"Game {game_id}:" in shown.stdout
    assert "Move 2: bob played B." in resumed.stdout
    assert f"--resume {game_id}" in resumed.stdout


def test_an_ambiguous_prefix_lists_the_games_it_could_mean(store_url: str) -> None:
    store = open_store(store_url)
    games = EventSourcedGameRepository(store)
    for game_id, players in (
        ("abcdef-1111", ("ann", "bob")),
        ("abcdef-2222", ("cat", "dan")),
    ):
        game = Game(id=game_id)
        game.start_game(*players)
        games.add(game)
    store.close()

    finished = run_command(store_url, "show", "abcdef")

    assert finished.returncode == 1
    assert "'abcdef' is the start of 2 games' ids; type more of it:" in finished.stderr
    assert "  abcdef-1111  ann vs bob" in finished.stderr
    assert "  abcdef-2222  cat vs dan" in finished.stderr


@pytest.mark.parametrize("limit", ["0", "-1"])
def test_games_refuses_a_limit_below_one(store_url: str, limit: str) -> None:
    new_game(store_url)

    finished = run_command(store_url, "games", "--limit", limit)

    assert finished.returncode == 2
    assert f"argument --limit: {limit} is less than 1" in finished.stderr


def test_play_help_lists_the_computer_levels() -> None:
    finished = run_command("memory:", "play", "--help")

    assert "easy, medium, hard, perfect" in " ".join(finished.stdout.split())


# 10. the board and show's width


def test_show_fits_a_hundred_columns_unless_asked_for_metadata(store_url: str) -> None:
    game_id = new_game(store_url, "A")

    narrow = run_command(store_url, "show", game_id)
    full = run_command(store_url, "show", game_id, "--metadata")

    assert max(len(line) for line in narrow.stdout.splitlines()) <= 100
    assert "…" in narrow.stdout
    assert '"correlation_id"' in full.stdout
    assert "…" not in full.stdout


def test_on_a_terminal_the_two_tokens_differ_in_shape(store_url: str) -> None:
    game_id = new_game(store_url, "A")
    with Screen(
        command(store_url, "play", "--resume", game_id), environment()
    ) as screen:
        screen.expect(r"bob \(.*\), your move")
        screen.send("B\n")
        screen.expect(r"ann \(.*\), your move")
        screen.send("q\n")
        screen.wait()
    assert "│ ● │(○)│" in screen.shown
    assert "\x1b[1;33m○" in screen.raw.decode()


# 3 (names) and 8: names checked as typed, matched by key


def test_a_refused_first_name_is_asked_again_before_the_second(store_url: str) -> None:
    finished = run_command(
        store_url, typed=lines("", "computer (hard)", "Ann", "ann", "bob", "q")
    )

    first, second = finished.stdout.split("Player two (Y):", 1)
    assert "player name '' is empty" in first
    assert "'computer (hard)' is reserved for the computer opponent" in first
    assert "must have different names, not 'ann'" in second
    assert "Game " in second


def test_games_player_finds_a_name_whatever_its_case(store_url: str) -> None:
    run_command(store_url, typed=lines("Nina", "bob", "q"))

    finished = run_command(store_url, "games", "--player", "nina")

    assert "Nina vs bob" in finished.stdout


def test_the_leaderboard_counts_ann_and_ann_as_one_player(store_url: str) -> None:
    run_command(store_url, typed=lines("Ann", "bob", *"ABABABA"))
    run_command(store_url, typed=lines("ann", "cat", *"ABABABA"))

    finished = run_command(store_url, "leaderboard")

    rows = [line.split() for line in finished.stdout.splitlines()[1:]]
    assert [row[1] for row in rows].count("Ann") == 1
    assert "ann" not in [row[1] for row in rows]
    assert rows[0][1:6] == ["Ann", rows[0][2], "2", "2", "0"]


def test_projections_rebuild_reports_progress_as_plain_lines_when_piped(
    store_url: str,
) -> None:
    new_game(store_url, *"ABABABA")

    finished = run_command(store_url, "projections", "rebuild", "games")

    assert finished.returncode == 0, finished.stderr
    assert f"rebuilding games [{'#' * 30}] 9/9 events (100%)" in finished.stderr
    assert "\r" not in finished.stderr


def test_q_typed_while_waiting_leaves_with_the_resume_command(store_url: str) -> None:
    game_id = new_game(store_url)
    argv = command(store_url, "play", "--resume", game_id, "--as", "bob")
    with Screen(argv, environment()) as bob:
        bob.expect(r"Waiting for ann \(●\) to move")
        bob.send("q\n")
        bob.expect(rf"saved — resume with: .*play --resume {game_id} --as bob")
        assert bob.wait() == 0
