"""`GameLife`: how a seated game ends other than on the board, and what follows it.

- **Resign.** A seat holder gives the game up on any turn: the game stores
  `PlayerResigned` and then the seed's `GameFinished` with the other's win.
- **Claim the win.** When the opponent has not moved on their turn for
  `claim_after` (five minutes unless set otherwise), the waiting player may
  claim the win: `WinClaimed`, then `GameFinished`. The wait is measured from
  the time the store recorded the game's last event, by this service's clock.
- **Call off.** The creator of a game nobody joined withdraws its invite:
  the table stores `InviteWithdrawn`; the game never starts and leaves the
  lobby's list.
- **Rematch.** After the end, either player offers a rematch with colours
  swapped: the old table stores `RematchOffered` naming the new game, whose
  table is decided by it (the offerer seated, the other's seat kept for their
  token, a computer seated at once). Like a seated game's start, that table is
  stored idempotently by whoever needs it first. The other player accepts by
  asking for the rematch too, with their own token; both keep the token they
  played with.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

from connect_four.application.service import ConnectFourApp, utc_now
from connect_four.application.tables import IssuedSeat, SeatedGame, TableService
from connect_four.domain.exceptions import (
    InviteWithdrawnError,
    RematchNotReadyError,
    WaitingForOpponentError,
)
from connect_four.domain.table import Seat, SeatHolder, Table
from connect_four.eventsourcing.errors import ConcurrencyError

CLAIM_AFTER: Final = timedelta(minutes=5)
"""How long a player may keep the other waiting on their turn, by default."""


@dataclass(frozen=True, slots=True)
class Rematch:
    """A rematch asked for: its game, the asker's seat in it, whether it started."""

    game_id: str
    seat: IssuedSeat
    started: bool


