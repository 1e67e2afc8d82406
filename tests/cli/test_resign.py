"""Resigning at the terminal (at the prompt or while waiting); `check` on such ends."""

from __future__ import annotations

from pathlib import Path

from connect_four.application import ConnectFourApp
from connect_four.application.game_life import GameLife
from connect_four.eventsourcing.events import NewEvent
from connect_four.eventsourcing.store import StreamState
from connect_four.eventsourcing.stores.sqlite.event_store import SQLiteEventStore
from connect_four.persistence.game_repository import EventSourcedGameRepository
from connect_four.persistence.tables import table_service
from tests.cli.conftest import CLI, Stored, facts, lines
from tests.cli.pty_session import Screen
from tests.cli.test_newcomer import new_game
from tests.cli.test_terminals import command, environment


def test_resign_at_the_prompt_confirmed_gives_the_other_player_the_win(
    cli: CLI, stored: Stored
) -> None:
    outcome = cli(typed=lines("ann", "bob", "D", "resign", "y"))

    assert outcome.status == 0
    assert outcome.out.rstrip().endswith("Game over. bob resigned: ann won.")
    assert facts(stored(outcome.game_id))[-2:] == [
        ("PlayerResigned", {"player": "bob"}),
        ("GameFinished", {"result": "PLAYER_ONE_WON"}),
    ]


def test_resign_not_confirmed_asks_for_the_move_again_and_stores_nothing(
    cli: CLI, stored: Stored
) -> None:
    outcome = cli(typed=lines("ann", "bob", "resign", "n", "q"))

    assert "Resign and let bob win, ann? [y/N]" in outcome.out
    assert [fact[0] for fact in facts(stored(outcome.game_id))] == ["GameStarted"]


def test_a_resigned_game_shows_how_it_ended_in_the_list_and_in_show(cli: CLI) -> None:
    game_id = cli(typed=lines("ann", "bob", "resign", "y")).game_id

    assert "ann resigned: bob won" in cli("games").out
    assert f"Game {game_id}: ann (R) against bob (Y), ann resigned: bob won" in (
        cli("show", game_id).out
    )


def test_a_seat_waiting_for_the_other_may_resign(store_url: str) -> None:
    game_id = new_game(store_url)
    argv = command(store_url, "play", "--resume", game_id, "--as", "bob")
    with Screen(argv, environment()) as bob:
        bob.expect(r"Waiting for ann \(●\) to move")
        bob.send("resign\n")
        bob.expect(r"Resign and let ann win, bob\? \[y/N\]")
        bob.send("y\n")
        bob.expect(r"Game over\. bob resigned: ann won\.")
        assert bob.wait() == 0


def test_check_finds_a_resigned_game_healthy(cli: CLI) -> None:
    cli(typed=lines("ann", "bob", "resign", "y"))

    assert cli("check").status == 0


def test_check_names_a_resignation_that_no_game_finished_follows(
    cli: CLI, db_path: Path
) -> None:
    store = SQLiteEventStore(db_path)
    started = NewEvent("GameStarted", b'{"player_one": "ann", "player_two": "bob"}')
    resigned = NewEvent("PlayerResigned", b'{"player": "bob"}')
    store.append("game-g1", [started, resigned], StreamState.NO_STREAM)
    store.close()

    outcome = cli("check")

    assert outcome.status == 1
    assert "game-g1" in outcome.out
    assert "PlayerResigned is not followed by GameFinished" in outcome.out


def test_check_finds_called_off_games_and_rematches_healthy(
    cli: CLI, db_path: Path
) -> None:
    store = SQLiteEventStore(db_path)
    app = ConnectFourApp.over(EventSourcedGameRepository(store))
    tables = table_service(app, store)
    life = GameLife(app, tables)
    called_off = tables.open_with_invite("ann")
    life.withdraw(called_off.game_id, called_off.seats[0].token)
    played = tables.open_game("cy", "dee")
    cy, dee = (seat.token for seat in played.seats)
    life.resign(played.game_id, dee)
    life.rematch(played.game_id, cy)
    life.rematch(played.game_id, dee)
    store.close()

    outcome = cli("check")

    assert (outcome.status, outcome.out) == (0, "")
