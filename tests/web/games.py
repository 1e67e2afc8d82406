"""Helpers that drive games through the HTTP API, as a browser would."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx2 as httpx

from connect_four.eventsourcing.store import EventStore
from connect_four.eventsourcing.stores.memory.projection_storage import (
    InMemoryProjectionStorage,
)
from connect_four.readmodels import ReadModels


def memory_read_models(store: EventStore) -> ReadModels:
    """Return the read models over a store, their documents kept in memory."""
    return ReadModels(store, InMemoryProjectionStorage(), poll_interval=0.05)


@dataclass(frozen=True)
class OpenedGame:
    """A game opened through the API, with the seat tokens its creator got."""

    game_id: str
    tokens: dict[str, str]
    """Seat token by player name."""
    body: dict[str, Any]


def open_game(
    client: httpx.Client, player_one: str = "ann", player_two: str = "bob"
) -> OpenedGame:
    """Open a game with both seats and return its id and tokens."""
    response = client.post(
        "/api/games", json={"player_one": player_one, "player_two": player_two}
    )
    assert response.status_code == 201, response.text
    body = response.json()
    tokens = {seat["player"]: seat["token"] for seat in body["seats"]}
    return OpenedGame(body["game_id"], tokens, body)


def move(
    client: httpx.Client, game: OpenedGame, player: str, column: str
) -> httpx.Response:
    """Send one move with the player's seat token."""
    return client.post(
        f"/api/games/{game.game_id}/moves",
        json={"column": column},
        headers={"Authorization": f"Bearer {game.tokens[player]}"},
    )


def play(
    client: httpx.Client,
    game: OpenedGame,
    columns: str,
    players: tuple[str, str] = ("ann", "bob"),
) -> None:
    """Play columns in turn, player one first, each move expected to succeed."""
    for turn, column in enumerate(columns):
        response = move(client, game, players[turn % 2], column)
        assert response.status_code == 200, response.text


def everything_stored(store: EventStore) -> list[tuple[str, str, bytes, bytes]]:
    """Return every stored event as (stream, type, data, metadata)."""
    return [
        (record.stream, record.type, record.data, record.metadata)
        for record in store.read_all(0, 1_000_000)
    ]
