"""A table beyond seating: an invite called off, a rematch offered and taken."""

from __future__ import annotations

import pytest

from connect_four.domain.exceptions import (
    GameUnderwayError,
    InviteWithdrawnError,
    NoSeatOfferedError,
    RematchNotReadyError,
    RematchOfferedAlreadyError,
    SeatTokenRejectedError,
)
from connect_four.domain.table import (
    InviteIssued,
    InviteWithdrawn,
    RematchOffered,
    Seat,
    SeatOffered,
    SeatTaken,
    Table,
    TableEvent,
    digest,
)
from connect_four.eventsourcing.errors import ImpossibleEventError


def given(*events: TableEvent, table_id: str = "g") -> Table:
    table = Table(table_id)
    table.load_from_history(events)
    return table


def waiting_for_bob() -> Table:
    return given(SeatTaken(1, "ann", digest("t1")), InviteIssued(2, digest("s")))


def ann_and_bob(*later: TableEvent) -> Table:
    return given(
        SeatTaken(1, "ann", digest("t1")), SeatTaken(2, "bob", digest("t2")), *later
    )


def test_the_creator_withdraws_an_invite_nobody_took() -> None:
    table = waiting_for_bob()
    table.withdraw("t1")
    assert table.uncommitted_events == [InviteWithdrawn(2)]
    assert not table.is_waiting


def test_a_withdrawn_invite_lets_nobody_join() -> None:
    table = given(*waiting_for_bob().events, InviteWithdrawn(2))
    with pytest.raises(InviteWithdrawnError):
        table.join("bob", "t2", "s")
    assert table.uncommitted_events == []


def test_a_game_with_both_players_cannot_be_called_off() -> None:
    table = ann_and_bob()
    with pytest.raises(GameUnderwayError):
        table.withdraw("t1")
    assert table.uncommitted_events == []


def test_only_a_seat_holder_may_call_a_game_off() -> None:
    with pytest.raises(SeatTokenRejectedError):
        waiting_for_bob().withdraw("s")


def test_a_game_is_called_off_once() -> None:
    table = given(*waiting_for_bob().events, InviteWithdrawn(2))
    with pytest.raises(InviteWithdrawnError):
        table.withdraw("t1")


def test_a_player_offers_a_rematch_once_the_game_is_over() -> None:
    table = ann_and_bob()
    table.offer_rematch("t2", "g2", is_over=True)
    assert table.uncommitted_events == [RematchOffered("g2", 2)]


def test_no_rematch_is_offered_before_the_end() -> None:
    table = ann_and_bob()
    with pytest.raises(RematchNotReadyError):
        table.offer_rematch("t2", "g2", is_over=False)
    assert table.uncommitted_events == []


def test_a_game_has_one_rematch() -> None:
    table = ann_and_bob(RematchOffered("g2", 1))
    with pytest.raises(RematchOfferedAlreadyError) as refused:
        table.offer_rematch("t2", "g3", is_over=True)
    assert refused.value.rematch_id == "g2"


def test_a_spectator_cannot_offer_a_rematch() -> None:
    with pytest.raises(SeatTokenRejectedError):
        ann_and_bob().offer_rematch("t3", "g2", is_over=True)


def test_the_rematch_swaps_colours_and_keeps_the_other_seat_for_its_player() -> None:
    original = ann_and_bob(RematchOffered("g2", 1))  # ann offered
    rematch = Table("g2")
    rematch.seat_rematch(original)
    assert rematch.uncommitted_events == [
        SeatOffered(1, "bob", digest("t2")),
        SeatTaken(2, "ann", digest("t1")),
    ]
    assert rematch.is_offered
    assert not rematch.is_complete


def test_the_player_offered_the_seat_takes_it_with_their_own_token() -> None:
    rematch = given(
        SeatOffered(1, "bob", digest("t2")), SeatTaken(2, "ann", digest("t1"))
    )
    holder = rematch.accept_offer("t2")
    assert holder.seat is Seat.ONE
    assert rematch.uncommitted_events == [SeatTaken(1, "bob", digest("t2"))]
    assert rematch.players() == ("bob", "ann")


def test_nobody_else_takes_a_kept_seat() -> None:
    rematch = given(
        SeatOffered(1, "bob", digest("t2")), SeatTaken(2, "ann", digest("t1"))
    )
    with pytest.raises(SeatTokenRejectedError):
        rematch.accept_offer("t1")
    assert rematch.uncommitted_events == []


def test_a_table_without_a_kept_seat_has_nothing_to_accept() -> None:
    with pytest.raises(NoSeatOfferedError):
        waiting_for_bob().accept_offer("t2")


def test_a_computer_takes_its_rematch_seat_at_once() -> None:
    original = given(
        SeatTaken(1, "ann", digest("t1")),
        SeatTaken(2, "computer (easy)", digest("c"), "easy"),
        RematchOffered("g2", 1),
    )
    rematch = Table("g2")
    rematch.seat_rematch(original)
    assert rematch.is_complete
    assert rematch.players() == ("computer (easy)", "ann")
    assert rematch.computer is not None


def test_a_withdrawn_rematch_offer_cannot_be_accepted() -> None:
    rematch = given(
        SeatOffered(1, "bob", digest("t2")),
        SeatTaken(2, "ann", digest("t1")),
        InviteWithdrawn(1),
    )
    with pytest.raises(InviteWithdrawnError):
        rematch.accept_offer("t2")


def test_a_stored_call_off_of_a_seated_game_is_impossible() -> None:
    with pytest.raises(ImpossibleEventError):
        ann_and_bob(InviteWithdrawn(2))
