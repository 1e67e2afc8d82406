"""The `Table` aggregate: who holds which seat of a game, and the invite to it.

A seat token is a bearer secret that its holder keeps and sends with each
move. The game's own events must hold exactly the seed's keys, so seats live
beside the game, in a stream of their own (`seats-{game_id}`), whose events
hold SHA-256 digests of the tokens, never the tokens: the store holds nothing
a reader could move with, and any process sharing the store can check a token.

An invite works the same way: the creator gets a one-time join secret to pass
to a friend, the table keeps its digest, and the friend's join takes seat two.
That can happen only once: the repository appends at the version the table
was loaded at, so of two joins racing for the seat, one fails to store.

The creator of a game nobody joined may withdraw the invite (`InviteWithdrawn`):
the game never starts, and the table says why. Once a game is over, either
player may offer a rematch with colours swapped: `RematchOffered` on this
table names the new game, whose own table is decided by this one (see
`seat_rematch`): the one who offered holds the other colour at once, and the
seat of the other player is kept for them (`SeatOffered`, with the digest of
the token they hold here), so both keep the token they played with.

The secrets themselves are chosen by the caller (randomness is passed in, as
everywhere in the domain); the table only digests and compares them.
"""

from __future__ import annotations

import enum
import hashlib
import hmac
from dataclasses import dataclass
from typing import Final, TypeAlias, assert_never

from connect_four.domain.exceptions import (
    GameUnderwayError,
    InviteRejectedError,
    InviteUsedError,
    InviteWithdrawnError,
    NoSeatOfferedError,
    RematchNotReadyError,
    RematchOfferedAlreadyError,
    SamePlayerError,
    SeatTokenRejectedError,
    WaitingForOpponentError,
)
from connect_four.domain.names import check_human_name, check_name, same_player
from connect_four.eventsourcing.aggregate import Aggregate
from connect_four.eventsourcing.errors import ImpossibleEventError

SEAT_TAKEN_SCHEMA: Final = 2
"""`SeatTaken` schema 2 always names `computer` (null for a person)."""


class Seat(enum.IntEnum):
    """A place at the table: seat one plays first (red), seat two second."""

    ONE = 1
    TWO = 2


@dataclass(frozen=True, slots=True)
class SeatTaken:
    """A player took a seat; `computer` is the level of a computer that plays it."""

    seat: int
    player: str
    token_sha256: str
    computer: str | None = None


@dataclass(frozen=True, slots=True)
class InviteIssued:
    """Seat two is open to whoever brings the join secret with this digest."""

    seat: int
    secret_sha256: str


@dataclass(frozen=True, slots=True)
class SeatOffered:
    """A seat is kept for one player: whoever holds the token with this digest."""

    seat: int
    player: str
    token_sha256: str


@dataclass(frozen=True, slots=True)
class InviteWithdrawn:
    """The open seat's invite (or offer) was withdrawn: the game will never start."""

    seat: int


@dataclass(frozen=True, slots=True)
class RematchOffered:
    """The player at `seat` offered a rematch, colours swapped, as game `game_id`."""

    game_id: str
    seat: int


TableEvent: TypeAlias = (
    SeatTaken | InviteIssued | SeatOffered | InviteWithdrawn | RematchOffered
)
"""Every event a table can record."""

TABLE_EVENT_TYPES: tuple[type[TableEvent], ...] = (
    SeatTaken,
    InviteIssued,
    SeatOffered,
    InviteWithdrawn,
    RematchOffered,
)


@dataclass(frozen=True, slots=True)
class SeatHolder:
    """A player who holds a seat, and the digest of the token that proves it."""

    seat: Seat
    player: str
    token_sha256: str
    computer: str | None = None
    """The level of the computer that holds the seat; None for a person."""


