"""`ReadModels`: the game's read side, for the CLI and the web app to query.

It holds the projections (the game list, the leaderboard and the tables of
games waiting for a second player), a runner for each and the queries over
their documents. It reads the streams with the game's own codec
(`persistence/codec.py`), but never opens a store itself: the composition
root passes in the event store and the projection storage next to it (see
`eventsourcing/stores/__init__.py`).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from typing import Final, TypeAlias

from connect_four.domain.events import GameEvent
from connect_four.domain.table import TableEvent
from connect_four.eventsourcing.errors import (
    StoreUnavailableError,
    UnknownProjectionError,
)
from connect_four.eventsourcing.projection_storage import ProjectionStorage
from connect_four.eventsourcing.projections import (
    Progress,
    Projection,
    ProjectionRunner,
    ProjectionStatus,
    projection_statuses,
)
from connect_four.eventsourcing.slots import Slot
from connect_four.eventsourcing.store import EventStore
from connect_four.eventsourcing.subscriptions import (
    PAGE_SIZE,
    POLL_INTERVAL,
    AppendNotifier,
)
from connect_four.persistence.codec import (
    GAME_STREAM_PREFIX,
    TABLE_STREAM_PREFIX,
    game_codec,
    table_codec,
)
from connect_four.readmodels.games import (
    GamesProjection,
    GameStatus,
    GameSummary,
    find_game,
    list_games,
)
from connect_four.readmodels.leaderboard import (
    LeaderboardProjection,
    Standing,
    standings,
)
from connect_four.readmodels.tables import (
    TablesProjection,
    TableSummary,
    waiting_tables,
)

Runner: TypeAlias = ProjectionRunner[GameEvent] | ProjectionRunner[TableEvent]

logger = logging.getLogger(__name__)

RETRY_SECONDS: Final = 1.0
"""How often a running projection whose store is down tries again."""


class ReadModels:
    """Keep the game list and the leaderboard current, and answer queries from them.

    Queries read whatever the projections hold; call `catch_up` first for an
    answer that includes every event stored so far, or keep a `run` going in
    the background (the web app's way).
    """

    def __init__(
        self,
        store: EventStore,
        storage: ProjectionStorage,
        *,
        page_size: int = PAGE_SIZE,
        poll_interval: float = POLL_INTERVAL,
        notifier: AppendNotifier | None = None,
    ) -> None:
        self.store = store
        self.storage = storage
        self._stopping = threading.Event()
        codec = game_codec()
        projections: tuple[Projection[GameEvent], ...] = (
            GamesProjection(codec, GAME_STREAM_PREFIX),
            LeaderboardProjection(codec, GAME_STREAM_PREFIX),
        )
        self._runners: dict[str, Runner] = {
            projection.name: ProjectionRunner(
                store,
                storage,
                projection,
                page_size=page_size,
                poll_interval=poll_interval,
                notifier=notifier,
            )
            for projection in projections
        }
        # The web's tables: the games still waiting for a second player.
        tables = TablesProjection(table_codec(), TABLE_STREAM_PREFIX)
        self._runners[tables.name] = ProjectionRunner(
            store,
            storage,
            tables,
            page_size=page_size,
            poll_interval=poll_interval,
            notifier=notifier,
        )

    @property
    def names(self) -> tuple[str, ...]:
        """Return the names of the projections, in the order they are listed."""
        return tuple(self._runners)

    def runner(self, name: str) -> Runner:
        """Return the runner of one projection.

        Raises:
            UnknownProjectionError: no projection has that name.
        """
        runner = self._runners.get(name)
        if runner is None:
            raise UnknownProjectionError(name)
        return runner

    def catch_up(self, names: Iterable[str] = ()) -> list[Slot]:
        """Fold every stored event into the named projections (all if none named).

        Raises:
            UnknownProjectionError: a name is not a projection's.
            ProjectionStoppedError: a stored event cannot be read.
        """
        return [self.runner(name).catch_up() for name in (tuple(names) or self.names)]

    def run(self, names: Iterable[str] = ()) -> None:
        """Keep the named projections (all if none named) current until `stop()`.

        Each runs in a thread of its own, catching up and then following the
        log live; this call blocks until they have all ended. If one stops on
        an error, the others are stopped too and the error is raised here.

        Raises:
            UnknownProjectionError: a name is not a projection's.
            ProjectionStoppedError: a stored event cannot be read.
        """
        runners = [self.runner(name) for name in (tuple(names) or self.names)]
        failures: list[BaseException] = []

        def follow(runner: Runner) -> None:
            try:
                self._follow(runner)
            # The thread's top level: hand any failure to the calling thread,
            # which raises it, rather than let the thread die with a traceback.
            except BaseException as exc:  # noqa: BLE001
                failures.append(exc)
                self.stop()

        threads = [
            threading.Thread(target=follow, args=(runner,), name=runner.projection.name)
            for runner in runners
        ]
        for thread in threads:
            thread.start()
        try:
            for thread in threads:
                while thread.is_alive():
                    # A bounded join lets Ctrl-C reach the calling thread.
                    thread.join(timeout=0.5)
        finally:
            self.stop()
            for thread in threads:
                thread.join()
        if failures:
            raise failures[0]

    def stop(self) -> None:
        """Ask every running projection to end after its current page."""
        self._stopping.set()
        for runner in self._runners.values():
            runner.stop()

    def _follow(self, runner: Runner) -> None:
        """Run one projection until stopped, waiting out a store that is down.

        A database restart, or an administrator cutting connections, must
        not end the runner for good: it says so once, tries again every
        `RETRY_SECONDS`, and goes on from its stored checkpoint.
        """
        name = runner.projection.name
        paused = False
        while True:
            try:
                runner.run()
            except StoreUnavailableError as exc:
                if not paused:
                    logger.warning("projection %s paused: %s", name, exc)
                paused = True
                if self._stopping.wait(RETRY_SECONDS):
                    return
                continue
            return

    def rebuild(
        self, name: str, progress: Progress | None = None, *, after: int = 0
    ) -> Slot:
        """Rebuild one projection beside the serving one, which keeps answering.

        The new read model folds the events after global position `after`
        (0: every event) and takes over once it has caught up with the old.

        Raises:
            UnknownProjectionError: no projection has that name.
            ProjectionStoppedError: a stored event cannot be read.
        """
        return self.runner(name).rebuild(progress, after=after)

    def head(self) -> int:
        """Return the global position of the newest stored event (0 if none)."""
        return self.store.last_global_position()

    def statuses(self) -> list[ProjectionStatus]:
        """Return each slot's checkpoint and lag behind the newest stored event."""
        for name in self.names:
            self.storage.serving_slot(name)
        return projection_statuses(self.store, self.storage)

    def games(
        self,
        *,
        status: GameStatus | None = None,
        player: str | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[GameSummary]:
        """Return the game list, newest first, filtered by status and player."""
        return list_games(
            self.storage, status=status, player=player, limit=limit, offset=offset
        )

    def game(self, game_id: str) -> GameSummary | None:
        """Return one game's line of the game list, or None if it is not there."""
        return find_game(self.storage, game_id)

    def waiting(self, limit: int | None = None) -> list[TableSummary]:
        """Return the tables whose invite is open, newest first (none if untracked)."""
        if TablesProjection.name not in self._runners:
            return []
        return waiting_tables(self.storage, limit)

    def leaderboard(self) -> list[Standing]:
        """Return every player's standing, best rating first."""
        return standings(self.storage)
