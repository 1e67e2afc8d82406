"""ConnectFourApp behaves as a tiny reference model says, over every store.

Hypothesis drives a state machine: create games (with good and bad names),
make moves (by the right player, the wrong one or a stranger, in any column or
none), read games, ask for games that do not exist. After every step the app's
answers must equal the model's, and the store must hold exactly the events the
model expects: a refused command stores nothing.

The model knows nothing of bitboards or events: a game is its two names and
the list of columns played, and a win is found by looking at every cell.
"""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    invariant,
    rule,
    run_state_machine_as_test,
)

from connect_four.application import ConnectFourApp, UnknownGameError
from connect_four.domain.board import Column, Token
from connect_four.domain.exceptions import (
    ColumnFullError,
    ConnectFourError,
    GameOverError,
    InvalidPlayersError,
    NotAPlayerError,
    NotYourTurnError,
    UnknownColumnError,
)
from connect_four.domain.game import Move
from connect_four.domain.result import GameResult
from connect_four.eventsourcing.store import EventStore
from connect_four.eventsourcing.stores.memory.event_store import InMemoryEventStore
from connect_four.eventsourcing.stores.sqlite.event_store import SQLiteEventStore
from connect_four.persistence.game_repository import EventSourcedGameRepository
from tests.eventsourcing.stores.backends import (
    drop_postgres_schema,
    new_schema_name,
    open_postgres,
)
from tests.reliability.figures import is_long

ROWS: Final = 6
COLUMNS: Final = "ABCDEFG"
NAMES: Final = {
    "ann": True,
    "bob": True,
    "Cy": True,
    "ANN": True,  # the same player as "ann", told apart only by case
    "": False,
    " bob": False,
    "x" * 41: False,
    "eve\x07": False,
}
"""Names a client may send, and whether the game accepts each on its own."""
TIED_GAME: Final = "DDBGFABBECGGBEBCDBEDEEFCDGDAGECGAFFFFCACAA"
"""A whole game that fills the board without four in a row."""
WINS: Final = (
    "ADABAGA",  # player one, upwards
    "CBCBFBFB",  # player two, upwards
    "AFDGCFB",  # player one, across
    "GDDEACAB",  # player two, across
    "CDCFFEDFFEE",  # player one, rising to the right
    "DCEEFEFGCDFF",  # player two, rising to the right
    "ECBCDFCBDBB",  # player one, rising to the left
    "CEBBDDCCDCBB",  # player two, rising to the left
)
"""Games won by one line each, every direction for each player: random play
reaches some lines rarely, and the model must agree on all of them."""


@dataclass
class ModelGame:
    """A game as the reference model sees it: two names and the columns played."""

    one: str
    two: str
    columns: list[str] = field(default_factory=list)
    result: GameResult | None = None

    @property
    def next_player(self) -> str | None:
        """Return who moves next, or None when the game is over."""
        if self.result is not None:
            return None
        return self.one if len(self.columns) % 2 == 0 else self.two

    def grid(self) -> dict[tuple[int, int], str]:
        """Return the owner of each occupied cell, by (column, row)."""
        cells: dict[tuple[int, int], str] = {}
        heights = dict.fromkeys(range(len(COLUMNS)), 0)
        for turn, letter in enumerate(self.columns):
            column = COLUMNS.index(letter)
            cells[column, heights[column]] = self.one if turn % 2 == 0 else self.two
            heights[column] += 1
        return cells

    def board(self) -> dict[Column, list[Token]]:
        """Return the tokens in each column, bottom first."""
        board: dict[Column, list[Token]] = {column: [] for column in Column}
        for turn, letter in enumerate(self.columns):
            board[Column(letter)].append(Token.RED if turn % 2 == 0 else Token.YELLOW)
        return board

    def play(self, letter: str) -> None:
        """Add a move, and decide the result by looking at every cell."""
        self.columns.append(letter)
        cells = self.grid()
        for (x, y), owner in cells.items():
            for dx, dy in ((1, 0), (0, 1), (1, 1), (1, -1)):
                if all(cells.get((x + i * dx, y + i * dy)) == owner for i in range(4)):
                    won = owner == self.one
                    self.result = (
                        GameResult.PLAYER_ONE_WON if won else GameResult.PLAYER_TWO_WON
                    )
                    return
        if len(self.columns) == ROWS * len(COLUMNS):
            self.result = GameResult.TIED

    def refusal(self, player: str, letter: str) -> type[ConnectFourError] | None:
        """Return the error a move must be refused with, or None if it is legal."""
        if self.result is not None:
            return GameOverError
        if player not in (self.one, self.two):
            return NotAPlayerError
        if player != self.next_player:
            return NotYourTurnError
        if letter not in COLUMNS:
            return UnknownColumnError
        if self.columns.count(letter) >= ROWS:
            return ColumnFullError
        return None

    def events(self) -> int:
        """Return how many events the game's stream must hold."""
        return 1 + len(self.columns) + (self.result is not None)


