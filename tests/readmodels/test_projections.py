"""The games and leaderboard projections, given events, then the read models."""

from __future__ import annotations

import json
from collections.abc import Sequence

import pytest

from connect_four.domain.board import Column
from connect_four.domain.events import GameEvent, GameFinished, GameStarted, MoveMade
from connect_four.domain.result import GameResult
from connect_four.eventsourcing.errors import ProjectionStoppedError
from connect_four.eventsourcing.events import NewEvent
from connect_four.eventsourcing.store import StreamState
from connect_four.eventsourcing.stores.memory.event_store import InMemoryEventStore
from connect_four.eventsourcing.stores.memory.projection_storage import (
    InMemoryProjectionStorage,
)
from connect_four.persistence.codec import game_codec
from connect_four.readmodels import GameStatus, GameSummary, ReadModels, Standing


@pytest.fixture
def store() -> InMemoryEventStore:
    return InMemoryEventStore()


@pytest.fixture
def models(store: InMemoryEventStore) -> ReadModels:
    return ReadModels(store, InMemoryProjectionStorage())


def given(store: InMemoryEventStore, game_id: str, *events: GameEvent) -> None:
    codec = game_codec()
    new = [NewEvent(*codec.encode(event)) for event in events]
    store.append(f"game-{game_id}", new, StreamState.ANY)


def moves(player_one: str, player_two: str, columns: str) -> list[MoveMade]:
    players = (player_one, player_two)
    return [MoveMade(players[i % 2], Column(c)) for i, c in enumerate(columns)]


def won_by_one(one: str, two: str) -> Sequence[GameEvent]:
    return [
        GameStarted(one, two),
        *moves(one, two, "ABABABA"),
        GameFinished(GameResult.PLAYER_ONE_WON),
    ]


# The game list


def test_a_started_game_is_listed_in_progress_with_player_one_to_move(
    store: InMemoryEventStore, models: ReadModels
) -> None:
    given(store, "g1", GameStarted("ann", "bob"))

    models.catch_up()

    [game] = models.games()
    assert (game.id, game.player_one, game.player_two) == ("g1", "ann", "bob")
    assert (game.status, game.moves, game.next_player) == (
        GameStatus.IN_PROGRESS,
        0,
        "ann",
    )
    assert (game.result, game.winner, game.last_move_at) == (None, None, None)


def test_moves_are_counted_and_pass_the_turn(
    store: InMemoryEventStore, models: ReadModels
) -> None:
    given(store, "g1", GameStarted("ann", "bob"), *moves("ann", "bob", "DDE"))

    models.catch_up()

    game = models.game("g1")
    assert game is not None
    assert (game.moves, game.next_player) == (3, "bob")
    assert game.last_move_at is not None
    assert game.last_move_at >= game.started_at


def test_a_finished_game_shows_its_result_and_winner(
    store: InMemoryEventStore, models: ReadModels
) -> None:
    given(store, "g1", GameStarted("ann", "bob"), *moves("ann", "bob", "ABABABB"))
    given(store, "g1", GameFinished(GameResult.PLAYER_TWO_WON))
    given(store, "g2", GameStarted("cat", "dog"), GameFinished(GameResult.TIED))

    models.catch_up()

    won, tied = models.game("g1"), models.game("g2")
    assert won is not None
    assert tied is not None
    assert (won.status, won.result, won.winner, won.next_player) == (
        GameStatus.FINISHED,
        GameResult.PLAYER_TWO_WON,
        "bob",
        None,
    )
    assert (tied.result, tied.winner) == (GameResult.TIED, None)
    assert won.finished_at is not None


def test_games_are_listed_newest_first_and_filtered(
    store: InMemoryEventStore, models: ReadModels
) -> None:
    given(store, "old", *won_by_one("ann", "bob"))
    given(store, "mid", GameStarted("cat", "ann"))
    given(store, "new", GameStarted("cat", "dog"))
    in_progress, finished = GameStatus.IN_PROGRESS, GameStatus.FINISHED

    models.catch_up()

    assert ids(models.games()) == ["new", "mid", "old"]
    assert ids(models.games(status=in_progress)) == ["new", "mid"]
    assert ids(models.games(status=finished)) == ["old"]
    assert ids(models.games(player="ann")) == ["mid", "old"]
    assert ids(models.games(player="ann", status=finished)) == ["old"]
    assert ids(models.games(limit=1, offset=1)) == ["mid"]
    assert ids(models.games(player="nobody")) == []


