"""Exercises 1 and 2: src/connect_four/domain/events.py."""

from connect_four.domain.events import GameEvent, GameFinished, GameStarted, MoveMade

__all__ = ["GameEvent", "GameFinished", "GameStarted", "MoveMade"]
