"""`TableService`: games played from seats, as the web and the computer play them.

A game opened on the web has a `Table` beside it (its seats, and the invite to
seat two). Both are aggregates, stored through the `Repository` and the codec
like any other: this service is the one door for opening, joining, forking
and moving by seat token. `ConnectFourApp` stays the door for the game itself;
this service calls it for every game event it stores.

**Starting a seated game is one idempotent step.** A table and its game are
two streams, and no store here appends to two streams at once. So the table
is stored first, and the game's start is *derived* from it: once both seats
are taken, the game that starts is fully decided by the table (its players,
and for a fork the original's first moves, named in the table's metadata).
`start_seated_game` stores that start with "no stream" expected, so it can be
run any number of times, by any process: the first run stores it, every
later one finds it stored. Every command on a seated game runs it first, and
reads show a complete table whose start is not stored yet as the game it
decides (without storing anything). A crash between the two appends
therefore leaves nothing half done: the next command finishes the start.
"""

from __future__ import annotations

import json
import secrets
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Final, Protocol

from connect_four.application.errors import (
    ComputerMissingError,
    ForkPositionError,
    NoSeatsError,
    UnknownGameError,
)
from connect_four.application.players import PlayerService
from connect_four.application.ports import GameHistories
from connect_four.application.seen_streams import SeenGames, SeenStreams
from connect_four.application.service import ConnectFourApp
from connect_four.domain.board import Column
from connect_four.domain.events import MoveMade
from connect_four.domain.exceptions import (
    ConnectFourError,
    SeatTokenRejectedError,
    WaitingForOpponentError,
)
from connect_four.domain.game import Game, Move
from connect_four.domain.table import Seat, SeatHolder, Table, TableEvent
from connect_four.eventsourcing.errors import ConcurrencyError, UnreadableEventError
from connect_four.eventsourcing.events import RecordedEvent
from connect_four.eventsourcing.repository import Repository

SECRET_BYTES: Final = 32
"""Random bytes in a token or join secret: 256 bits, far beyond guessing."""
COMPLETE_TABLES_KEPT: Final = 10_000
"""Complete tables kept in memory, for their seats: those never change once taken."""


def new_secret() -> str:
    """Return a fresh, unguessable URL-safe secret for a token or an invite."""
    return secrets.token_urlsafe(SECRET_BYTES)


@dataclass(frozen=True, slots=True)
class ComputerChoice:
    """The column a computer player picked, and what to store about its judgement."""

    column: Column
    metadata: Mapping[str, object]


class ComputerPlayers(Protocol):
    """The computer opponent, one player per level (the AI implements it)."""

    def name(self, level: str) -> str:
        """Return the name the computer plays under at a level."""
        ...

    def choose(self, level: str, moves: Sequence[Column]) -> ComputerChoice:
        """Return the computer's choice after the moves so far."""
        ...


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


@dataclass(frozen=True, slots=True)
class SeatedGame:
    """A game as a page shows it, read without storing anything."""

    game_id: str
    table: Table | None
    """The seats; None for a game opened without them (in a terminal, say)."""
    game: Game | None
    """The game; None while seat two is free. Not yet stored if `records` is empty."""
    records: Sequence[RecordedEvent]
    """The game's stored events, as read."""
    table_position: int
    """The global position of the table's last event; 0 without a table."""

    @property
    def computers_turn(self) -> bool:
        """Return whether a computer holds a seat and it is that seat's turn."""
        holder = None if self.table is None else self.table.computer
        game = self.game
        return (
            holder is not None
            and game is not None
            and (game.next_player == holder.player)
        )