def ids(games: Sequence[GameSummary]) -> list[str]:
    return [game.id for game in games]


def test_a_move_in_a_game_that_never_started_stops_the_projection(
    store: InMemoryEventStore, models: ReadModels
) -> None:
    given(store, "g1", GameStarted("ann", "bob"))
    given(store, "g2", MoveMade("ann", Column.A))

    with pytest.raises(ProjectionStoppedError) as raised:
        models.catch_up(["games"])

    assert "'game-g2'" in str(raised.value)
    assert "no GameStarted before it" in str(raised.value)
    assert models.games() == []


def test_an_unknown_event_type_stops_the_projection_naming_where_it_is(
    store: InMemoryEventStore, models: ReadModels
) -> None:
    given(store, "g1", GameStarted("ann", "bob"))
    store.append("game-g1", [NewEvent("GameAbandoned", b"{}")], StreamState.ANY)

    with pytest.raises(ProjectionStoppedError, match="position 1 of stream 'game-g1'"):
        models.catch_up(["leaderboard"])


def test_events_of_other_streams_pass_the_projections_by(
    store: InMemoryEventStore, models: ReadModels
) -> None:
    store.append("chat-1", [NewEvent("Said", b"{}")], StreamState.ANY)
    given(store, "g1", GameStarted("ann", "bob"))

    games, leaderboard, tables = models.catch_up()

    assert (games.checkpoint, leaderboard.checkpoint, tables.checkpoint) == (2, 2, 2)
    assert ids(models.games()) == ["g1"]


# The leaderboard


def test_a_finished_game_counts_for_both_players(
    store: InMemoryEventStore, models: ReadModels
) -> None:
    given(store, "g1", *won_by_one("ann", "bob"))

    models.catch_up()

    assert models.leaderboard() == [
        Standing("ann", 1, 1, 0, 0, 1516.0),
        Standing("bob", 1, 0, 1, 0, 1484.0),
    ]


def test_a_game_in_progress_does_not_count(
    store: InMemoryEventStore, models: ReadModels
) -> None:
    given(store, "g1", GameStarted("ann", "bob"), *moves("ann", "bob", "AB"))

    models.catch_up()

    assert models.leaderboard() == []


def test_a_tie_counts_as_a_draw_for_both(
    store: InMemoryEventStore, models: ReadModels
) -> None:
    given(store, "g1", *won_by_one("ann", "bob"))
    given(store, "g2", GameStarted("bob", "ann"), GameFinished(GameResult.TIED))

    models.catch_up()

    ann, bob = models.leaderboard()
    assert (ann.player, ann.games, ann.wins, ann.draws) == ("ann", 2, 1, 1)
    assert (bob.player, bob.games, bob.losses, bob.draws) == ("bob", 2, 1, 1)
    assert ann.win_rate == 0.5
    assert ann.rating + bob.rating == pytest.approx(3000.0)


def test_ratings_follow_the_order_in_which_games_finished(
    store: InMemoryEventStore, models: ReadModels
) -> None:
    given(store, "g1", GameStarted("ann", "bob"))
    given(store, "g2", *won_by_one("bob", "cat"))
    given(store, "g1", *moves("ann", "bob", "ABABABA"))
    given(store, "g1", GameFinished(GameResult.PLAYER_ONE_WON))

    models.catch_up()

    ratings = {s.player: round(s.rating, 2) for s in models.leaderboard()}
    assert ratings == {"ann": 1516.74, "bob": 1499.26, "cat": 1484.0}


def test_the_leaderboard_ranks_by_rating_then_wins_then_name(
    store: InMemoryEventStore, models: ReadModels
) -> None:
    given(store, "g1", GameStarted("cy", "al"), GameFinished(GameResult.TIED))

    models.catch_up()

    assert [s.player for s in models.leaderboard()] == ["al", "cy"]


def test_a_player_without_finished_games_has_a_win_rate_of_zero() -> None:
    assert Standing("ann", 0, 0, 0, 0, 1500.0).win_rate == 0.0


def test_stored_documents_hold_only_json(
    store: InMemoryEventStore, models: ReadModels
) -> None:
    given(store, "g1", *won_by_one("ann", "bob"))
    models.catch_up()

    document = models.storage.get("games", "games", "g1")

    assert document is not None
    assert json.loads(json.dumps(document)) == document