class AppAgainstModel(RuleBasedStateMachine):
    """Compare ConnectFourApp over one store with the reference model."""

    store: EventStore

    def __init__(self) -> None:
        super().__init__()
        self.app = ConnectFourApp.over(EventSourcedGameRepository(self.store))
        self.models: dict[str, ModelGame] = {}
        self.baseline = self.store.last_global_position()

    games = Bundle("games")

    @rule(
        target=games,
        one=st.sampled_from(sorted(NAMES)),
        two=st.sampled_from(sorted(NAMES)),
    )
    def create_game(self, one: str, two: str) -> str:
        """Create a game; it must be refused exactly when the model refuses it."""
        valid = NAMES[one] and NAMES[two] and one.casefold() != two.casefold()
        if not valid:
            with pytest.raises(InvalidPlayersError):
                self.app.create_game(one, two)
            return "refused-" + str(uuid.uuid4())
        game_id = self.app.create_game(one, two)
        self.models[game_id] = ModelGame(one, two)
        return game_id

    @rule(
        game_id=games,
        who=st.sampled_from(["next", "next", "next", "other", "stranger"]),
        letter=st.sampled_from("AABBCDEFGZ"),
    )
    def make_move(self, game_id: str, who: str, letter: str) -> None:
        """Make a move; the app must store or refuse it as the model says."""
        model = self.models.get(game_id)
        if model is None:
            with pytest.raises(UnknownGameError):
                self.app.make_move(game_id, Move("ann", Column.A))
            return
        player = {
            "next": model.next_player or model.one,
            "other": model.two if model.next_player == model.one else model.one,
            "stranger": "mallory",
        }[who]
        refusal = model.refusal(player, letter)
        move = Move(player, letter)  # type: ignore[arg-type]  # "Z" on purpose
        if refusal is not None:
            with pytest.raises(refusal):
                self.app.make_move(game_id, move)
            return
        self.app.make_move(game_id, move)
        model.play(letter)

    @rule(
        game_id=games,
        letters=st.lists(st.sampled_from(COLUMNS), min_size=1, max_size=14)
        | st.sampled_from([TIED_GAME, *WINS]),
    )
    def play_on(self, game_id: str, letters: list[str] | str) -> None:
        """Play several moves by whoever's turn it is, as the model allows them."""
        model = self.models.get(game_id)
        if model is None:
            return
        for letter in letters:
            player = model.next_player or model.one
            refusal = model.refusal(player, letter)
            if refusal is not None:
                with pytest.raises(refusal):
                    self.app.make_move(game_id, Move(player, Column(letter)))
                return
            self.app.make_move(game_id, Move(player, Column(letter)))
            model.play(letter)

    @rule(game_id=games)
    def get_game(self, game_id: str) -> None:
        """Read a game; it must look as the model says."""
        model = self.models.get(game_id)
        if model is None:
            with pytest.raises(UnknownGameError):
                self.app.get_game(game_id)
            return
        state = self.app.get_game(game_id)
        assert (state.player_one, state.player_two) == (model.one, model.two)
        assert state.next_player == model.next_player
        assert state.result == model.result
        assert state.is_finished == (model.result is not None)
        assert state.board == model.board()

    @invariant()
    def store_holds_exactly_the_accepted_events(self) -> None:
        """Check that refused commands stored nothing and accepted ones all."""
        expected = sum(model.events() for model in self.models.values())
        # Counted, not subtracted: PostgreSQL numbers the log sparsely.
        stored, after = 0, self.baseline
        while page := self.store.read_all(after, 1000):
            stored += len(page)
            after = page[-1].global_position
        assert stored == expected


@contextmanager
def model_store(kind: str) -> Iterator[EventStore]:
    """Yield one store of a kind for the whole run (games never share ids)."""
    if kind == "memory":
        yield InMemoryEventStore()
    elif kind == "sqlite":
        with tempfile.TemporaryDirectory() as directory:
            store = SQLiteEventStore(Path(directory) / "events.db")
            try:
                yield store
            finally:
                store.close()
    else:
        schema = new_schema_name()
        server = open_postgres(schema)
        try:
            yield server
        finally:
            server.close()
            drop_postgres_schema(schema)


@pytest.mark.parametrize("kind", ["memory", "sqlite", "postgres"])
def test_the_app_behaves_as_the_reference_model_over_each_store(kind: str) -> None:
    with model_store(kind) as store:

        class Machine(AppAgainstModel):
            pass

        Machine.store = store
        run_state_machine_as_test(
            Machine,
            settings=settings(
                max_examples=500 if is_long() else 60,
                stateful_step_count=60 if is_long() else 40,
                deadline=None,
                suppress_health_check=[HealthCheck.too_slow],
            ),
        )
