"""The `Table` aggregate: seats held by token digests, and a one-time invite."""

from __future__ import annotations

import pytest

from connect_four.domain.exceptions import (
    InviteRejectedError,
    InviteUsedError,
    SamePlayerError,
    SeatTokenRejectedError,
    WaitingForOpponentError,
)
from connect_four.domain.table import (
    InviteIssued,
    Seat,
    SeatTaken,
    Table,
    TableEvent,
    digest,
)
from connect_four.eventsourcing.errors import ImpossibleEventError


def given(*events: TableEvent) -> Table:
    table = Table("g")
    table.load_from_history(events)
    return table


def waiting_for_bob() -> Table:
    return given(SeatTaken(1, "ann", digest("t1")), InviteIssued(2, digest("s")))


def test_seating_both_players_keeps_each_tokens_digest_not_the_token() -> None:
    table = Table("g")
    table.seat_players("ann", "t1", "bob", "t2")
    assert table.uncommitted_events == [
        SeatTaken(1, "ann", digest("t1")),
        SeatTaken(2, "bob", digest("t2")),
    ]
    assert table.is_complete


def test_a_computer_seat_names_the_computers_level() -> None:
    table = Table("g")
    table.seat_players(
        "ann", "t1", "computer (easy)", "t2", computer=Seat.TWO, level="easy"
    )
    assert table.uncommitted_events[1] == SeatTaken(
        2, "computer (easy)", digest("t2"), "easy"
    )
    assert table.computer is not None
    assert table.computer.player == "computer (easy)"


def test_an_invite_takes_seat_one_and_opens_seat_two() -> None:
    table = Table("g")
    table.invite("ann", "t1", "s")
    assert table.uncommitted_events == [
        SeatTaken(1, "ann", digest("t1")),
        InviteIssued(2, digest("s")),
    ]
    assert table.is_waiting


def test_joining_with_the_secret_takes_seat_two() -> None:
    table = waiting_for_bob()
    table.join("bob", "t2", "s")
    assert table.uncommitted_events == [SeatTaken(2, "bob", digest("t2"))]
    assert table.players() == ("ann", "bob")


def test_a_wrong_secret_takes_no_seat() -> None:
    table = waiting_for_bob()
    with pytest.raises(InviteRejectedError):
        table.join("bob", "t2", "guess")
    assert table.uncommitted_events == []


def test_an_invite_opens_seat_two_only_once() -> None:
    table = given(*waiting_for_bob().events, SeatTaken(2, "bob", digest("t2")))
    with pytest.raises(InviteUsedError):
        table.join("cy", "t3", "s")
    assert table.uncommitted_events == []


def test_the_joiner_may_not_take_seat_ones_name() -> None:
    table = waiting_for_bob()
    with pytest.raises(SamePlayerError):
        table.join("Ann", "t2", "s")
    assert table.uncommitted_events == []


def test_the_holder_of_a_token_is_found_and_a_stranger_is_refused() -> None:
    table = given(SeatTaken(1, "ann", digest("t1")), SeatTaken(2, "bob", digest("t2")))
    assert table.holder_of("t2").player == "bob"
    with pytest.raises(SeatTokenRejectedError):
        table.holder_of("t3")


def test_the_players_are_known_only_once_both_seats_are_taken() -> None:
    with pytest.raises(WaitingForOpponentError):
        waiting_for_bob().players()


def test_a_seat_taken_twice_in_history_is_impossible() -> None:
    with pytest.raises(ImpossibleEventError):
        given(SeatTaken(1, "ann", "d"), SeatTaken(1, "bob", "e"))
