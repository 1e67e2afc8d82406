"""`connect-four projections`: status with checkpoint and lag, and rebuilds."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from connect_four.cli import build_parser
from connect_four.cli.settings import PROJECTIONS_ENV
from connect_four.cli.wiring import projections_url
from tests.cli.conftest import CLI, lines


def status_rows(cli: CLI) -> dict[str, list[str]]:
    outcome = cli("projections", "status")
    assert outcome.status == 0
    header, *rows = outcome.out.splitlines()
    assert header.split() == [
        "projection", "generation", "state", "from", "checkpoint", "head", "lag",
    ]  # fmt: skip
    return {row.split()[0]: row.split()[1:] for row in rows}


def test_the_status_shows_how_far_each_projection_is_behind(cli: CLI) -> None:
    # 11 events: the game's 9, and ann's and bob's names claimed on first use.
    cli(typed=lines("ann", "bob", *"ABABABA"))

    before = status_rows(cli)
    cli("games")
    after = status_rows(cli)

    assert before == {
        "games": ["1", "serving", "0", "0", "11", "11"],
        "leaderboard": ["1", "serving", "0", "0", "11", "11"],
        "tables": ["1", "serving", "0", "0", "11", "11"],
    }
    assert after["games"] == ["1", "serving", "0", "11", "11", "0"]
    assert after["leaderboard"] == before["leaderboard"]


def test_a_rebuild_replaces_the_projection_with_an_equal_one(cli: CLI) -> None:
    cli(typed=lines("ann", "bob", *"ABABABA"))
    cli(typed=lines("cat", "dog", "D", "q"))
    listed = cli("games").out

    outcome = cli("projections", "rebuild", "games")

    assert outcome.status == 0
    assert "Rebuilt games from position zero: generation 2" in outcome.out
    # 2 + 2 of the 15 events are the four names claimed on first use.
    assert status_rows(cli)["games"] == ["2", "serving", "0", "15", "15", "0"]
    assert cli("games").out == listed


def test_a_rebuild_after_a_global_position_counts_only_later_games(cli: CLI) -> None:
    cli(typed=lines("ann", "bob", *"ABABABA"))
    cli(typed=lines("cat", "dog", "D", "q"))
    cli(typed=lines("cat", "dog", *"ABABABA"))
    assert len(cli("leaderboard").out.splitlines()) == 5

    # The first game and ann's and bob's names claimed with it: positions 1 to 11.
    outcome = cli("projections", "rebuild", "leaderboard", "--after", "11")

    assert outcome.status == 0
    assert "Rebuilt leaderboard from global position 11: generation 2" in outcome.out
    assert status_rows(cli)["leaderboard"] == ["2", "serving", "11", "24", "24", "0"]
    ranked = [row.split()[1] for row in cli("leaderboard").out.splitlines()[1:]]
    assert ranked == ["cat", "dog"]


@pytest.mark.parametrize("text", ["-3", "ten", "1.5"])
def test_a_rebuild_after_a_position_that_is_not_one_is_refused(
    text: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        build_parser().parse_args(["projections", "rebuild", "games", "--after", text])

    assert exited.value.code == 2
    assert f"{text!r} is not a global position" in capsys.readouterr().err


def test_rebuilding_an_unknown_projection_is_refused_plainly(cli: CLI) -> None:
    outcome = cli("projections", "rebuild", "scores")

    assert outcome.status == 1
    assert outcome.err == "connect-four: there is no projection 'scores'\n"


def test_sql_stores_keep_their_read_models_beside_their_events(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(PROJECTIONS_ENV, raising=False)

    assert projections_url("sqlite:///tmp/g.db") == "sqlite:///tmp/g.db"
    assert projections_url("postgresql://h/db") == "postgresql://h/db"


def test_kurrentdb_keeps_its_read_models_in_a_sqlite_file_of_the_data_directory(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv(PROJECTIONS_ENV, raising=False)
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))

    url = projections_url("kurrentdb://localhost:2113?tls=false")

    assert url == f"sqlite://{tmp_path / 'connect-four' / 'read-models.db'}"


def test_the_environment_chooses_where_read_models_live(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(PROJECTIONS_ENV, "sqlite:///elsewhere.db")

    assert projections_url("kurrentdb://localhost:2113") == "sqlite:///elsewhere.db"


def test_a_rebuild_after_a_position_the_log_has_not_reached_is_refused(
    cli: CLI,
) -> None:
    cli(typed=lines("ann", "bob", *"ABABABA"))  # and the two names claimed

    outcome = cli("projections", "rebuild", "games", "--after", "12")

    assert outcome.status == 1
    assert outcome.err == (
        "connect-four: there is no global position 12 yet: the newest event is at 11\n"
    )
    assert status_rows(cli)["games"][:2] == ["1", "serving"]
