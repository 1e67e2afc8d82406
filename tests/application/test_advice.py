"""AdviceService: hints for the player to move and verdicts on moves; no writes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pytest

from connect_four.application import ConnectFourApp
from connect_four.application.advice import (
    AdviceService,
    JudgedMove,
    Verdict,
    Worth,
)
from connect_four.application.errors import (
    NoHintsError,
    NoSeatsError,
    UnknownGameError,
)
from connect_four.application.tables import Opening, TableService
from connect_four.domain.board import Column
from connect_four.domain.exceptions import (
    SeatTokenRejectedError,
    WaitingForOpponentError,
)
from connect_four.eventsourcing.stores.memory.event_store import InMemoryEventStore
from connect_four.persistence.game_repository import EventSourcedGameRepository
from connect_four.persistence.tables import table_service


class FixedAdvisor:
    """An adviser that answers from tables given in advance and records the asks."""

    def __init__(
        self,
        hints: Mapping[Column, Worth] | None = None,
        worths: Sequence[Worth] = (),
    ) -> None:
        self._hints = dict(hints or {})
        self._worths = list(worths)
        self.asked: list[tuple[str, tuple[Column, ...]]] = []

    def hints(self, moves: Sequence[Column]) -> Mapping[Column, Worth]:
        self.asked.append(("hints", tuple(moves)))
        return self._hints

    def judge(self, moves: Sequence[Column]) -> Sequence[Worth]:
        self.asked.append(("judge", tuple(moves)))
        return self._worths[: len(moves) + 1]


@pytest.fixture
def store() -> InMemoryEventStore:
    return InMemoryEventStore()


@pytest.fixture
def tables(store: InMemoryEventStore) -> TableService:
    return table_service(ConnectFourApp.over(EventSourcedGameRepository(store)), store)


def given_game(tables: TableService, *columns: str) -> Opening:
    """Open a game between ann and bob and play the columns, ann first."""
    opening = tables.open_game("ann", "bob")
    for number, column in enumerate(columns):
        tables.move(opening.game_id, opening.seats[number % 2].token, Column(column))
    return opening


def test_hints_go_to_the_player_whose_turn_it_is(tables: TableService) -> None:
    opening = given_game(tables, "D")
    advisor = FixedAdvisor({Column.D: Worth(2, exact=True), Column.A: Worth(-1, False)})
    advice = AdviceService(tables, advisor)

    hints = advice.hints_for_seat(opening.game_id, opening.seats[1].token)

    assert hints.player == "bob"
    assert hints.columns == {Column.A: Worth(-1, False), Column.D: Worth(2, True)}
    assert advisor.asked == [("hints", (Column.D,))]


def test_hints_are_in_plain_words(tables: TableService) -> None:
    opening = given_game(tables, "D", "D", "C")
    advisor = FixedAdvisor(
        {
            Column.A: Worth(18, exact=True),
            Column.B: Worth(0, exact=True),
            Column.C: Worth(-17, exact=True),
            Column.D: Worth(1, exact=False),
            Column.E: Worth(None, exact=False),
        }
    )

    hints = AdviceService(tables, advisor).hints(opening.game_id)

    # bob has 1 stone: a score of 18 is a win with his 4th, in 3 moves of his;
    # -17 a loss to ann's 5th stone, her 3rd move from now.
    assert [hints.words(column) for column in hints.columns] == [
        "win in 3",
        "draw",
        "lose in 3",
        "a win",
        "unknown: too deep to work out in time",
    ]


def test_asking_for_hints_stores_nothing(
    tables: TableService, store: InMemoryEventStore
) -> None:
    opening = given_game(tables, "D")
    before = store.last_global_position()

    AdviceService(tables, FixedAdvisor()).hints_for_seat(
        opening.game_id, opening.seats[1].token
    )

    assert store.last_global_position() == before


def test_the_player_who_waits_gets_no_hints(tables: TableService) -> None:
    opening = given_game(tables, "D")
    advisor = FixedAdvisor()

    with pytest.raises(NoHintsError, match="it is bob's turn"):
        AdviceService(tables, advisor).hints_for_seat(
            opening.game_id, opening.seats[0].token
        )
    assert advisor.asked == []


def test_a_finished_game_gets_no_hints(tables: TableService) -> None:
    opening = given_game(tables, *"DCDCDCD")

    with pytest.raises(NoHintsError, match="the game is over"):
        AdviceService(tables, FixedAdvisor()).hints_for_seat(
            opening.game_id, opening.seats[1].token
        )


def test_a_token_of_no_seat_gets_no_hints(tables: TableService) -> None:
    opening = given_game(tables, "D")

    with pytest.raises(SeatTokenRejectedError):
        AdviceService(tables, FixedAdvisor()).hints_for_seat(opening.game_id, "x")


def test_an_unknown_game_gets_no_hints(tables: TableService) -> None:
    with pytest.raises(UnknownGameError):
        AdviceService(tables, FixedAdvisor()).hints_for_seat("no-such-game", "x")


def test_a_game_without_seats_gets_no_hints_by_token(
    tables: TableService, store: InMemoryEventStore
) -> None:
    game_id = ConnectFourApp.over(EventSourcedGameRepository(store)).create_game(
        "a", "b"
    )

    with pytest.raises(NoSeatsError):
        AdviceService(tables, FixedAdvisor()).hints_for_seat(game_id, "x")


def test_a_game_waiting_for_its_second_player_gets_no_hints(
    tables: TableService,
) -> None:
    opening = tables.open_with_invite("ann")

    with pytest.raises(WaitingForOpponentError):
        AdviceService(tables, FixedAdvisor()).hints_for_seat(
            opening.game_id, opening.seats[0].token
        )


def test_each_move_is_judged_by_the_worth_it_kept_and_the_best_there_was(
    tables: TableService,
) -> None:
    opening = given_game(tables, "D", "A")
    # Worths of the empty board, after D, after D A, to the player to move.
    worths = [Worth(1, exact=True), Worth(-1, exact=True), Worth(2, exact=True)]

    judged = AdviceService(tables, FixedAdvisor(worths=worths)).verdicts(
        opening.game_id
    )

    assert judged == [
        JudgedMove(1, "ann", Column.D, Worth(1, True), Worth(1, True)),
        JudgedMove(2, "bob", Column.A, Worth(-2, True), Worth(-1, True)),
    ]
    assert [move.verdict for move in judged] == [Verdict.BEST, Verdict.INACCURACY]


def test_a_game_waiting_for_its_second_player_has_no_verdicts(
    tables: TableService,
) -> None:
    opening = tables.open_with_invite("ann")
    advisor = FixedAdvisor()

    assert AdviceService(tables, advisor).verdicts(opening.game_id) == []
    assert advisor.asked == []


@pytest.mark.parametrize(
    ("best", "kept", "verdict"),
    [
        (Worth(3, True), Worth(3, True), Verdict.BEST),
        (Worth(3, True), Worth(1, True), Verdict.INACCURACY),
        (Worth(-2, True), Worth(-5, True), Verdict.INACCURACY),
        (Worth(1, False), Worth(4, True), Verdict.GOOD),
        (Worth(3, True), Worth(0, True), Verdict.MISTAKE),
        (Worth(0, True), Worth(-1, False), Verdict.MISTAKE),
        (Worth(3, True), Worth(-4, True), Verdict.BLUNDER),
        (Worth(None, False), Worth(-4, True), Verdict.UNKNOWN),
        (Worth(2, True), Worth(None, False), Verdict.UNKNOWN),
    ],
)
def test_a_verdict_compares_the_result_kept_with_the_best(
    best: Worth, kept: Worth, verdict: Verdict
) -> None:
    assert JudgedMove(1, "ann", Column.D, kept, best).verdict is verdict


def test_only_a_worse_result_is_called_a_mistake_in_words() -> None:
    blunder = JudgedMove(1, "ann", Column.D, Worth(-4, True), Worth(3, True))
    slower = JudgedMove(1, "ann", Column.D, Worth(1, True), Worth(3, True))

    assert blunder.mistake == "turns a win into a loss"
    assert slower.mistake is None
