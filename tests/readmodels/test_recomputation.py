"""The projections equal a recomputation from the raw events, on every store."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from connect_four.application.service import ConnectFourApp
from connect_four.eventsourcing.store import EventStore
from connect_four.eventsourcing.stores.sqlite.projection_storage import (
    SQLiteProjectionStorage,
)
from connect_four.persistence.game_repository import EventSourcedGameRepository
from connect_four.readmodels import ReadModels
from tests.eventsourcing.stores.projection_backends import Database
from tests.readmodels.processes import play_games
from tests.readmodels.recompute import recompute


def read_models(database: Database, page_size: int = 7) -> ReadModels:
    return ReadModels(
        database.store,
        database.storage,
        page_size=page_size,
    )


def assert_equal_to_recomputation(models: ReadModels, store: EventStore) -> None:
    games, standings = recompute(store)
    assert models.games() == games
    projected = {standing.player: standing for standing in models.leaderboard()}
    assert projected.keys() == standings.keys()
    for player, standing in standings.items():
        assert projected[player].rating == pytest.approx(standing.rating, abs=1e-9)
        assert projected[player] == standing.__class__(
            player,
            standing.games,
            standing.wins,
            standing.losses,
            standing.draws,
            projected[player].rating,
        )
    ratings = [standing.rating for standing in models.leaderboard()]
    assert ratings == sorted(ratings, reverse=True)


def test_projections_caught_up_in_pages_equal_a_recomputation(
    database: Database,
) -> None:
    app = ConnectFourApp.over(EventSourcedGameRepository(database.store))
    play_games(app, random.Random(4), 12)
    models = read_models(database)

    models.catch_up()

    assert_equal_to_recomputation(models, database.store)
    assert any(
        game.result is not None and game.winner is None for game in models.games()
    )


def test_projections_caught_up_between_moves_equal_a_recomputation(
    database: Database,
) -> None:
    app = ConnectFourApp.over(EventSourcedGameRepository(database.store))
    models = read_models(database, page_size=1000)
    rng = random.Random(9)
    for _ in range(4):
        play_games(app, rng, 3)
        models.catch_up()

    assert_equal_to_recomputation(models, database.store)


def test_events_in_kurrentdb_project_into_a_separate_sqlite_file(
    tmp_path: Path,
) -> None:
    from connect_four.eventsourcing.stores.kurrentdb.event_store import (
        KurrentDBEventStore,
    )
    from tests.eventsourcing.stores.fake_kurrentdb import FakeKurrentDBClient

    store = KurrentDBEventStore(FakeKurrentDBClient())
    storage = SQLiteProjectionStorage(tmp_path / "read-models.db")
    app = ConnectFourApp.over(EventSourcedGameRepository(store))
    play_games(app, random.Random(2), 6)
    models = ReadModels(store, storage, page_size=10)

    models.catch_up()

    assert_equal_to_recomputation(models, store)
    storage.close()
