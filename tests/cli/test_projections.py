"""`connect-four projections`: status with checkpoint and lag, and rebuilds."""

from __future__ import annotations

from tests.cli.conftest import CLI, lines


def status_rows(cli: CLI) -> dict[str, list[str]]:
    outcome = cli("projections", "status")
    assert outcome.status == 0
    header, *rows = outcome.out.splitlines()
    assert header.split() == [
        "projection", "generation", "state", "checkpoint", "head", "lag",
    ]  # fmt: skip
    return {row.split()[0]: row.split()[1:] for row in rows}


def test_the_status_shows_how_far_each_projection_is_behind(cli: CLI) -> None:
    cli(typed=lines("ann", "bob", *"ABABABA"))

    before = status_rows(cli)
    cli("games")
    after = status_rows(cli)

    assert before == {
        "games": ["1", "serving", "0", "9", "9"],
        "leaderboard": ["1", "serving", "0", "9", "9"],
    }
    assert after["games"] == ["1", "serving", "9", "9", "0"]
    assert after["leaderboard"] == before["leaderboard"]


def test_a_rebuild_replaces_the_projection_with_an_equal_one(cli: CLI) -> None:
    cli(typed=lines("ann", "bob", *"ABABABA"))
    cli(typed=lines("cat", "dog", "D", "q"))
    listed = cli("games").out

    outcome = cli("projections", "rebuild", "games")

    assert outcome.status == 0
    assert "Rebuilt games from position zero: generation 2" in outcome.out
    assert status_rows(cli)["games"] == ["2", "serving", "11", "11", "0"]
    assert cli("games").out == listed


def test_rebuilding_an_unknown_projection_is_refused_plainly(cli: CLI) -> None:
    outcome = cli("projections", "rebuild", "scores")

    assert outcome.status == 1
    assert outcome.err == "connect-four: there is no projection 'scores'\n"
