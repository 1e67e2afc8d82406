"""Exercises 1 and 2: src/connect_four/domain/game.py."""

from connect_four.domain.game import Game, Move

__all__ = ["Game", "Move"]
