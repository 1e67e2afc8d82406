"""`connect-four leaderboard`: players ranked by Elo from the finished games."""

from __future__ import annotations

from connect_four.cli.leaderboard import EMPTY, render_leaderboard
from connect_four.readmodels import Standing
from tests.cli.conftest import CLI, lines

ANN_WINS = ("ann", "bob", *"ABABABA")


def test_the_leaderboard_ranks_players_by_rating_with_their_record(cli: CLI) -> None:
    cli(typed=lines(*ANN_WINS))
    cli(typed=lines(*ANN_WINS))
    cli(typed=lines("cat", "dog", "D", "q"))

    outcome = cli("leaderboard")

    assert outcome.status == 0
    header, first, second = outcome.out.splitlines()
    assert header.split() == [
        "#", "player", "rating", "games", "wins", "losses", "draws", "win", "rate",
    ]  # fmt: skip
    assert first.split() == ["1", "ann", "1531", "2", "2", "0", "0", "100%"]
    assert second.split() == ["2", "bob", "1469", "2", "0", "2", "0", "0%"]


def test_the_leaderboard_counts_a_game_finished_since_it_was_last_shown(
    cli: CLI,
) -> None:
    cli(typed=lines(*ANN_WINS))
    cli("leaderboard")
    cli(typed=lines("bob", "ann", *"ABABABA"))

    outcome = cli("leaderboard", "--limit", "1")

    assert outcome.out.splitlines()[1].split()[:5] == ["1", "bob", "1501", "2", "1"]


def test_the_leaderboard_without_finished_games_says_so(cli: CLI) -> None:
    cli(typed=lines("cat", "dog", "D", "q"))

    assert cli("leaderboard").out == EMPTY + "\n"


def test_a_rating_is_shown_rounded_and_a_win_rate_as_a_percentage() -> None:
    table = render_leaderboard([Standing("eve", 3, 1, 1, 1, 1499.6)])

    assert table.splitlines()[1].split() == [
        "1",
        "eve",
        "1500",
        "3",
        "1",
        "1",
        "1",
        "33%",
    ]
