"""`connect-four analyse GAME_ID`: every move scored, mistakes flagged."""

from __future__ import annotations

from connect_four.ai.position import Position, to_columns
from connect_four.application.service import ConnectFourApp
from connect_four.domain.game import Move
from connect_four.eventsourcing.stores import open_store
from connect_four.persistence.game_repository import EventSourcedGameRepository
from tests.cli.conftest import CLI

WON_SOON = "7422341735647741166133573473242566"
"""A position where the side to move (ann) wins with B or F, and loses with E."""


def record_game(store_url: str, notation: str) -> str:
    """Store a game between ann and bob with the given moves; return its id."""
    store = open_store(store_url)
    try:
        app = ConnectFourApp.over(EventSourcedGameRepository(store))
        game_id = app.create_game("ann", "bob")
        players = ("ann", "bob")
        for number, column in enumerate(
            to_columns(Position.from_notation(notation).history)
        ):
            app.make_move(game_id, Move(players[number % 2], column))
    finally:
        store.close()
    return game_id


def test_a_move_that_throws_a_win_away_is_flagged(cli: CLI, store_url: str) -> None:
    game_id = record_game(store_url, WON_SOON + "5")
    outcome = cli("analyse", game_id, "--seconds", "0.005")
    assert outcome.status == 0
    last = outcome.out.splitlines()[-2]
    assert last.startswith(" 35. ann")
    assert "-4" in last
    assert "blunder: turns a win into a loss" in last


def test_a_winning_move_is_not_a_mistake(cli: CLI, store_url: str) -> None:
    game_id = record_game(store_url, WON_SOON + "2")
    outcome = cli("analyse", game_id, "--seconds", "0.005")
    last = outcome.out.splitlines()[-2]
    assert "mistake" not in last
    assert last.endswith("best")


def test_an_unknown_game_gets_a_plain_message(cli: CLI) -> None:
    outcome = cli("analyse", "no-such-game")
    assert outcome.status == 1
    assert "no-such-game" in outcome.err
    assert "Traceback" not in outcome.err
