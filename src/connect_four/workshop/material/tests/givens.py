"""Given/when helpers: specify the game by the events it has and records."""

from __future__ import annotations

from collections.abc import Callable

from mygame.events import GameEvent, GameStarted, MoveMade
from mygame.game import Game

from connect_four.domain.board import Column


def given(*events: GameEvent) -> Game:
    """Return a game whose history is the given events."""
    game = Game(id="game-under-test")
    game.load_from_history(events)
    return game


def moves(*columns: str) -> list[MoveMade]:
    """Return alternating moves by ann and bob in the given columns."""
    return [MoveMade(("ann", "bob")[i % 2], Column(c)) for i, c in enumerate(columns)]


def started(*columns: str) -> Game:
    """Return a game between ann and bob with the columns played in turn."""
    return given(GameStarted("ann", "bob"), *moves(*columns))


def when(game: Game, command: Callable[[Game], None]) -> list[GameEvent]:
    """Run a command and return the events it recorded."""
    before = len(game.uncommitted_events)
    command(game)
    return game.uncommitted_events[before:]
