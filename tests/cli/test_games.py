"""`connect-four games`: the list of games, and the summaries it is drawn from."""

from __future__ import annotations

from datetime import UTC, datetime

from connect_four.application.service import ConnectFourApp
from connect_four.cli.games import EMPTY, render_games
from connect_four.domain.board import Column
from connect_four.domain.game import Move
from connect_four.domain.result import GameResult
from connect_four.readmodels import GameStatus, GameSummary
from tests.cli.conftest import CLI, lines

WHEN = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def summary(game_id: str, **changes: object) -> GameSummary:
    fields: dict[str, object] = {
        "id": game_id,
        "player_one": "ann",
        "player_two": "bob",
        "status": GameStatus.IN_PROGRESS,
        "moves": 0,
        "next_player": "ann",
        "result": None,
        "winner": None,
        "started_at": WHEN,
        "last_move_at": None,
        "finished_at": None,
    }
    return GameSummary(**{**fields, **changes})  # type: ignore[arg-type]  # test data


def play(app: ConnectFourApp, game_id: str, *columns: str) -> None:
    players = ["ann", "bob"]
    for index, column in enumerate(columns):
        app.make_move(game_id, Move(players[index % 2], Column(column)))


def test_render_shows_players_status_moves_and_result_in_the_order_given() -> None:
    table = render_games(
        [
            summary("g-2", moves=3, next_player="bob"),
            summary("g-1", moves=7, next_player=None, result=GameResult.PLAYER_ONE_WON),
        ]
    )

    header, second, first = table.splitlines()
    assert header.split("  ")[0].strip() == "id"
    assert second.split()[:6] == ["g-2", "ann", "vs", "bob", "bob", "to"]
    assert "3" in second.split()
    assert first.split()[:5] == ["g-1", "ann", "vs", "bob", "finished"]
    assert "ann won" in first


def test_render_without_games_says_how_to_start_one() -> None:
    assert render_games([]) == EMPTY


def test_games_lists_each_game_with_its_id(cli: CLI) -> None:
    finished = cli(typed=lines("ann", "bob", *"ABABABA")).game_id
    going = cli(typed=lines("cat", "dog", "D", "q")).game_id

    outcome = cli("games")

    assert outcome.status == 0
    header, first, second = outcome.out.splitlines()
    assert header.split() == [
        "id",
        "players",
        "status",
        "moves",
        "result",
        "last",
        "played",
    ]
    assert first.startswith(going)
    assert "dog to move" in first
    assert second.startswith(finished)
    assert "ann won" in second


def test_games_limit_shows_only_the_newest(cli: CLI) -> None:
    cli(typed=lines("ann", "bob", "q"))
    newest = cli(typed=lines("cat", "dog", "q")).game_id

    outcome = cli("games", "--limit", "1")

    assert len(outcome.out.splitlines()) == 2
    assert outcome.out.splitlines()[1].startswith(newest)


def test_games_on_an_empty_store_says_how_to_start_one(cli: CLI) -> None:
    assert cli("games").out == EMPTY + "\n"
