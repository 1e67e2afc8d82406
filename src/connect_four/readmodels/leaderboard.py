"""The leaderboard: every player's record and Elo rating, from finished games.

A game counts once it is finished: it adds one game to both players, a win
and a loss or two draws, and moves both Elo ratings. Ratings depend on the
order of results, so the projection rates games in the order their
`GameFinished` events stand in the global log; a replay from position zero
therefore always gives the same ratings.

While a game is in progress the projection remembers its players in a
`pending` document, since `GameFinished` itself names only the result.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, assert_never

from connect_four.domain.events import (
    GameEvent,
    GameFinished,
    GameStarted,
    MoveMade,
    PlayerResigned,
    WinClaimed,
)
from connect_four.domain.names import name_key
from connect_four.domain.result import GameResult
from connect_four.eventsourcing.codec import JSONObject
from connect_four.eventsourcing.documents import convert_document
from connect_four.eventsourcing.events import RecordedEvent
from connect_four.eventsourcing.projection_storage import (
    DocumentQuery,
    Documents,
    ProjectionStorage,
)
from connect_four.readmodels.elo import DRAW, INITIAL_RATING, LOSS, WIN, rate
from connect_four.readmodels.game_streams import GameStreamProjection

LEADERBOARD: Final = "leaderboard"
PLAYERS: Final = "players"
PENDING: Final = "pending"


@dataclass(frozen=True, slots=True)
class Standing:
    """One player's line on the leaderboard."""

    player: str
    games: int
    wins: int
    losses: int
    draws: int
    rating: float

    @property
    def win_rate(self) -> float:
        """Return the share of finished games won (draws count as not won)."""
        return self.wins / self.games if self.games else 0.0

    @classmethod
    def from_document(cls, document: JSONObject) -> Standing:
        """Read a standing back from its stored document."""
        return cls(
            document["player"],
            document["games"],
            document["wins"],
            document["losses"],
            document["draws"],
            document["rating"],
        )


class LeaderboardProjection(GameStreamProjection):
    """Fold finished games into per-player records and Elo ratings."""

    name = LEADERBOARD

    def apply(
        self, event: GameEvent, record: RecordedEvent, documents: Documents
    ) -> None:
        """Change the records of a game's players by one of its events."""
        game_id = self.game_id(record)
        match event:
            case GameStarted(player_one, player_two):
                players = {"player_one": player_one, "player_two": player_two}
                documents.put(PENDING, game_id, players)
            case MoveMade() | PlayerResigned() | WinClaimed():
                pass  # the GameFinished that follows says who won
            case GameFinished(result):
                pending = documents.get(PENDING, game_id)
                if pending is None:
                    self.unstarted(record, documents)
                    return
                documents.delete(PENDING, game_id)
                _record_result(
                    documents, pending["player_one"], pending["player_two"], result
                )
            case _:
                assert_never(event)


def standings(storage: ProjectionStorage) -> list[Standing]:
    """Return every standing: best rating first, then most wins, then by name."""
    found = [
        convert_document(LEADERBOARD, Standing.from_document, document)
        for document in storage.find(LEADERBOARD, DocumentQuery(PLAYERS))
    ]
    found.sort(key=lambda s: (-s.rating, -s.wins, s.player))
    return found


def _record_result(
    documents: Documents, player_one: str, player_two: str, result: GameResult
) -> None:
    one = _player(documents, player_one)
    two = _player(documents, player_two)
    match result:
        case GameResult.PLAYER_ONE_WON:
            score, first, second = WIN, "wins", "losses"
        case GameResult.PLAYER_TWO_WON:
            score, first, second = LOSS, "losses", "wins"
        case GameResult.TIED:
            score, first, second = DRAW, "draws", "draws"
        case _:
            assert_never(result)
    one["rating"], two["rating"] = rate(one["rating"], two["rating"], score)
    for document, outcome in ((one, first), (two, second)):
        document["games"] += 1
        document[outcome] += 1
        documents.put(
            PLAYERS, name_key(document["player"]), document, sort_key=document["rating"]
        )


def _player(documents: Documents, player: str) -> JSONObject:
    """Return a player's record, found by name key: "Ann" and "ann" are one player.

    The record keeps the spelling of the player's first finished game.
    """
    document = documents.get(PLAYERS, name_key(player))
    if document is None:
        document = {
            "player": player,
            "games": 0,
            "wins": 0,
            "losses": 0,
            "draws": 0,
            "rating": INITIAL_RATING,
        }
    return document
