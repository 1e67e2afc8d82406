"""Exercise 1: start a game. An event, an aggregate that records and applies it."""

from __future__ import annotations

import pytest
from givens import given, when
from mygame.events import GameStarted
from mygame.game import Game

from connect_four.domain.exceptions import (
    GameAlreadyStartedError,
    InvalidPlayerNameError,
    SamePlayerError,
)


def test_game_started_is_a_value_equal_by_its_fields() -> None:
    assert GameStarted("ann", "bob") == GameStarted(player_one="ann", player_two="bob")
    assert GameStarted("ann", "bob") != GameStarted("bob", "ann")


def test_a_new_game_has_no_events_and_has_not_started() -> None:
    game = Game(id="g1")
    assert (game.id, game.events, game.has_started) == ("g1", [], False)


def test_starting_a_game_records_game_started() -> None:
    game = Game()
    new_events = when(game, lambda g: g.start_game("ann", "bob"))
    assert new_events == [GameStarted("ann", "bob")]


def test_starting_a_game_sets_the_players_and_player_one_moves_first() -> None:
    game = Game()
    game.start_game("ann", "bob")
    assert (game.player_one, game.player_two, game.next_player) == ("ann", "bob", "ann")
    assert game.has_started


def test_a_recorded_event_is_uncommitted_until_stored() -> None:
    game = Game()
    game.start_game("ann", "bob")
    assert game.uncommitted_events == [GameStarted("ann", "bob")]
    assert game.events == [GameStarted("ann", "bob")]


def test_a_game_loaded_from_history_has_its_state_and_no_new_events() -> None:
    game = given(GameStarted("ann", "bob"))
    assert (game.player_one, game.next_player) == ("ann", "ann")
    assert game.uncommitted_events == []
    assert game.events == [GameStarted("ann", "bob")]


def test_loading_from_history_moves_the_version_to_the_last_event() -> None:
    fresh = Game()
    loaded = given(GameStarted("ann", "bob"))
    assert (fresh.version, loaded.version) == (-1, 0)


def test_a_game_cannot_be_started_twice() -> None:
    game = given(GameStarted("ann", "bob"))
    with pytest.raises(GameAlreadyStartedError):
        game.start_game("cat", "dan")
    assert game.uncommitted_events == []


def test_the_players_must_differ() -> None:
    game = Game()
    with pytest.raises(SamePlayerError):
        game.start_game("ann", "ann")
    assert game.uncommitted_events == []


def test_a_player_needs_a_name() -> None:
    game = Game()
    with pytest.raises(InvalidPlayerNameError):
        game.start_game("", "bob")
    assert game.uncommitted_events == []
