"""Given/when helpers for specifying the game by its events."""

from __future__ import annotations

from collections.abc import Callable

from connect_four.domain.board import Column
from connect_four.domain.events import GameEvent, GameStarted, MoveMade
from connect_four.domain.game import Game

PLAYER_ONE = "ann"
PLAYER_TWO = "bob"


def given(*events: GameEvent) -> Game:
    """Return a game whose history is the given events."""
    game = Game(id="game-under-test")
    game.load_from_history(events)
    return game


def started(*columns: str) -> Game:
    """Return a game between ann and bob with the given columns played in turn."""
    return given(GameStarted(PLAYER_ONE, PLAYER_TWO), *moves(*columns))


def moves(*columns: str) -> list[MoveMade]:
    """Return alternating moves by ann and bob in the given columns."""
    players = (PLAYER_ONE, PLAYER_TWO)
    return [MoveMade(players[i % 2], Column(c)) for i, c in enumerate(columns)]


def when(game: Game, command: Callable[[Game], None]) -> list[GameEvent]:
    """Run a command and return the events it recorded."""
    before = len(game.uncommitted_events)
    command(game)
    return game.uncommitted_events[before:]
