"""The web's commands: open a game, join it by invite, move by seat token, fork.

Moves go through `ConnectFourApp`, like every client's. Opening, joining and
forking need two things the application service does not offer: a game id
chosen before the game starts (so an invite link can name the game while it
waits for its second player) and metadata on the new stream (a fork links to
its original). For those the host starts the `Game` aggregate itself, so the
domain still checks every rule, and stores it through the same repository.

Seats are written before the game starts. If the process stops between the
two appends, `start_if_seated` finishes the start on the next read.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Final

from connect_four.ai.opponent import computer_move_metadata
from connect_four.application import ConnectFourApp, UnknownGameError
from connect_four.application.game_repository import EventSourcedGameRepository
from connect_four.domain.board import Column
from connect_four.domain.events import MoveMade
from connect_four.domain.exceptions import ConnectFourError
from connect_four.domain.game import Game, Move
from connect_four.eventsourcing.errors import ConcurrencyError
from connect_four.eventsourcing.events import NewEvent
from connect_four.eventsourcing.store import EventStore, StreamState
from connect_four.web.computer import Computers
from connect_four.web.errors import (
    ForkPositionError,
    InviteRejectedError,
    InviteUsedError,
    NoSeatsError,
    SeatTokenRejectedError,
    WaitingForOpponentError,
)
from connect_four.web.seats import (
    Seat,
    Seating,
    invite_issued,
    new_secret,
    seat_taken,
    seats_stream,
)

VIA_WEB: Final[dict[str, object]] = {"via": "web"}
"""Metadata that marks events stored through the web."""
SEATING_CACHE_SIZE: Final = 10_000
"""Complete seatings kept in memory; they never change once both seats are taken."""


@dataclass(frozen=True, slots=True)
class IssuedSeat:
    """A seat given out, with the token its holder must keep secret."""

    seat: Seat
    player: str
    token: str


@dataclass(frozen=True, slots=True)
class Opening:
    """A game just opened: its id, the seats handed out, and the invite if any."""

    game_id: str
    seats: tuple[IssuedSeat, ...]
    invite_secret: str | None = None


class GameHost:
    """Carry out the web's commands against the app and the store they share."""

    def __init__(
        self, app: ConnectFourApp, store: EventStore, computers: Computers
    ) -> None:
        self._app = app
        self._store = store
        self._computers = computers
        self._games = EventSourcedGameRepository(store)
        self._complete: dict[str, Seating] = {}

    @property
    def games(self) -> EventSourcedGameRepository:
        """Return the repository of the games in the host's store."""
        return self._games

    def seating(self, game_id: str) -> Seating:
        """Return a game's seats (empty for a game opened elsewhere, or none)."""
        cached = self._complete.get(game_id)
        if cached is not None:
            return cached
        seating = Seating.from_records(self._store.read_stream(seats_stream(game_id)))
        if seating.is_complete:
            if len(self._complete) >= SEATING_CACHE_SIZE:
                self._complete.clear()
            self._complete[game_id] = seating
        return seating

    def open_game(
        self, player_one: str, player_two: str | None, computer: str | None = None
    ) -> Opening:
        """Open a game with both seats taken, or seat one and an invite for seat two.

        With `computer` (a level), the server's computer takes seat two and
        plays it; the creator gets seat one only.

        Raises:
            InvalidPlayersError: a name is unusable, or both are the same.
            InvalidFieldError: the computer level does not exist.
        """
        game_id = str(uuid.uuid4())
        metadata = command_metadata(game_id, "open_game")
        if computer is not None:
            game = Game(game_id)
            game.start_game(player_one, self._computers.name(computer))
            return self._seat_and_start(game, metadata, computer)
        if player_two is None:
            _check_name(player_one)
            first = IssuedSeat(Seat.ONE, player_one, new_secret())
            secret = new_secret()
            self._store.append(
                seats_stream(game_id),
                [_taken(first, metadata), invite_issued(secret, metadata)],
                StreamState.NO_STREAM,
            )
            return Opening(game_id, (first,), secret)
        game = Game(game_id)
        game.start_game(player_one, player_two)
        return self._seat_and_start(game, metadata)

    def join(self, game_id: str, player: str, secret: str) -> IssuedSeat:
        """Take seat two with the invite's join secret, which starts the game.

        Raises:
            UnknownGameError: there is no such game.
            NoSeatsError: the game was not opened on the web.
            InviteRejectedError: the secret does not open this game's invite.
            InviteUsedError: seat two is taken.
            InvalidPlayersError: the name is unusable or the same as player one's.
        """
        seating = self._existing_seating(game_id)
        if seating.invite_sha256 is None or not seating.accepts_invite(secret):
            if seating.invite_sha256 is not None and Seat.TWO in seating.holders:
                raise InviteUsedError(game_id)
            raise InviteRejectedError(game_id)
        game = Game(game_id)
        game.start_game(seating.holders[Seat.ONE].player, player)
        second = IssuedSeat(Seat.TWO, player, new_secret())
        metadata = command_metadata(game_id, "join_game")
        seat = [_taken(second, metadata)]
        try:
            self._store.append(seats_stream(game_id), seat, seating.version)
        except ConcurrencyError:
            raise InviteUsedError(game_id) from None
        self._games.add(game, metadata)
        return second

    def move(self, game_id: str, token: str, column: Column) -> None:
        """Drop a token for the player whose seat the token holds.

        Raises:
            UnknownGameError: there is no such game.
            NoSeatsError: the game was not opened on the web.
            SeatTokenRejectedError: the token holds no seat in the game.
            WaitingForOpponentError: seat two is still free.
            InvalidMoveError: the move breaks a rule; the subclass says which.
        """
        seating = self._existing_seating(game_id)
        holder = seating.holder_of(token)
        if holder is None:
            raise SeatTokenRejectedError(game_id)
        if not seating.is_complete:
            raise WaitingForOpponentError(game_id)
        move = Move(holder.player, column)
        try:
            self._app.make_move(game_id, move, metadata=VIA_WEB)
        except UnknownGameError:
            self.start_if_seated(game_id, seating)
            self._app.make_move(game_id, move, metadata=VIA_WEB)

    def fork(self, game_id: str, moves: int) -> Opening:
        """Open a new game at the position after the original's first `moves` moves.

        The new stream's events carry `forked_from` metadata naming the
        original; the caller gets both seats, to play on or to pass one on.

        Raises:
            UnknownGameError: there is no such game.
            ForkPositionError: the original never reached that position, or
                was over by then.
        """
        original = self._app.load_game(game_id)
        made = [event for event in original.events if isinstance(event, MoveMade)]
        if original.player_one is None or original.player_two is None:
            raise UnknownGameError(game_id)
        if not 0 <= moves <= len(made):
            raise ForkPositionError(game_id, moves, f"it has {len(made)} moves")
        game = Game(str(uuid.uuid4()))
        game.start_game(original.player_one, original.player_two)
        for event in made[:moves]:
            game.make_move(Move(event.player, event.column))
        if game.is_finished:
            raise ForkPositionError(game_id, moves, "the game is over at that point")
        origin = {
            "game_id": game_id,
            "stream": self._games.stream_name(game_id),
            "moves": moves,
        }
        metadata = command_metadata(game.id, "fork_game")
        return self._seat_and_start(game, {**metadata, "forked_from": origin})

    def start_if_seated(self, game_id: str, seating: Seating) -> None:
        """Start a game whose seats are both taken but whose start was not stored."""
        if not seating.is_complete or self._store.read_stream(
            self._games.stream_name(game_id)
        ):
            return
        game = Game(game_id)
        holders = seating.holders
        game.start_game(holders[Seat.ONE].player, holders[Seat.TWO].player)
        try:
            self._games.add(game, command_metadata(game_id, "start_seated_game"))
        except ConcurrencyError:
            return  # another process finished the same start first

    def play_computer(self, game_id: str) -> None:
        """Make the computer's move if it holds the seat whose turn it is.

        Any process may be asked, as often as pages ask: the move is made
        once, since a second writer finds that it is no longer the computer's
        turn (or the stream no longer where it was) and leaves it.
        """
        holder = self.seating(game_id).computer
        if holder is None or holder.computer is None:
            return
        game = self._app.load_game(game_id)
        if game.is_finished or game.next_player != holder.player:
            return
        moves = [e.column for e in game.events if isinstance(e, MoveMade)]
        choice = self._computers.choose(holder.computer, moves)
        try:
            self._app.make_move(
                game_id,
                Move(holder.player, choice.column),
                metadata={**VIA_WEB, **computer_move_metadata(holder.computer, choice)},
            )
        except (ConnectFourError, ConcurrencyError):
            return  # another request made this move first

    def _seat_and_start(
        self, game: Game, metadata: dict[str, object], computer: str | None = None
    ) -> Opening:
        first = IssuedSeat(Seat.ONE, str(game.player_one), new_secret())
        second = IssuedSeat(Seat.TWO, str(game.player_two), new_secret())
        seats = [
            _taken(first, metadata),
            seat_taken(
                second.seat, second.player, second.token, metadata, computer=computer
            ),
        ]
        self._store.append(seats_stream(game.id), seats, StreamState.NO_STREAM)
        self._games.add(game, metadata)
        if computer is not None:
            # The computer's token is never handed out: the server plays it.
            return Opening(game.id, (first,))
        return Opening(game.id, (first, second))

    def _existing_seating(self, game_id: str) -> Seating:
        seating = self.seating(game_id)
        if not seating.exists:
            self._app.load_game(game_id)  # raises UnknownGameError for no game at all
            raise NoSeatsError(game_id)
        return seating


def command_metadata(game_id: str, command: str) -> dict[str, object]:
    """Return a web command's metadata, with the keys the app's own commands use."""
    return {
        **VIA_WEB,
        "correlation_id": game_id,
        "causation_id": str(uuid.uuid4()),
        "command": command,
        "occurred_at": datetime.now(UTC).isoformat(),
    }


def _taken(issued: IssuedSeat, metadata: dict[str, object]) -> NewEvent:
    return seat_taken(issued.seat, issued.player, issued.token, metadata)


def _check_name(name: str) -> None:
    # The domain checks names when a game starts; an invite opens a game before
    # the second name is known, so try a start with a stand-in opponent.
    stand_in = "player one" if name.casefold() == "player two" else "player two"
    Game().start_game(name, stand_in)
