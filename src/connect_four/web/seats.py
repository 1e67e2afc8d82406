"""Seat tokens: who may move for which player, kept beside the game, never in it.

A seat token is a bearer secret that a browser keeps and sends with each move.
The game's own events must hold exactly the seed's keys, so seats live in a
separate stream, `seats-{game_id}`, whose events hold SHA-256 digests of the
tokens, never the tokens. The store therefore never holds anything a reader
could move with, and any server process sharing the store can check a token.

An invite works the same way: the creator gets a one-time join secret to pass
to a friend, the stream keeps its digest, and the friend's join takes seat two,
which can happen only once because the append names the expected version.
"""

from __future__ import annotations

import enum
import hashlib
import hmac
import json
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Final

from connect_four.eventsourcing.codec import read_data
from connect_four.eventsourcing.errors import UnreadableEventError
from connect_four.eventsourcing.events import NewEvent, RecordedEvent

SEATS_STREAM_PREFIX: Final = "seats-"
SECRET_BYTES: Final = 32
"""Random bytes in a token or join secret: 256 bits, far beyond guessing."""

SEAT_TAKEN: Final = "SeatTaken"
INVITE_ISSUED: Final = "InviteIssued"
REDACTED: Final = "(redacted)"
_DIGEST_KEYS: Final = ("token_sha256", "secret_sha256")


class Seat(enum.IntEnum):
    """A place at the table: seat one plays first (red), seat two second."""

    ONE = 1
    TWO = 2


@dataclass(frozen=True, slots=True)
class SeatHolder:
    """A player who holds a seat, and the digest of the token that proves it."""

    seat: Seat
    player: str
    token_sha256: str
    computer: str | None = None
    """The level of the computer that holds the seat; None for a person."""


@dataclass(slots=True)
class Seating:
    """The seats of one game, folded from its `seats-` stream."""

    holders: dict[Seat, SeatHolder] = field(default_factory=dict)
    invite_sha256: str | None = None
    version: int = -1
    """Position of the stream's last event; -1 for a game without seats."""
    global_position: int = 0
    """Global position of the stream's last event; 0 for a game without seats."""

    @property
    def exists(self) -> bool:
        """Return whether the game was opened on the web and so has seats."""
        return self.version >= 0

    @property
    def is_complete(self) -> bool:
        """Return whether both seats are taken, after which seating never changes."""
        return len(self.holders) == len(Seat)

    @property
    def computer(self) -> SeatHolder | None:
        """Return the seat the server's computer player holds, if any."""
        for holder in self.holders.values():
            if holder.computer is not None:
                return holder
        return None

    @property
    def is_waiting(self) -> bool:
        """Return whether an invite is out and seat two is still free."""
        return self.invite_sha256 is not None and Seat.TWO not in self.holders

    def holder_of(self, token: str) -> SeatHolder | None:
        """Return the holder whose token this is, comparing in constant time."""
        found = None
        token_sha256 = digest(token)
        # Every holder is compared, so the time taken does not tell which matched.
        for holder in self.holders.values():
            if hmac.compare_digest(token_sha256, holder.token_sha256):
                found = holder
        return found

    def accepts_invite(self, secret: str) -> bool:
        """Return whether a join secret opens the invite, comparing in constant time."""
        expected = self.invite_sha256 or ""
        return hmac.compare_digest(digest(secret), expected) and self.is_waiting

    def apply(self, record: RecordedEvent) -> None:
        """Change the seating by one stored event.

        Raises:
            UnreadableEventError: the event is not a seat event this code knows.
        """
        data = read_data(record)
        try:
            if record.type == SEAT_TAKEN:
                seat = Seat(data["seat"])
                computer = data.get("computer")
                self.holders[seat] = SeatHolder(
                    seat,
                    str(data["player"]),
                    str(data["token_sha256"]),
                    None if computer is None else str(computer),
                )
            elif record.type == INVITE_ISSUED:
                self.invite_sha256 = str(data["secret_sha256"])
            else:
                raise UnreadableEventError.from_record(
                    record, "unknown seat event type"
                )
        except (KeyError, ValueError, TypeError) as exc:
            raise UnreadableEventError.from_record(
                record, f"missing or bad field {exc}"
            ) from exc
        self.version = record.stream_position
        self.global_position = record.global_position

    @classmethod
    def from_records(cls, records: Iterable[RecordedEvent]) -> Seating:
        """Fold a seats stream into its seating."""
        seating = cls()
        for record in records:
            seating.apply(record)
        return seating


def seats_stream(game_id: str) -> str:
    """Return the name of the stream that holds a game's seats."""
    return SEATS_STREAM_PREFIX + game_id


def new_secret() -> str:
    """Return a fresh, unguessable URL-safe secret for a token or an invite."""
    return secrets.token_urlsafe(SECRET_BYTES)


def digest(secret: str) -> str:
    """Return the SHA-256 hex digest under which a secret is stored."""
    return hashlib.sha256(secret.encode()).hexdigest()


def seat_taken(
    seat: Seat,
    player: str,
    token: str,
    metadata: Mapping[str, object] | None = None,
    computer: str | None = None,
) -> NewEvent:
    """Return the event that gives a seat to a player, holding the token's digest.

    A seat the server's computer plays names its level under `computer`.
    """
    data: dict[str, object] = {
        "seat": int(seat),
        "player": player,
        "token_sha256": digest(token),
    }
    if computer is not None:
        data["computer"] = computer
    return NewEvent(SEAT_TAKEN, _encode(data), _encode(metadata or {}))


def invite_issued(
    secret: str, metadata: Mapping[str, object] | None = None
) -> NewEvent:
    """Return the event that opens seat two to whoever brings the join secret."""
    data = {"seat": int(Seat.TWO), "secret_sha256": digest(secret)}
    return NewEvent(INVITE_ISSUED, _encode(data), _encode(metadata or {}))


def redact(data: Mapping[str, object]) -> dict[str, object]:
    """Return event data with digests of secrets replaced, for public display."""
    return {
        key: REDACTED if key in _DIGEST_KEYS else value for key, value in data.items()
    }


def _encode(data: Mapping[str, object]) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
