"""A game opened in a browser that nobody joined yet, met in the terminal.

Its id is real (the browser's address bar shows it), but it has seats and no
board yet, so the commands that take an id say what it waits for rather
than that there is no such game.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from connect_four.application import ConnectFourApp
from connect_four.eventsourcing.stores.sqlite.event_store import SQLiteEventStore
from connect_four.persistence.game_repository import EventSourcedGameRepository
from connect_four.persistence.tables import table_service
from tests.cli.conftest import CLI

COMMANDS = [("show",), ("analyse",), ("play", "--as", "bob", "--resume")]


def open_in_browser(db_path: Path, *, call_off: bool = False) -> str:
    """Open a game as the web does, Ann holding seat one; return its id."""
    store = SQLiteEventStore(db_path)
    try:
        app = ConnectFourApp.over(EventSourcedGameRepository(store))
        tables = table_service(app, store)
        opening = tables.open_with_invite("Ann")
        if call_off:
            table = tables.table(opening.game_id)
            table.withdraw_for(tables.holder(table, opening.seats[0].token))
            tables.store_table(table, "withdraw_invite")
        return opening.game_id
    finally:
        store.close()


@pytest.mark.parametrize("command", COMMANDS, ids=lambda command: command[0])
def test_a_game_waiting_for_its_second_player_is_named_as_such(
    cli: CLI, db_path: Path, command: tuple[str, ...]
) -> None:
    game_id = open_in_browser(db_path)

    outcome = cli(*command, game_id)

    assert outcome.status == 1
    assert outcome.err == (
        f"connect-four: game {game_id} has not started: it waits for a second"
        " player, who joins it in a browser with the invite link Ann was given\n"
    )


def test_a_prefix_of_a_waiting_games_id_names_it_too(cli: CLI, db_path: Path) -> None:
    game_id = open_in_browser(db_path)

    outcome = cli("show", game_id[:8])

    assert outcome.status == 1
    assert outcome.err.startswith(f"connect-four: game {game_id} has not started:")


def test_a_game_called_off_before_anyone_joined_says_so(
    cli: CLI, db_path: Path
) -> None:
    game_id = open_in_browser(db_path, call_off=True)

    outcome = cli("show", game_id)

    assert outcome.status == 1
    assert outcome.err == (
        f"connect-four: game {game_id} has not started:"
        " Ann called it off before anyone joined\n"
    )
