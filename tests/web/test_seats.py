"""Seats: digests of tokens in a stream of their own, checked in constant time."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from connect_four.eventsourcing.errors import UnreadableEventError
from connect_four.eventsourcing.events import NewEvent, RecordedEvent
from connect_four.web.seats import (
    Seat,
    Seating,
    digest,
    invite_issued,
    new_secret,
    redact,
    seat_taken,
)


def recorded(events: list[NewEvent]) -> list[RecordedEvent]:
    return [
        RecordedEvent(
            event.id,
            "seats-g",
            position,
            position + 1,
            event.type,
            event.data,
            event.metadata,
            datetime.now(UTC),
        )
        for position, event in enumerate(events)
    ]


def test_a_seat_event_keeps_the_tokens_digest_not_the_token() -> None:
    event = seat_taken(Seat.ONE, "ann", "the-token")
    assert json.loads(event.data) == {
        "seat": 1,
        "player": "ann",
        "token_sha256": digest("the-token"),
    }


def test_the_holder_of_a_token_is_found_among_the_seats() -> None:
    seating = Seating.from_records(
        recorded([seat_taken(Seat.ONE, "ann", "t1"), seat_taken(Seat.TWO, "bob", "t2")])
    )
    holder = seating.holder_of("t2")
    assert holder is not None
    assert (holder.seat, holder.player) == (Seat.TWO, "bob")
    assert seating.holder_of("t3") is None
    assert seating.is_complete


def test_an_invite_opens_seat_two_while_it_is_free() -> None:
    records = recorded(
        [
            seat_taken(Seat.ONE, "ann", "t1"),
            invite_issued("s"),
            seat_taken(Seat.TWO, "bob", "t2"),
        ]
    )
    waiting = Seating.from_records(records[:2])
    assert waiting.is_waiting
    assert waiting.accepts_invite("s")
    assert not waiting.accepts_invite("guess")
    assert not Seating.from_records(records).accepts_invite("s")


def test_secrets_are_long_and_fresh() -> None:
    secrets = {new_secret() for _ in range(100)}
    assert len(secrets) == 100
    assert min(len(secret) for secret in secrets) >= 43


def test_redaction_hides_digests_and_keeps_the_rest() -> None:
    assert redact({"seat": 2, "secret_sha256": "ab", "player": "x"}) == {
        "seat": 2,
        "secret_sha256": "(redacted)",
        "player": "x",
    }


@pytest.mark.parametrize(
    ("type_", "data"),
    [("SeatSold", b"{}"), ("SeatTaken", b'{"seat": 3}'), ("SeatTaken", b"not json")],
)
def test_an_unreadable_seat_event_names_its_stream_and_position(
    type_: str, data: bytes
) -> None:
    with pytest.raises(UnreadableEventError) as raised:
        Seating.from_records(recorded([NewEvent(type_, data)]))
    assert (raised.value.stream, raised.value.position) == ("seats-g", 0)