class TableService:
    """Open, join, fork and play seated games; read them for their pages."""

    def __init__(
        self,
        app: ConnectFourApp,
        games: GameHistories,
        tables: Repository[Table, TableEvent],
        computers: ComputerPlayers | None = None,
        *,
        players: PlayerService,
        via: str = "web",
        secret: Callable[[], str] = new_secret,
    ) -> None:
        """Serve tables kept by `tables`, beside the games `app` and `games` keep.

        Both repositories must write to the same store: a table's page reads
        its table's and its game's streams together. `players` checks every
        name a seat is taken under (a claimed name plays only with its secret).
        """
        self._app = app
        self._games = games
        self._store = tables.store
        self._computers = computers
        self._via: dict[str, object] = {"via": via}
        self._secret = secret
        self._tables = tables
        self._complete: dict[str, Table] = {}
        self._seen = SeenStreams(self._store)
        self._seen_games = SeenGames(games)
        self.players = players
        """The claimed names: a claimed name plays only with its player's secret."""

    def open_game(
        self, player_one: str, player_two: str, secrets: Sequence[str] = ()
    ) -> Opening:
        """Open a game with both seats given to the caller, and start it.

        A claimed name needs one of its player's `secrets` (see `players`).

        Raises:
            InvalidPlayersError: a name is unusable, or both are the same.
            NameTakenError: a name is claimed by a player the secrets are not.
        """
        player_one = self.players.play_as(player_one, secrets)
        player_two = self.players.play_as(player_two, secrets)
        table = Table(str(uuid.uuid4()))
        one, two = self._secret(), self._secret()
        table.seat_players(player_one, one, player_two, two)
        self._open(table, "open_game")
        return Opening(table.id, _issued(table, one, two))

    def open_with_invite(self, player_one: str, secrets: Sequence[str] = ()) -> Opening:
        """Open a game with seat one taken and an invite out for seat two.

        Raises:
            InvalidPlayerNameError: the name is unusable.
            NameTakenError: the name is claimed by a player the secrets are not.
        """
        player_one = self.players.play_as(player_one, secrets)
        table = Table(str(uuid.uuid4()))
        token, invite = self._secret(), self._secret()
        table.invite(player_one, token, invite)
        self._open(table, "open_game")
        return Opening(table.id, _issued(table, token), invite)

    def open_against_computer(
        self,
        player: str,
        level: str,
        *,
        computer_first: bool = False,
        secrets: Sequence[str] = (),
    ) -> Opening:
        """Open a game against the computer at `level`, which holds the other seat.

        The computer's token is never handed out: whoever plays it (the
        server, the terminal) moves through the app, not by token.

        Raises:
            InvalidPlayersError: the name is unusable or the computer's.
            ComputerUnavailableError: there is no such level, or no AI at all.
            NameTakenError: the name is claimed by a player the secrets are not.
        """
        computer = self._computer_players().name(level)
        player = self.players.play_as(player, secrets)
        table = Table(str(uuid.uuid4()))
        token = self._secret()
        names = (computer, player) if computer_first else (player, computer)
        tokens = (self._secret(), token) if computer_first else (token, self._secret())
        seat = Seat.ONE if computer_first else Seat.TWO
        table.seat_players(
            names[0], tokens[0], names[1], tokens[1], computer=seat, level=level
        )
        self._open(table, "open_game")
        human = Seat.TWO if computer_first else Seat.ONE
        return Opening(table.id, (IssuedSeat(human, player, token),))

    def fork(self, game_id: str, moves: int, secrets: Sequence[str] = ()) -> Opening:
        """Open a new game at the position after the original's first `moves` moves.

        The new game's events carry `forked_from` metadata naming the
        original; the caller gets both seats, to play on or to pass one on.
        The fork plays under the original's names, so a claimed one needs
        one of its player's `secrets`.

        Raises:
            NameTakenError: a name is claimed by a player the secrets are not.
            UnknownGameError: there is no such game.
            ForkPositionError: the original never reached that position, or
                was over by then.
        """
        original = self._app.load_game(game_id)
        if original.player_one is None or original.player_two is None:
            raise UnknownGameError(game_id)
        made = _moves(original)
        if not 0 <= moves <= len(made):
            raise ForkPositionError(game_id, moves, f"it has {len(made)} moves")
        for name in (original.player_one, original.player_two):
            self.players.check_claimed(name, secrets)
        table = Table(str(uuid.uuid4()))
        origin = {
            "game_id": game_id,
            "stream": self._games.stream_name(game_id),
            "moves": moves,
        }
        game = _start(table.id, original.player_one, original.player_two, made[:moves])
        if game.is_finished:
            raise ForkPositionError(game_id, moves, "the game is over at that point")
        one, two = self._secret(), self._secret()
        table.seat_players(original.player_one, one, original.player_two, two)
        self._open(table, "fork_game", {"forked_from": origin})
        return Opening(table.id, _issued(table, one, two))

    def join(
        self, game_id: str, player: str, secret: str, secrets: Sequence[str] = ()
    ) -> IssuedSeat:
        """Take seat two with the invite's join secret, which starts the game.

        Raises:
            UnknownGameError: there is no such game.
            NoSeatsError: the game was not opened with seats.
            InviteRejectedError: the secret does not open this game's invite.
            InviteUsedError: seat two is taken.
            InvalidPlayersError: the name is unusable or the same as player one's.
            NameTakenError: the name is claimed by a player the secrets are not.
        """
        table = self._table(game_id)
        player = self.players.play_as(player, secrets)
        token = self._secret()
        table.join(player, token, secret)
        metadata = self._metadata(game_id, "join_game")
        try:
            self._tables.add(table, metadata)
        except ConcurrencyError:
            # Another join stored seat two first: decide again on its state.
            self._table(game_id).join(player, token, secret)
            raise
        self.start_seated_game(game_id, cause=_cause(metadata))
        return IssuedSeat(Seat.TWO, player, token)

    def move(
        self, game_id: str, token: str, column: Column, number: int | None = None
    ) -> None:
        """Drop a token for the player whose seat the token holds.

        The token is the seat's token, or a secret of the player who claimed
        the seat's name (so a device linked to the name plays its seats).
        With `number` (the move's number in the game) a request sent twice is
        stored once: see `ConnectFourApp.make_move`.

        Raises:
            UnknownGameError: there is no such game.
            NoSeatsError: the game was not opened with seats.
            SeatTokenRejectedError: the token holds no seat in the game.
            WaitingForOpponentError: seat two is still free.
            InvalidMoveError: the move breaks a rule; the subclass says which.
        """
        table = self._complete.get(game_id) or self._table(game_id)
        holder = self.holder(table, token)
        if not table.is_complete:
            raise WaitingForOpponentError(game_id)
        self._keep_complete(table)
        move = Move(holder.player, column)
        try:
            self._app.make_move(game_id, move, metadata=self._via, number=number)
        except UnknownGameError:
            self.start_seated_game(game_id)
            self._app.make_move(game_id, move, metadata=self._via, number=number)

    def play_computer(self, game_id: str) -> None:
        """Make the computer's move if it holds the seat whose turn it is.

        Any process may be asked, as often as pages ask: the move is made
        once, since a second writer finds that it is no longer the computer's
        turn (or the stream no longer where it was) and leaves it.
        """
        seated = self.look(game_id)
        holder = None if seated.table is None else seated.table.computer
        if not seated.computers_turn or holder is None or holder.computer is None:
            return
        if not seated.records:
            self.start_seated_game(game_id)
        game = self._app.load_game(game_id)
        made = [event.column for event in _moves(game)]
        choice = self._computer_players().choose(holder.computer, made)
        metadata = {**self._via, **choice.metadata}
        try:
            self._app.make_move(
                game_id,
                Move(holder.player, choice.column),
                metadata=metadata,
                number=len(made) + 1,
            )
        except (ConnectFourError, ConcurrencyError):
            return  # another request made this move first

    def computer_seat(self, game_id: str) -> SeatHolder | None:
        """Return the seat a computer holds in a game, if it has seats and one does."""
        table = self._table_or_none(game_id)
        return None if table is None else table.computer

    def start_seated_game(
        self, game_id: str, cause: tuple[str, str] | None = None
    ) -> None:
        """Store the start of a game whose seats are both taken, unless it is stored.

        Safe to run any number of times, from any process (see the module).
        `cause` is the command (name and causation id) whose part it is, if
        any: the command that took the last seat.
        """
        if self._store.read_stream(self._games.stream_name(game_id)):
            return
        records = self._store.read_stream(self._tables.stream_name(game_id))
        if not records:
            return
        table = self._tables.replay(game_id, records)
        if not table.is_complete:
            return
        game, origin = self._decided_game(table, records)
        extra = {**self._via, **({} if origin is None else {"forked_from": origin})}
        command, causation_id = cause or ("start_seated_game", None)
        try:
            self._app.add_new_game(game, command, extra, causation_id=causation_id)
        except ConcurrencyError:
            return  # another process stored the same start first

    def look(
        self,
        game_id: str,
        through_move: int | None = None,
        *,
        since_last_look: bool = False,
    ) -> SeatedGame:
        """Return a game with its seats, as stored, for a page; store nothing.

        With `through_move`, the game as it stood right after that move (and
        the end it brought, if any), so that a move request sent twice gets
        the same answer both times.

        With `since_last_look` (a move's answer, on the hot path), each
        stream is read only from where the last such look left it, and only
        the new records are checked and applied (`seen_streams`). Without it
        (a page's load) both streams are read and checked whole, so a row
        damaged in place after it was first read shows as the error it is.

        Raises:
            UnknownGameError: there is no such game.
            UnreadableEventError: a stored event cannot be read.
        """
        read = self._seen.read if since_last_look else self._store.read_stream
        table_records = read(self._tables.stream_name(game_id))
        table = self._tables.replay(game_id, table_records) if table_records else None
        records = read(self._games.stream_name(game_id))
        game: Game | None = None
        if records:
            game = (
                self._seen_games.game(game_id, records)
                if since_last_look
                else self._games.replay(game_id, records)
            )
            if through_move is not None:
                records = _through_move(game, records, through_move)
                game = self._games.replay(game_id, records)
        elif table is None:
            raise UnknownGameError(game_id)
        elif table.is_complete:
            game = self._decided_game(table, table_records)[0]
        position = table_records[-1].global_position if table_records else 0
        return SeatedGame(game_id, table, game, records, position)

    def _open(
        self, table: Table, command: str, extra: Mapping[str, object] | None = None
    ) -> None:
        metadata = self._metadata(table.id, command, extra)
        self._tables.add(table, metadata)
        if table.is_complete:
            self.start_seated_game(table.id, cause=_cause(metadata))

    def _decided_game(
        self, table: Table, records: Sequence[RecordedEvent]
    ) -> tuple[Game, JSONOrigin | None]:
        """Return the game a complete table decides, not stored, and its origin."""
        one, two = table.players()
        origin = _forked_from(records[0])
        made: list[MoveMade] = []
        if origin is not None:
            original = self._app.load_game(str(origin["game_id"]))
            made = _moves(original)[: int(str(origin["moves"]))]
        return _start(table.id, one, two, made), origin

    def table(self, game_id: str) -> Table:
        """Return a game's table as stored, for a command on its seats.

        Raises:
            UnknownGameError: there is no such game.
            NoSeatsError: the game was not opened with seats.
        """
        return self._table(game_id)

    def store_table(
        self, table: Table, command: str, extra: Mapping[str, object] | None = None
    ) -> dict[str, object]:
        """Store a table's new events as part of `command`; return their metadata.

        A table never stored is stored only if its stream does not exist yet.

        Raises:
            ConcurrencyError: the table changed since it was loaded (or, for
                a new table, was stored by someone else first).
        """
        metadata = self._metadata(table.id, command, extra)
        self._tables.add(table, metadata)
        return metadata

    def holder(self, table: Table, token: str) -> SeatHolder:
        """Return the seat a seat token, or a secret of its player's name, holds.

        A device linked to a claimed name holds the name's seats this way,
        without their tokens (see `players`).

        Raises:
            SeatTokenRejectedError: it is neither.
        """
        try:
            return table.holder_of(token)
        except SeatTokenRejectedError:
            for holder in table.holders.values():
                if holder.computer is None and self.players.holds(holder.player, token):
                    return holder
            raise

    def _table(self, game_id: str) -> Table:
        table = self._table_or_none(game_id)
        if table is None:
            self._app.load_game(game_id)  # raises UnknownGameError for no game at all
            raise NoSeatsError(game_id)
        return table

    def table_or_none(self, game_id: str) -> Table | None:
        """Return a game's table as stored, or None if it has none."""
        return self._table_or_none(game_id)

    def _table_or_none(self, game_id: str) -> Table | None:
        records = self._store.read_stream(self._tables.stream_name(game_id))
        return self._tables.replay(game_id, records) if records else None

    def _keep_complete(self, table: Table) -> None:
        if table.id not in self._complete:
            if len(self._complete) >= COMPLETE_TABLES_KEPT:
                self._complete.clear()
            self._complete[table.id] = table

    def _metadata(
        self, game_id: str, command: str, extra: Mapping[str, object] | None = None
    ) -> dict[str, object]:
        return self._app.command_metadata(
            game_id, command, {**self._via, **(extra or {})}
        )

    def _computer_players(self) -> ComputerPlayers:
        if self._computers is None:
            raise ComputerMissingError
        return self._computers


