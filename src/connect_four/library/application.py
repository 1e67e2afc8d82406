"""`LibraryConnectFourApp`: the seed's commands and queries on the library.

Besides the seed's three, it resigns a game and claims a win as our core's
app does (`resign`, `claim_win`); the caller measures how long the opponent
has been gone, as `connect_four.application.game_life` does for our app.

`eventsourcing.application.Application` gives the repository (`self.repository`),
`save` (which appends an aggregate's new events at its version, refusing the
append if another writer got there first), the recorders (in memory, SQLite,
PostgreSQL, chosen by environment) and the notification log over all events.
Our core's counterparts are `connect_four.application.service`,
`connect_four.eventsourcing.repository` and `connect_four.eventsourcing.stores`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import Mapper, RecordConflictError

from connect_four.application import GameState, UnknownGameError
from connect_four.domain.game import Move
from connect_four.eventsourcing.errors import InvalidStoreURLError
from connect_four.eventsourcing.stores.sqlite.url import is_sqlite_url, sqlite_path
from connect_four.library.game import Game
from connect_four.library.mapper import SeedMapper


class LibraryConnectFourApp(Application[UUID]):
    """Create games, make moves, end games and read their state, with the library."""

    name = "ConnectFour"

    def construct_mapper(self) -> Mapper[UUID]:
        """Return the mapper that stores events in the seed's format."""
        return SeedMapper(transcoder=self.construct_transcoder())

    def create_game(self, player_one: str, player_two: str) -> str:
        """Start a new game and return its id.

        Raises:
            InvalidPlayersError: a name is unusable or both are the same.
        """
        game = Game.start(player_one, player_two)
        self.save(game)
        return str(game.id)

    def make_move(self, game_id: str, move: Move) -> None:
        """Make a move in a game.

        If another writer stored a move since the game was loaded, the save is
        refused; the move is then decided once more on the stored state.

        Raises:
            UnknownGameError: there is no such game.
            InvalidMoveError: the move breaks a rule; the subclass says which.
            RecordConflictError: the game changed again during the retry.
        """
        self._decide(game_id, lambda game: game.make_move(move))

    def resign(self, game_id: str, player: str) -> None:
        """Give a game up for `player`: `PlayerResigned`, then the other's win.

        Raises:
            UnknownGameError: there is no such game.
            ConnectFourError: the game is over, or `player` does not play it;
                the subclass says which.
            RecordConflictError: the game changed again during the retry.
        """
        self._decide(game_id, lambda game: game.resign(player))

    def claim_win(
        self, game_id: str, player: str, *, waited: timedelta, limit: timedelta
    ) -> None:
        """Win for `player`, whose opponent has not moved for `waited` on their turn.

        Raises:
            UnknownGameError: there is no such game.
            ClaimRefusedError: it is `player`'s turn, or `waited` is under
                `limit`; the subclass says which.
            ConnectFourError: the game is over, or `player` does not play it.
            RecordConflictError: the game changed again during the retry.
        """
        self._decide(game_id, lambda game: game.claim_win(player, waited, limit))

    def get_game(self, game_id: str) -> GameState:
        """Return the current state of a game.

        Raises:
            UnknownGameError: there is no such game.
        """
        game = self.load_game(game_id)
        return GameState(
            player_one=game.player_one,
            player_two=game.player_two,
            next_player=game.next_player,
            is_finished=game.is_finished,
            result=game.result,
            board=game.board,
        )

    def load_game(self, game_id: str) -> Game:
        """Return the game aggregate itself.

        Raises:
            UnknownGameError: there is no such game.
        """
        try:
            game: Game = self.repository.get(UUID(game_id))
        except (ValueError, AggregateNotFoundError):
            raise UnknownGameError(game_id) from None
        return game

    def _decide(self, game_id: str, command: Callable[[Game], None]) -> None:
        """Run a command on the stored game, again if another writer got in first."""
        try:
            self._decide_once(game_id, command)
        except RecordConflictError:
            self._decide_once(game_id, command)

    def _decide_once(self, game_id: str, command: Callable[[Game], None]) -> None:
        game = self.load_game(game_id)
        command(game)
        self.save(game)


def open_library_app(url: str, *, cache_size: int = 0) -> LibraryConnectFourApp:
    """Return the app on the store a URL names: `memory:` or a `sqlite:` URL.

    A `sqlite:` URL names its file as `open_store` reads it (`sqlite:///abs.db`,
    `sqlite://rel.db`), so both apps open the same file from the same URL.

    With `cache_size`, the library's repository keeps that many aggregates in
    memory and reads only the events stored since (its `AGGREGATE_CACHE_MAXSIZE`
    with fast-forwarding), as our repository's cache does.

    Raises:
        ValueError: the URL names another kind of store.
    """
    env = {"AGGREGATE_CACHE_MAXSIZE": str(cache_size)} if cache_size else {}
    if url == "memory:":
        env["PERSISTENCE_MODULE"] = "eventsourcing.popo"
    elif is_sqlite_url(url):
        env["PERSISTENCE_MODULE"] = "eventsourcing.sqlite"
        try:
            env["SQLITE_DBNAME"] = sqlite_path(url)
        except InvalidStoreURLError as error:
            raise ValueError(str(error)) from error
    else:
        raise ValueError(f"the library app runs on memory: or sqlite:PATH, not {url}")
    return LibraryConnectFourApp(env=env)