class GameLife:
    """Resign, claim a win, call off, offer or accept a rematch.

    Each command takes a seat token, or a secret of the seat's claimed name
    (a device the player linked to it; see `TableService.holder`).
    """

    def __init__(
        self,
        app: ConnectFourApp,
        tables: TableService,
        *,
        claim_after: timedelta = CLAIM_AFTER,
        clock: Callable[[], datetime] = utc_now,
        via: str = "web",
    ) -> None:
        self._app = app
        self._tables = tables
        self.claim_after = claim_after
        self._clock = clock
        self._via: dict[str, object] = {"via": via}

    def resign(self, game_id: str, token: str) -> None:
        """Give the game up for the holder of `token`; the other player wins.

        Raises:
            UnknownGameError: there is no such game.
            NoSeatsError: the game was not opened with seats.
            SeatTokenRejectedError: the token holds no seat in the game.
            WaitingForOpponentError: seat two is still free (call it off instead).
            ConnectFourError: the game is over; the subclass says so.
        """
        holder = self._seated_holder(game_id, token)
        self._app.resign(game_id, holder.player, metadata=self._via)

    def claim_win(self, game_id: str, token: str) -> None:
        """Win for the holder of `token`, whose opponent has been gone too long.

        Raises:
            UnknownGameError: there is no such game.
            NoSeatsError: the game was not opened with seats.
            SeatTokenRejectedError: the token holds no seat in the game.
            WaitingForOpponentError: seat two is still free.
            ClaimRefusedError: it is the claimer's turn, or the opponent still
                has time; the subclass says which.
            ConnectFourError: the game is over.
        """
        holder = self._seated_holder(game_id, token)
        since = self.waiting_since(self._tables.look(game_id))
        waited = timedelta(0) if since is None else self._clock() - since
        self._app.claim_win(
            game_id,
            holder.player,
            waited=waited,
            limit=self.claim_after,
            metadata=self._via,
        )

    def waiting_since(self, seated: SeatedGame) -> datetime | None:
        """Return when a game in play began to wait for its next move, if in play."""
        game = seated.game
        if game is None or game.is_finished or not seated.records:
            return None
        return seated.records[-1].recorded_at

    def withdraw(self, game_id: str, token: str) -> None:
        """Call off a game nobody joined (or a rematch not yet accepted).

        Raises:
            UnknownGameError: there is no such game.
            NoSeatsError: the game was not opened with seats.
            SeatTokenRejectedError: the token holds no seat in the game.
            GameUnderwayError: both seats are taken.
            InviteWithdrawnError: the game was called off already.
        """
        table = self._tables.table(game_id)
        table.withdraw_for(self._tables.holder(table, token))
        self._tables.store_table(table, "withdraw_invite", self._via)

    def rematch(self, game_id: str, token: str) -> Rematch:
        """Offer a rematch of a finished game, or accept the one the other offered.

        Asking again for the same rematch gives the same answer.

        Raises:
            UnknownGameError: there is no such game.
            NoSeatsError: the game was not opened with seats.
            SeatTokenRejectedError: the token holds no seat in the game.
            RematchNotReadyError: the game is not over.
            InviteWithdrawnError: the rematch was called off by its offerer.
        """
        original = self._tables.table(game_id)
        # A seat token, or a secret of the seat's claimed name (another device).
        holder = self._tables.holder(original, token)
        if original.rematch is None:
            is_over = self._is_over(game_id, original)
            original.offer_rematch_for(holder, str(uuid.uuid4()), is_over=is_over)
            try:
                self._tables.store_table(original, "offer_rematch", self._via)
            except ConcurrencyError:
                original = self._tables.table(game_id)  # the other offered first
        offer = original.rematch
        if offer is None:  # for the type checker: the offer was just stored
            raise RematchNotReadyError(game_id)
        rematch = self._rematch_table(original, offer.game_id)
        if rematch.withdrawn:
            raise InviteWithdrawnError(rematch.id)
        if offer.seat != holder.seat and rematch.is_offered:
            accepted = rematch.accept_offer_for(holder.token_sha256)
            metadata = self._tables.store_table(rematch, "accept_rematch", self._via)
            cause = (str(metadata["command"]), str(metadata["causation_id"]))
            self._tables.start_seated_game(rematch.id, cause=cause)
            return Rematch(rematch.id, _issued(accepted, token), started=True)
        seat = next(
            seat
            for seat in rematch.holders.values()
            if seat.token_sha256 == holder.token_sha256
        )
        return Rematch(rematch.id, _issued(seat, token), started=rematch.is_complete)

    def _rematch_table(self, original: Table, rematch_id: str) -> Table:
        """Return the rematch's table, storing it first if nobody has yet."""
        existing = self._tables.table_or_none(rematch_id)
        if existing is not None:
            return existing
        table = Table(rematch_id)
        table.seat_rematch(original)
        extra: Mapping[str, object] = {**self._via, "rematch_of": original.id}
        try:
            metadata = self._tables.store_table(table, "offer_rematch", extra)
        except ConcurrencyError:
            found = self._tables.table_or_none(rematch_id)
            if found is None:
                raise  # a conflict on a new stream means it exists: never here
            return found
        if table.is_complete:  # against the computer: it starts at once
            cause = (str(metadata["command"]), str(metadata["causation_id"]))
            self._tables.start_seated_game(rematch_id, cause=cause)
        return table

    def _is_over(self, game_id: str, table: Table) -> bool:
        if not table.is_complete:
            return False
        self._tables.start_seated_game(game_id)
        return self._app.load_game(game_id).is_finished

    def _seated_holder(self, game_id: str, token: str) -> SeatHolder:
        table = self._tables.table(game_id)
        holder = self._tables.holder(table, token)
        if not table.is_complete:
            raise WaitingForOpponentError(game_id)
        self._tables.start_seated_game(game_id)
        return holder


def _issued(holder: SeatHolder, token: str) -> IssuedSeat:
    return IssuedSeat(Seat(holder.seat), holder.player, token)
