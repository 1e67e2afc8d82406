"""`ConnectFourApp`: the commands and queries that clients call.

Every event a command stores carries metadata that says where it came from:
`correlation_id` (the game it belongs to), `causation_id` (the id of the
command that caused it, shared by all the events of one command), `command`
(the command's name) and `occurred_at` (when the command ran, ISO 8601 UTC).
Callers may add entries of their own, such as a computer player's evaluation;
the four above always win over them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from connect_four.application.ports import CommandRepository, IGameRepository
from connect_four.domain.board import BoardState
from connect_four.domain.events import MoveMade
from connect_four.domain.exceptions import InvalidMoveError, MoveNumberError
from connect_four.domain.game import Game, Move
from connect_four.domain.result import GameResult
from connect_four.eventsourcing.errors import ConcurrencyError
from connect_four.eventsourcing.ids import new_uuid


@dataclass(frozen=True, slots=True)
class GameState:
    """What a client may know about a game."""

    player_one: str | None
    player_two: str | None
    next_player: str | None
    is_finished: bool
    result: GameResult | None
    board: BoardState


class SeedRepositoryCommands:
    """A plain `IGameRepository` seen as a `CommandRepository`.

    The seed's `add(game)` has no room for metadata, so the metadata is
    dropped, and every command's load is a fresh `get`.
    """

    def __init__(self, repository: IGameRepository) -> None:
        self._repository = repository

    def get(self, game_id: str) -> Game:
        """Load a game from its events.

        Raises:
            UnknownGameError: there is no such game.
        """
        return self._repository.get(game_id)

    def get_for_command(self, game_id: str) -> Game:
        """Load a game fresh: a plain repository has no cache.

        Raises:
            UnknownGameError: there is no such game.
        """
        return self._repository.get(game_id)

    def add(self, game: Game, metadata: Mapping[str, object] | None = None) -> None:
        """Store the game's uncommitted events; the metadata has no place to go.

        Raises:
            ConcurrencyError: the game changed since it was loaded.
        """
        del metadata
        self._repository.add(game)


def is_made_already(game: Game, move: Move, number: int) -> bool:
    """Return whether `move` is the game's move `number` already.

    Raises:
        MoveNumberError: the game's move `number` is another one, or the
            game has not reached that number yet.
    """
    made = [event for event in game.events if isinstance(event, MoveMade)]
    if 1 <= number <= len(made):
        earlier = made[number - 1]
        if earlier.player == move.player and earlier.column == move.column:
            return True
        raise MoveNumberError(
            game.id,
            number,
            f"it was {earlier.player}'s move in column {earlier.column}",
        )
    if number != len(made) + 1:
        raise MoveNumberError(game.id, number, f"the game has {len(made)} moves")
    return False


def utc_now() -> datetime:
    """Return the current time in UTC."""
    return datetime.now(UTC)


class ConnectFourApp:
    """Create games, make moves and read a game's state, through a repository."""

    def __init__(
        self,
        game_repository: IGameRepository,
        *,
        clock: Callable[[], datetime] = utc_now,
        commands: CommandRepository | None = None,
    ) -> None:
        """Serve games from `game_repository`, the seed's port.

        A plain repository is seen through `SeedRepositoryCommands`: no
        metadata is stored and every command reads the game fresh. Give
        `commands` (the same repository, through the app's full interface)
        for metadata and cached loads: the app then uses `commands` alone.
        `ConnectFourApp.over(repository)` passes one repository as both.
        """
        self._games: CommandRepository = (
            SeedRepositoryCommands(game_repository) if commands is None else commands
        )
        self._clock = clock
        # Only a full repository may hand a command a stale, cached game.
        self._commands_load_cached = commands is not None

    @classmethod
    def over(
        cls,
        repository: CommandRepository,
        *,
        clock: Callable[[], datetime] = utc_now,
    ) -> ConnectFourApp:
        """Return an app whose commands use all of `repository`.

        Commands store their metadata with their events and may load the
        game from the repository's cache (see `make_move`).
        """
        return cls(repository, clock=clock, commands=repository)

    def create_game(
        self,
        player_one: str,
        player_two: str,
        *,
        metadata: Mapping[str, object] | None = None,
    ) -> str:
        """Start a new game and return its id.

        Raises:
            InvalidPlayersError: a name is unusable or both are the same.
        """
        game = Game()
        game.start_game(player_one, player_two)
        self._store(game, self._metadata(game.id, "create_game", metadata))
        return game.id

    def make_move(
        self,
        game_id: str,
        move: Move,
        *,
        metadata: Mapping[str, object] | None = None,
        number: int | None = None,
    ) -> None:
        """Make a move in a game; `metadata` is stored with its events.

        With `number` (the move's number in the game, from 1) the command is
        idempotent: if that move is already the game's move `number`, it
        was stored before (a request sent again after a lost answer) and
        nothing more is stored; any other move under a number the game
        has passed or not reached is refused.

        The game comes from the repository's cache when it has one, without
        reading the store. If another writer changed the game since (the
        append then fails, or the cached game refuses the move), the move is
        checked once more against the stored state: the caller then gets the
        true reason it cannot be made (say, it is no longer their turn), or
        the move is stored if it is legal.

        Raises:
            UnknownGameError: there is no such game.
            InvalidMoveError: the move breaks a rule; the subclass says which
                (`MoveNumberError` for a number that is not the next one).
            ConcurrencyError: the game changed again during the retry.
        """
        entries = self._metadata(game_id, "make_move", metadata)
        game = self._games.get_for_command(game_id)
        try:
            self._decide(game, move, number, entries)
        except ConcurrencyError:
            self._decide(self._games.get(game_id), move, number, entries)
        except InvalidMoveError:
            # A cached game may lack the other player's latest move: only
            # the stored state can say the move is really against the rules.
            if not self._commands_load_cached:
                raise
            self._decide(self._games.get(game_id), move, number, entries)

    def _decide(
        self,
        game: Game,
        move: Move,
        number: int | None,
        entries: Mapping[str, object],
    ) -> None:
        if number is not None and is_made_already(game, move, number):
            return
        game.make_move(move)
        self._store(game, entries)

    def resign(
        self,
        game_id: str,
        player: str,
        *,
        metadata: Mapping[str, object] | None = None,
    ) -> None:
        """Give a game up for `player`: `PlayerResigned`, then the other's win.

        Raises:
            UnknownGameError: there is no such game.
            ConnectFourError: the game is not in play, or `player` does not
                play it; the subclass says which.
        """
        entries = self._metadata(game_id, "resign", metadata)
        self._decide_fresh(game_id, lambda game: game.resign(player), entries)

    def claim_win(
        self,
        game_id: str,
        player: str,
        *,
        waited: timedelta,
        limit: timedelta,
        metadata: Mapping[str, object] | None = None,
    ) -> None:
        """Win for `player`, whose opponent has not moved for `waited` on their turn.

        Raises:
            UnknownGameError: there is no such game.
            ClaimRefusedError: it is `player`'s turn, or `waited` is under
                `limit`; the subclass says which.
            ConnectFourError: the game is not in play, or `player` does not
                play it.
        """
        extra = {
            **(metadata or {}),
            "waited_seconds": round(waited.total_seconds()),
            "limit_seconds": round(limit.total_seconds()),
        }
        entries = self._metadata(game_id, "claim_win", extra)
        self._decide_fresh(
            game_id, lambda game: game.claim_win(player, waited, limit), entries
        )

    def _decide_fresh(
        self,
        game_id: str,
        command: Callable[[Game], None],
        entries: Mapping[str, object],
    ) -> None:
        """Run a rare command on the stored game, once more if a move got in first."""
        try:
            game = self._games.get(game_id)
            command(game)
            self._store(game, entries)
        except ConcurrencyError:
            game = self._games.get(game_id)
            command(game)
            self._store(game, entries)

    def get_game(self, game_id: str) -> GameState:
        """Return the current state of a game.

        Raises:
            UnknownGameError: there is no such game.
        """
        game = self._games.get(game_id)
        return GameState(
            player_one=game.player_one,
            player_two=game.player_two,
            next_player=game.next_player,
            is_finished=game.is_finished,
            result=game.result,
            board=game.board,
        )

    def add_new_game(
        self,
        game: Game,
        command: str,
        metadata: Mapping[str, object] | None = None,
        *,
        causation_id: str | None = None,
    ) -> None:
        """Store a game another service built and started (a fork, a seated game).

        `causation_id` names the command that caused it, when the game's start
        is part of a command on another aggregate (opening a table, say).

        Raises:
            ConcurrencyError: a game with that id is stored already.
        """
        entries = self.command_metadata(game.id, command, metadata)
        if causation_id is not None:
            entries["causation_id"] = causation_id
        self._store(game, entries)

    def command_metadata(
        self, game_id: str, command: str, extra: Mapping[str, object] | None = None
    ) -> dict[str, object]:
        """Return the metadata a command's events are stored with (see above)."""
        return self._metadata(game_id, command, extra)

    def _metadata(
        self, game_id: str, command: str, extra: Mapping[str, object] | None
    ) -> dict[str, object]:
        return {
            **(extra or {}),
            "correlation_id": game_id,
            "causation_id": new_uuid(),
            "command": command,
            "occurred_at": self._clock().isoformat(),
        }

    def _store(self, game: Game, metadata: Mapping[str, object]) -> None:
        self._games.add(game, metadata)

    def load_game(self, game_id: str) -> Game:
        """Return the game aggregate itself, for clients that show its history.

        Raises:
            UnknownGameError: there is no such game.
        """
        return self._games.get(game_id)
