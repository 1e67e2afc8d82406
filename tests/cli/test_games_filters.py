"""`connect-four games` filters: in progress, finished, by player."""

from __future__ import annotations

import pytest

from connect_four.cli.games import NO_MATCH
from tests.cli.conftest import CLI, lines


def listed_ids(cli: CLI, *options: str) -> list[str]:
    outcome = cli("games", *options)
    assert outcome.status == 0
    return [row.split()[0] for row in outcome.out.splitlines()[1:]]


def test_games_can_be_filtered_by_status_and_player(cli: CLI) -> None:
    won = cli(typed=lines("ann", "bob", *"ABABABA")).game_id
    going = cli(typed=lines("cat", "ann", "D", "q")).game_id
    other = cli(typed=lines("cat", "dog", "q")).game_id

    assert listed_ids(cli) == [other, going, won]
    assert listed_ids(cli, "--in-progress") == [other, going]
    assert listed_ids(cli, "--finished") == [won]
    assert listed_ids(cli, "--player", "ann") == [going, won]
    assert listed_ids(cli, "--player", "ann", "--in-progress") == [going]


def test_a_filter_that_matches_nothing_says_so(cli: CLI) -> None:
    cli(typed=lines("ann", "bob", "q"))

    assert cli("games", "--finished").out == NO_MATCH + "\n"


def test_in_progress_and_finished_cannot_be_asked_for_together(cli: CLI) -> None:
    cli(typed=lines("ann", "bob", "q"))

    with pytest.raises(SystemExit) as exited:
        cli("games", "--in-progress", "--finished")

    assert exited.value.code == 2
