"""`connect-four workshop` and `play --workspace`, as a learner meets them."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from connect_four.cli import run
from connect_four.workshop.exercises import EXERCISES, MATERIAL
from connect_four.workshop.pages import hints

REFERENCE = MATERIAL / "reference" / "mygame"


def start(folder: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    assert run(["workshop", "start", str(folder)]) == 0
    capsys.readouterr()
    return folder


def copy_reference(workspace: Path, *names: str) -> None:
    for name in names:
        shutil.copy(REFERENCE / name, workspace / "mygame" / name)


def test_start_makes_a_workspace_with_the_package_pages_and_tests(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    workspace = start(tmp_path / "ws", capsys)
    assert (workspace / "mygame" / "game.py").is_file()
    assert sorted(p.name for p in (workspace / "exercises").iterdir()) == sorted(
        e.page for e in EXERCISES
    )
    assert (workspace / "tests" / "test_exercise_08.py").is_file()


def test_start_refuses_a_folder_that_holds_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    assert run(["workshop", "start", str(tmp_path)]) == 1
    assert "is not empty" in capsys.readouterr().err
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_check_on_the_skeleton_fails_and_gives_the_first_hint(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    workspace = start(tmp_path / "ws", capsys)
    code = run(["workshop", "check", "1", "--workspace", str(workspace)])
    out = capsys.readouterr().out
    assert code == 1
    assert "0 passed, 10 failed" in out
    assert "Hint 1 of" in out


def test_each_check_that_fails_reveals_one_more_hint(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    workspace = start(tmp_path / "ws", capsys)
    for _ in range(2):
        run(["workshop", "check", "4", "--workspace", str(workspace)])
    assert "Hint 2 of 2" in capsys.readouterr().out


def test_check_passes_once_the_exercise_is_done_and_status_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    workspace = start(tmp_path / "ws", capsys)
    copy_reference(workspace, "aggregate.py", "events.py", "game.py")

    code = run(["workshop", "check", "1", "--workspace", str(workspace)])
    checked = capsys.readouterr().out
    run(["workshop", "status", "--workspace", str(workspace)])
    status = capsys.readouterr().out

    assert code == 0
    assert "Exercise 1 is done. Next: exercises/02-play-the-game.md" in checked
    assert "1. Start a game" in status
    assert "done" in status.splitlines()[2]
    assert "Next: exercises/02-play-the-game.md" in status


def test_check_outside_a_workspace_says_how_to_make_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["workshop", "check", "1", "--workspace", str(tmp_path)]) == 1
    assert "workshop start" in capsys.readouterr().err


def test_an_exercise_that_does_not_exist_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    workspace = start(tmp_path / "ws", capsys)
    assert run(["workshop", "check", "9", "--workspace", str(workspace)]) == 1
    assert "the exercises are 1 to 8" in capsys.readouterr().err


def test_solution_points_to_this_projects_files_and_diffs_against_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    workspace = start(tmp_path / "ws", capsys)
    run(["workshop", "solution", "4", "--diff", "--workspace", str(workspace)])
    out = capsys.readouterr().out
    assert "connect_four/eventsourcing/repository.py" in out
    assert "Optimistic concurrency" in out
    assert "+class Repository(Generic[A, E]):" in out


def test_every_page_has_a_goal_steps_and_at_least_two_hints() -> None:
    for exercise in EXERCISES:
        text = (MATERIAL / "pages" / exercise.page).read_text("utf-8")
        assert "\n## Goal\n" in text
        assert "\n## Steps\n" in text
        assert len(hints(text)) >= 2, exercise.page


def play(workspace: Path, keys: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "connect_four.cli",
            "play",
            "--workspace",
            str(workspace),
        ],
        input=keys,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_play_on_the_skeleton_names_the_exercise_to_do(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    workspace = start(tmp_path / "ws", capsys)
    played = play(workspace, "ann\nbob\n")
    assert played.returncode == 1
    assert "is not written yet (exercise 1)" in played.stderr
    assert "Traceback" not in played.stderr


def test_play_on_a_finished_package_plays_a_game_to_the_end(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    workspace = start(tmp_path / "ws", capsys)
    copy_reference(workspace, "aggregate.py", "events.py", "game.py", "repository.py")
    played = play(workspace, "ann\nbob\n" + "\n".join("AGBGCGD") + "\n")
    assert played.returncode == 0, played.stderr
    assert "ann won." in played.stdout
    assert (workspace / "games.db").exists()


def test_check_stops_code_that_never_returns_and_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    workspace = start(tmp_path / "ws", capsys)
    (workspace / "mygame" / "events.py").write_text("while True:\n    pass\n")
    monkeypatch.setattr("connect_four.workshop.checking.TIMEOUT_SECONDS", 3)

    code = run(["workshop", "check", "1", "--workspace", str(workspace)])

    assert code == 1
    assert "does a loop in your code never end?" in capsys.readouterr().err
