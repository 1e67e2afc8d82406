"""Playing one seat from this terminal while the other player moves elsewhere."""

from __future__ import annotations

import io
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from connect_four.application.service import ConnectFourApp
from connect_four.domain.board import Column
from connect_four.domain.game import Move
from connect_four.eventsourcing.stores.sqlite.event_store import SQLiteEventStore
from connect_four.persistence.game_repository import EventSourcedGameRepository
from tests.cli.conftest import CLI, lines


class FakeInput:
    """Standard input holding typed answers, one line per `readline`."""

    def __init__(self, typed: str) -> None:
        self._typed = io.StringIO(typed)

    def isatty(self) -> bool:
        return False

    def readline(self) -> str:
        return self._typed.readline()


class InterruptedInput(FakeInput):
    """Typed answers, then Ctrl-C instead of the end of input."""

    def readline(self) -> str:
        line = super().readline()
        if not line:
            raise KeyboardInterrupt
        return line


@pytest.fixture
def elsewhere(db_path: Path) -> Iterator[ConnectFourApp]:
    """Return the app as another terminal has it, on the same file."""
    store = SQLiteEventStore(db_path)
    yield ConnectFourApp.over(EventSourcedGameRepository(store))
    store.close()


def pauses(monkeypatch: pytest.MonkeyPatch, *actions: Callable[[], None]) -> None:
    """Make each pause of a waiting seat do the next action instead of sleeping."""
    pending = list(actions)

    def pause(seconds: float) -> None:
        pending.pop(0)()

    monkeypatch.setattr(time, "sleep", pause)


def interrupt() -> None:
    raise KeyboardInterrupt


def new_game_as_ann(cli: CLI) -> str:
    return cli("play", "--as", "ann", typed=lines("bob", "q")).game_id


def test_a_new_game_played_as_one_seat_says_how_the_other_player_joins(
    cli: CLI,
) -> None:
    outcome = cli("play", "--as", "ann", typed=lines("bob", "q"))

    assert "bob joins from another terminal with:" in outcome.out
    assert f"connect-four play --resume {outcome.game_id} --as bob" in outcome.out


def test_a_seat_shows_the_opponents_move_once_it_is_stored_elsewhere(
    cli: CLI, elsewhere: ConnectFourApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    game_id = new_game_as_ann(cli)
    pauses(
        monkeypatch,
        lambda: None,
        lambda: elsewhere.make_move(game_id, Move("ann", Column.C)),
    )

    outcome = cli("play", "--resume", game_id, "--as", "bob", typed=lines("q"))

    waited, moved = outcome.out.split("Waiting for ann (R) to move")
    assert "Move 1: ann played C." in moved
    assert "bob (Y), your move" in moved
    assert "your move" not in waited


def test_a_seat_leaves_cleanly_on_ctrl_c_while_waiting(
    cli: CLI, monkeypatch: pytest.MonkeyPatch
) -> None:
    game_id = new_game_as_ann(cli)
    pauses(monkeypatch, interrupt)

    outcome = cli("play", "--resume", game_id, "--as", "bob")

    assert outcome.status == 130
    assert outcome.err == ""
    assert f"saved — resume with: connect-four play --resume {game_id} --as bob" in (
        outcome.out
    )


def test_ctrl_c_at_the_move_prompt_saves_and_says_how_to_resume(cli: CLI) -> None:
    outcome = cli(stdin=InterruptedInput(lines("ann", "bob", "D")))

    assert outcome.status == 130
    assert f"saved — resume with: connect-four play --resume {outcome.game_id}" in (
        outcome.out
    )


def test_ctrl_c_while_naming_players_starts_no_game(cli: CLI) -> None:
    outcome = cli(stdin=InterruptedInput(lines("ann")))

    assert outcome.status == 130
    assert "No game was started." in outcome.out


def test_a_move_made_elsewhere_during_the_prompt_is_reported_not_raised(
    cli: CLI, elsewhere: ConnectFourApp
) -> None:
    game_id = new_game_as_ann(cli)

    class AnswerAfterAnnMovedElsewhere(FakeInput):
        def readline(self) -> str:
            line = super().readline()
            if line == "A\n":
                elsewhere.make_move(game_id, Move("ann", Column.G))
            return line

    outcome = cli(
        "play", "--resume", game_id, stdin=AnswerAfterAnnMovedElsewhere(lines("A"))
    )

    assert (
        "That move cannot be made: it is not ann's turn: bob moves next." in outcome.out
    )
    assert "Move 1: ann played G." in outcome.out
    assert outcome.err == ""