class Table(Aggregate[TableEvent]):
    """The seats of one game: taken by players, or open to an invite."""

    def __init__(self, id: str) -> None:
        super().__init__(id)
        self.holders: dict[Seat, SeatHolder] = {}
        self.invite_sha256: str | None = None
        self.offered: SeatHolder | None = None
        """The seat kept for one player (in a rematch), until they take it."""
        self.withdrawn = False
        self.rematch: RematchOffered | None = None

    @property
    def is_complete(self) -> bool:
        """Return whether both seats are taken, after which the seats never change."""
        return len(self.holders) == len(Seat)

    @property
    def is_waiting(self) -> bool:
        """Return whether an invite is out and seat two is still free."""
        return (
            self.invite_sha256 is not None
            and Seat.TWO not in self.holders
            and not self.withdrawn
        )

    @property
    def is_offered(self) -> bool:
        """Return whether a seat is kept for one player, who has not taken it yet."""
        offered = self.offered
        return (
            offered is not None
            and offered.seat not in self.holders
            and not self.withdrawn
        )

    @property
    def computer(self) -> SeatHolder | None:
        """Return the seat a computer player holds, if any."""
        for holder in self.holders.values():
            if holder.computer is not None:
                return holder
        return None

    def players(self) -> tuple[str, str]:
        """Return the names of seat one and seat two, once both are taken.

        Raises:
            WaitingForOpponentError: seat two is still free.
        """
        if not self.is_complete:
            raise WaitingForOpponentError(self.id)
        return self.holders[Seat.ONE].player, self.holders[Seat.TWO].player

    def seat_players(
        self,
        player_one: str,
        token_one: str,
        player_two: str,
        token_two: str,
        *,
        computer: Seat | None = None,
        level: str | None = None,
    ) -> None:
        """Give both seats at once; a computer at `level` plays seat `computer`.

        A person's name may not be one the computer plays under.

        Raises:
            InvalidPlayersError: a name is unusable, or both are the same.
            InviteUsedError: the table has seats already.
        """
        if self.holders:
            raise InviteUsedError(self.id)
        for seat, name in ((Seat.ONE, player_one), (Seat.TWO, player_two)):
            if seat is computer:
                check_name(name)
            else:
                check_human_name(name)
        if same_player(player_one, player_two):
            raise SamePlayerError(player_two)
        for seat, player, token in (
            (Seat.ONE, player_one, token_one),
            (Seat.TWO, player_two, token_two),
        ):
            played_by = level if seat is computer else None
            self.record(SeatTaken(int(seat), player, digest(token), played_by))

    def invite(self, player_one: str, token_one: str, join_secret: str) -> None:
        """Give seat one and open seat two to whoever brings the join secret.

        Raises:
            InvalidPlayerNameError: the name is unusable.
            InviteUsedError: the table has seats already.
        """
        if self.holders:
            raise InviteUsedError(self.id)
        check_human_name(player_one)
        self.record(SeatTaken(int(Seat.ONE), player_one, digest(token_one)))
        self.record(InviteIssued(int(Seat.TWO), digest(join_secret)))

    def join(self, player: str, token: str, join_secret: str) -> None:
        """Take seat two with the invite's join secret.

        Raises:
            InviteRejectedError: the secret does not open this table's invite.
            InviteUsedError: seat two is taken.
            InvalidPlayersError: the name is unusable or the same as seat one's.
        """
        if self.invite_sha256 is None:
            raise InviteRejectedError(self.id)
        if self.withdrawn:
            raise InviteWithdrawnError(self.id)
        if not self.is_waiting:
            raise InviteUsedError(self.id)
        if not hmac.compare_digest(digest(join_secret), self.invite_sha256):
            raise InviteRejectedError(self.id)
        check_human_name(player)
        if same_player(player, self.holders[Seat.ONE].player):
            raise SamePlayerError(player)
        self.record(SeatTaken(int(Seat.TWO), player, digest(token)))

    def withdraw(self, token: str) -> None:
        """Call off a game nobody joined, for the holder of `token`.

        Raises:
            SeatTokenRejectedError: the token holds no seat here.
            GameUnderwayError: both seats are taken.
            InviteWithdrawnError: the game was called off already.
        """
        self.withdraw_for(self.holder_of(token))

    def withdraw_for(self, holder: SeatHolder) -> None:
        """Call off a game nobody joined, for a holder the caller authenticated.

        Raises:
            GameUnderwayError: both seats are taken.
            InviteWithdrawnError: the game was called off already.
        """
        if self.is_complete:
            raise GameUnderwayError(self.id)
        if self.withdrawn:
            raise InviteWithdrawnError(self.id)
        open_seat = Seat.TWO if holder.seat is Seat.ONE else Seat.ONE
        self.record(InviteWithdrawn(int(open_seat)))

    def accept_offer(self, token: str) -> SeatHolder:
        """Take the seat kept for the holder of `token`; return it.

        Raises:
            NoSeatOfferedError: no seat is kept for anyone here.
            InviteWithdrawnError: the offer was withdrawn.
            InviteUsedError: the kept seat is taken.
            SeatTokenRejectedError: the seat is kept for another token.
        """
        return self.accept_offer_for(digest(token))

    def accept_offer_for(self, token_sha256: str) -> SeatHolder:
        """Take the seat kept for the token with this digest; return it.

        For a caller that authenticated the player another way (a device
        linked to their claimed name holds their seats' token digests).

        Raises:
            NoSeatOfferedError: no seat is kept for anyone here.
            InviteWithdrawnError: the offer was withdrawn.
            InviteUsedError: the kept seat is taken.
            SeatTokenRejectedError: the seat is kept for another token.
        """
        offered = self.offered
        if offered is None:
            raise NoSeatOfferedError(self.id)
        if self.withdrawn:
            raise InviteWithdrawnError(self.id)
        if offered.seat in self.holders:
            raise InviteUsedError(self.id)
        if not hmac.compare_digest(token_sha256, offered.token_sha256):
            raise SeatTokenRejectedError(self.id)
        self.record(SeatTaken(int(offered.seat), offered.player, offered.token_sha256))
        return self.holders[offered.seat]

    def offer_rematch(self, token: str, game_id: str, *, is_over: bool) -> None:
        """Offer a rematch as game `game_id`, for the holder of `token`.

        `is_over` says whether this table's game has finished.

        Raises:
            SeatTokenRejectedError: the token holds no seat here.
            RematchNotReadyError: the game is not over.
            RematchOfferedAlreadyError: a rematch was offered before.
        """
        self.offer_rematch_for(self.holder_of(token), game_id, is_over=is_over)

    def offer_rematch_for(
        self, holder: SeatHolder, game_id: str, *, is_over: bool
    ) -> None:
        """Offer a rematch as game `game_id`, for a holder the caller authenticated.

        Raises:
            RematchNotReadyError: the game is not over.
            RematchOfferedAlreadyError: a rematch was offered before.
        """
        if not is_over or not self.is_complete:
            raise RematchNotReadyError(self.id)
        if self.rematch is not None:
            raise RematchOfferedAlreadyError(self.id, self.rematch.game_id)
        self.record(RematchOffered(game_id, int(holder.seat)))

    def seat_rematch(self, original: Table) -> None:
        """Seat the rematch `original` offered: colours swapped, same tokens.

        The player who offered it takes their seat; a computer takes its seat
        at once too; the other player's seat is kept for them.

        Raises:
            RematchNotReadyError: `original` offers no rematch.
            InviteUsedError: this table has seats already.
        """
        offer = original.rematch
        if offer is None:
            raise RematchNotReadyError(original.id)
        if self.holders:
            raise InviteUsedError(self.id)
        swapped = sorted(
            original.holders.values(),
            key=lambda holder: holder.seat is Seat.ONE,
        )
        for seat, holder in zip(Seat, swapped, strict=True):
            if holder.seat == offer.seat or holder.computer is not None:
                taken = SeatTaken(
                    int(seat), holder.player, holder.token_sha256, holder.computer
                )
                self.record(taken)
            else:
                self.record(SeatOffered(int(seat), holder.player, holder.token_sha256))

    def holder_of(self, token: str) -> SeatHolder:
        """Return the holder whose token this is, comparing in constant time.

        Raises:
            SeatTokenRejectedError: the token holds no seat here.
        """
        found = None
        token_sha256 = digest(token)
        # Every holder is compared, so the time taken does not tell which matched.
        for holder in self.holders.values():
            if hmac.compare_digest(token_sha256, holder.token_sha256):
                found = holder
        if found is None:
            raise SeatTokenRejectedError(self.id)
        return found

    def apply(self, event: TableEvent) -> None:
        """Change the table by one event.

        Raises:
            ImpossibleEventError: the event cannot follow the table's history.
        """
        match event:
            case SeatTaken(seat, player, token_sha256, computer):
                try:
                    taken = Seat(seat)
                except ValueError:
                    raise ImpossibleEventError(f"there is no seat {seat}") from None
                if taken in self.holders:
                    raise ImpossibleEventError(f"seat {seat} is taken already")
                self.holders[taken] = SeatHolder(taken, player, token_sha256, computer)
            case InviteIssued(_, secret_sha256):
                self.invite_sha256 = secret_sha256
            case SeatOffered(seat, player, token_sha256):
                self.offered = SeatHolder(Seat(seat), player, token_sha256)
            case InviteWithdrawn():
                if self.is_complete:
                    raise ImpossibleEventError("a seated game cannot be called off")
                self.withdrawn = True
            case RematchOffered():
                if self.rematch is not None:
                    raise ImpossibleEventError("a rematch was offered already")
                self.rematch = event
            case _:
                assert_never(event)


def digest(secret: str) -> str:
    """Return the SHA-256 hex digest under which a secret is stored."""
    return hashlib.sha256(secret.encode()).hexdigest()