JSONOrigin = dict[str, object]
"""A fork's `forked_from` metadata: the original's id, stream and move count."""


def _cause(metadata: Mapping[str, object]) -> tuple[str, str]:
    return str(metadata["command"]), str(metadata["causation_id"])


def _issued(table: Table, *tokens: str) -> tuple[IssuedSeat, ...]:
    return tuple(
        IssuedSeat(seat, table.holders[seat].player, token)
        for seat, token in zip(Seat, tokens, strict=False)
    )


def _moves(game: Game) -> list[MoveMade]:
    return [event for event in game.events if isinstance(event, MoveMade)]


def _through_move(
    game: Game, records: Sequence[RecordedEvent], number: int
) -> Sequence[RecordedEvent]:
    """Return the records up to move `number` and the end it brought, if any."""
    seen = 0
    events = game.events  # one event per record, in the same order
    for index, event in enumerate(events):
        if isinstance(event, MoveMade):
            seen += 1
            if seen == number:
                end = index + 1
                if end < len(events) and not isinstance(events[end], MoveMade):
                    end += 1  # the GameFinished the move brought
                return records[:end]
    return records


def _start(game_id: str, one: str, two: str, made: Sequence[MoveMade]) -> Game:
    game = Game(game_id)
    game.start_game(one, two)
    for event in made:
        game.make_move(Move(event.player, event.column))
    return game


def _forked_from(record: RecordedEvent) -> JSONOrigin | None:
    """Return the fork origin a table's first event names, if any.

    Raises:
        UnreadableEventError: the metadata names an origin of the wrong shape.
    """
    try:
        metadata = json.loads(record.metadata)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UnreadableEventError.from_record(record, "metadata is not JSON") from exc
    origin = metadata.get("forked_from") if isinstance(metadata, dict) else None
    if origin is None:
        return None
    if (
        not isinstance(origin, dict)
        or not isinstance(origin.get("game_id"), str)
        or type(origin.get("moves")) is not int
    ):
        raise UnreadableEventError.from_record(record, "forked_from is malformed")
    return origin
