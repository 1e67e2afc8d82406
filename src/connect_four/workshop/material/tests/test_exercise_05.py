"""Exercise 5: a read model with a checkpoint. The leaderboard from the global log."""

from __future__ import annotations

from mygame.game import Game, Move
from mygame.leaderboard import Leaderboard, Standing
from mygame.repository import GameRepository

from connect_four.domain.board import Column
from connect_four.eventsourcing.events import NewEvent
from connect_four.eventsourcing.store import EventStore, StreamState

ANN_WINS = "AGBGCGD"
BOB_WINS = "AGBGCGAG"


def play(store: EventStore, one: str, two: str, columns: str) -> str:
    game = Game()
    game.start_game(one, two)
    for turn, column in enumerate(columns):
        game.make_move(Move((one, two)[turn % 2], Column(column)))
    GameRepository(store).add(game)
    return game.id


def test_a_finished_game_counts_for_both_players(store: EventStore) -> None:
    play(store, "ann", "bob", ANN_WINS)
    board = Leaderboard(store)
    board.catch_up()
    assert board.standings() == [Standing("ann", 1, 0, 0), Standing("bob", 0, 1, 0)]


def test_a_game_in_progress_does_not_count(store: EventStore) -> None:
    play(store, "ann", "bob", "ABC")
    board = Leaderboard(store)
    board.catch_up()
    assert board.standings() == []


def test_most_wins_come_first_then_names(store: EventStore) -> None:
    play(store, "ann", "bob", BOB_WINS)
    play(store, "cat", "dan", ANN_WINS)
    board = Leaderboard(store)
    board.catch_up()
    assert [s.player for s in board.standings()] == ["bob", "cat", "ann", "dan"]


def test_the_checkpoint_is_the_last_global_position_read(store: EventStore) -> None:
    play(store, "ann", "bob", ANN_WINS)
    board = Leaderboard(store)
    assert board.checkpoint == 0
    board.catch_up()
    assert board.checkpoint == store.last_global_position()


def test_catching_up_again_counts_nothing_twice(store: EventStore) -> None:
    play(store, "ann", "bob", ANN_WINS)
    board = Leaderboard(store)
    board.catch_up()
    board.catch_up()
    assert board.standings()[0] == Standing("ann", 1, 0, 0)


def test_catching_up_reads_only_what_is_new(store: EventStore) -> None:
    play(store, "ann", "bob", ANN_WINS)
    board = Leaderboard(store)
    board.catch_up()
    play(store, "ann", "bob", BOB_WINS)
    board.catch_up()
    assert board.standings() == [Standing("ann", 1, 1, 0), Standing("bob", 1, 1, 0)]


def test_other_streams_in_the_log_are_left_alone(store: EventStore) -> None:
    store.append(
        "chat-1", [NewEvent("MessageSent", b'{"text": "hi"}')], StreamState.NO_STREAM
    )
    play(store, "ann", "bob", ANN_WINS)
    board = Leaderboard(store)
    board.catch_up()
    assert len(board.standings()) == 2


def test_a_rebuild_gives_the_same_standings(store: EventStore) -> None:
    play(store, "ann", "bob", ANN_WINS)
    play(store, "bob", "cat", ANN_WINS)
    board = Leaderboard(store)
    board.catch_up()
    before = board.standings()
    board.rebuild()
    assert board.standings() == before
    assert board.checkpoint == store.last_global_position()
