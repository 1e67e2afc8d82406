"""The real command in child processes: pipes, two terminals, a fast `--help`."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys

import pytest

from connect_four.ai.opponent import computer_levels
from connect_four.eventsourcing.stores import open_store
from tests.cli.conftest import lines

TIMEOUT_SECONDS = 30


def command(store_url: str, *argv: str) -> list[str]:
    return [sys.executable, "-m", "connect_four.cli", "--store", store_url, *argv]


def environment(**changes: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key != "NO_COLOR"}
    env.pop("CONNECT_FOUR_STORE", None)
    return {**env, "PYTHONIOENCODING": "utf-8", **changes}


def run_command(
    store_url: str, *argv: str, typed: str = ""
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command(store_url, *argv),
        input=typed,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=environment(),
        timeout=TIMEOUT_SECONDS,
        check=False,
    )


@pytest.fixture(params=["sqlite", "postgresql"])
def shared_store_url(request: pytest.FixtureRequest) -> str:
    """Return a store two processes share: the test's SQLite file, or a fresh
    schema of the PostgreSQL test database."""
    fixture = "store_url" if request.param == "sqlite" else "postgres_store_url"
    url: str = request.getfixturevalue(fixture)
    return url


def stream_of(store_url: str) -> list[tuple[str, dict[str, str]]]:
    """Return the one game's events (beside it: the players' claimed names)."""
    store = open_store(store_url)
    try:
        records = store.read_all()
        (stream,) = {r.stream for r in records if r.stream.startswith("game-")}
        return [(r.type, json.loads(r.data)) for r in store.read_stream(stream)]
    finally:
        store.close()


def game_id_of(store_url: str) -> str:
    store = open_store(store_url)
    try:
        return store.read_all()[0].stream.removeprefix("game-")
    finally:
        store.close()


def start_seat(
    store_url: str, game_id: str, name: str, typed: str
) -> subprocess.Popen[str]:
    """Start a terminal playing one seat, its answers already waiting in a pipe."""
    read_end, write_end = os.pipe()
    os.write(write_end, typed.encode())
    os.close(write_end)
    try:
        return subprocess.Popen(
            command(store_url, "play", "--resume", game_id, "--as", name),
            stdin=read_end,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            env=environment(),
        )
    finally:
        os.close(read_end)


def test_a_game_piped_through_the_command_is_played_to_the_end(
    store_url: str,
) -> None:
    finished = run_command(store_url, typed=lines("ann", "bob", *"ABABABA"))

    assert finished.returncode == 0, finished.stderr
    assert "Game over. ann wins!" in finished.stdout
    assert stream_of(store_url)[-1] == ("GameFinished", {"result": "PLAYER_ONE_WON"})


def test_the_store_url_may_come_from_the_environment(shared_store_url: str) -> None:
    finished = subprocess.run(
        [sys.executable, "-m", "connect_four.cli", "play"],
        input=lines("ann", "bob", *"ABABABA"),
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=environment(CONNECT_FOUR_STORE=shared_store_url),
        timeout=TIMEOUT_SECONDS,
        check=False,
    )

    assert finished.returncode == 0, finished.stderr
    assert "Game over. ann wins!" in finished.stdout
    assert stream_of(shared_store_url)[-1] == (
        "GameFinished",
        {"result": "PLAYER_ONE_WON"},
    )


def test_output_to_a_pipe_has_no_colour_codes(store_url: str) -> None:
    finished = run_command(store_url, typed=lines("ann", "bob", "A", "B"))

    assert "│ R │(Y)│" in finished.stdout
    assert "\x1b" not in finished.stdout


def test_two_terminals_each_playing_one_seat_store_every_move_once_in_order(
    shared_store_url: str,
) -> None:
    store_url = shared_store_url
    created = run_command(store_url, "play", "--as", "ann", typed=lines("bob", "q"))
    assert created.returncode == 0, created.stderr
    game_id = game_id_of(store_url)
    assert f"-m connect_four.cli play --resume {game_id} --as bob" in created.stdout

    # Each side gets all its answers at once; it must read each one only when
    # the other side's move has reached it through the shared store.
    typed = {"ann": lines("C", "D", "E", "F"), "bob": lines("C", "D", "E")}
    seats = {
        name: start_seat(store_url, game_id, name, typed[name])
        for name in ("bob", "ann")
    }
    try:
        outputs = {
            name: process.communicate(timeout=TIMEOUT_SECONDS)
            for name, process in seats.items()
        }
    finally:
        for process in seats.values():
            if process.poll() is None:
                process.kill()
                process.communicate()

    for name, process in seats.items():
        assert process.returncode == 0, outputs[name][1]
        assert "Game over. ann wins!" in outputs[name][0]
    assert "Waiting for ann (R) to move" in outputs["bob"][0]
    assert "Waiting for bob (Y) to move" in outputs["ann"][0]
    moves = [
        (data["player"], data["column"])
        for kind, data in stream_of(store_url)
        if kind == "MoveMade"
    ]
    assert moves == [
        ("ann", "C"),
        ("bob", "C"),
        ("ann", "D"),
        ("bob", "D"),
        ("ann", "E"),
        ("bob", "E"),
        ("ann", "F"),
    ]


def test_help_lists_the_commands(store_url: str) -> None:
    finished = run_command(store_url, "--help")

    assert finished.returncode == 0
    for name in ("play", "games", "show"):
        assert f"    {name} " in finished.stdout


@pytest.mark.parametrize("heavy", ["sqlite3", "uuid", "json", "connect_four.domain"])
def test_help_imports_nothing_it_does_not_need(store_url: str, heavy: str) -> None:
    finished = subprocess.run(
        [sys.executable, "-X", "importtime", *command(store_url, "--help")[1:]],
        capture_output=True,
        text=True,
        env=environment(),
        timeout=TIMEOUT_SECONDS,
        check=True,
    )

    imported = {
        line.rsplit("|", 1)[-1].strip() for line in finished.stderr.splitlines()
    }
    assert heavy not in imported


@pytest.mark.skipif(
    not computer_levels(), reason="the AI (connect_four.ai.players) is not installed"
)
def test_a_computer_game_resumed_by_its_printed_command_plays_the_computer(
    store_url: str,
) -> None:
    first = run_command(
        store_url, "play", "--vs-computer", "easy", typed=lines("ann", "D", "q")
    )
    assert first.returncode == 0, first.stderr
    printed = first.stdout.split("resume with: ")[1].splitlines()[0]
    assert "--vs-computer" not in printed

    # The printed command, run as it is (its store option included), with no flag.
    # It starts the way this run did (here `python -m connect_four.cli`).
    argv = shlex.split(printed)
    argv = argv[argv.index("play") :]
    resumed = subprocess.run(
        [sys.executable, "-m", "connect_four.cli", *argv],
        input=lines("D", "q"),
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=environment(),
        timeout=TIMEOUT_SECONDS,
        check=False,
    )

    assert resumed.returncode == 0, resumed.stderr
    assert "computer (easy) is thinking..." in resumed.stdout
    store = open_store(store_url)
    try:
        game_id = printed.split("--resume ")[1].split()[0]
        records = store.read_stream(f"game-{game_id}")
    finally:
        store.close()
    players = [json.loads(r.data)["player"] for r in records if r.type == "MoveMade"]
    assert players == ["ann", "computer (easy)"] * 2
