"""`connect-four show ID`: a game's board and its stored events."""

from __future__ import annotations

import re
from pathlib import Path

from connect_four.domain.board import Column
from connect_four.domain.game import Move
from connect_four.eventsourcing.events import NewEvent
from connect_four.eventsourcing.stores.sqlite.event_store import SQLiteEventStore
from connect_four.persistence.game_repository import EventSourcedGameRepository
from tests.cli.conftest import CLI, lines


def table_rows(out: str) -> list[list[str]]:
    """Return the event table's rows, split at runs of two spaces or more."""
    table = out.split("\n\n")[-1]
    return [
        re.split(r"\s{2,}", row.strip())
        for row in table.splitlines()
        if not row.startswith("(rows cut")
    ]


def test_show_draws_the_board_and_lists_every_event_in_order(cli: CLI) -> None:
    game_id = cli(typed=lines("ann", "bob", "D", "E", "q")).game_id

    outcome = cli("show", game_id)

    assert outcome.status == 0
    assert f"Game {game_id}: ann (R) against bob (Y), ann to move" in outcome.out
    assert "│   │   │   │ R │(Y)│   │   │" in outcome.out
    rows = table_rows(outcome.out)
    assert [row[:3] for row in rows] == [
        ["#", "type", "data"],
        ["0", "GameStarted", '{"player_one": "ann", "player_two": "bob"}'],
        ["1", "MoveMade", '{"player": "ann", "column": "D"}'],
        ["2", "MoveMade", '{"player": "bob", "column": "E"}'],
    ]


def test_show_gives_each_event_its_recorded_time(cli: CLI) -> None:
    game_id = cli(typed=lines("ann", "bob", "q")).game_id

    rows = table_rows(cli("show", game_id).out)

    assert rows[0][3] == "recorded"
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", rows[1][3])


def test_show_names_the_result_of_a_finished_game(cli: CLI) -> None:
    game_id = cli(typed=lines("ann", "bob", *"ABABABA")).game_id

    outcome = cli("show", game_id)

    assert "ann won" in outcome.out.splitlines()[0]
    assert table_rows(outcome.out)[-1][1:3] == [
        "GameFinished",
        '{"result": "PLAYER_ONE_WON"}',
    ]


def test_show_adds_a_metadata_column_when_an_event_has_metadata(
    cli: CLI, db_path: Path
) -> None:
    game_id = cli(typed=lines("ann", "bob", "q")).game_id
    store = SQLiteEventStore(db_path)
    games = EventSourcedGameRepository(store)
    game = games.get(game_id)
    game.make_move(Move("ann", Column.A))
    games.add(game, {"source": "test"})
    store.close()

    rows = table_rows(cli("show", game_id).out)

    assert rows[0][-1] == "metadata"
    assert rows[2][-1] == '{"source":"test"}'


def test_show_of_an_unknown_game_fails_with_a_message(cli: CLI) -> None:
    outcome = cli("show", "no-such-game")

    assert outcome.status == 1
    assert outcome.err == "connect-four: there is no game 'no-such-game'\n"


def test_show_of_a_game_with_an_unreadable_event_lists_the_events_and_names_it(
    cli: CLI, db_path: Path
) -> None:
    game_id = cli(typed=lines("ann", "bob", "q")).game_id
    store = SQLiteEventStore(db_path)
    store.append(f"game-{game_id}", [NewEvent("MoveMade", b"not json")], 0)
    store.close()

    outcome = cli("show", game_id)

    assert outcome.status == 1
    assert table_rows(outcome.out)[-1][:3] == ["1", "MoveMade", "not json"]
    assert "cannot read event 'MoveMade' at position 1" in outcome.err


def test_an_id_too_short_to_be_a_prefix_says_how_long_one_must_be(cli: CLI) -> None:
    game_id = cli(typed=lines("ann", "bob", "q")).game_id

    outcome = cli("show", game_id[:4])

    assert outcome.status == 1
    assert outcome.err == (
        f"connect-four: there is no game {game_id[:4]!r}"
        " (an id may be cut short, to its first 6 characters or more)\n"
    )
