"""The load generator: a writer process that plays many games at once.

Run by `torture` as separate processes, so that they can be killed with
SIGKILL at any moment (the projector beside them is the real
`connect-four projections run`):

    python -m tests.reliability.load worker --store URL --dir DIR --worker N ...

A worker plays through `ConnectFourApp`, as every client does. It keeps a few
"hot" games shared with the other workers (their ids are appended to
`DIR/games.txt`), so that two workers often move in the same game at the same
moment; a short pause between loading a game and storing the move widens that
window on purpose. Some commands are wrong on purpose (out of turn, a stranger,
a full or unknown column, a finished or unknown game) and must be refused.

After the app returns from a command, the worker appends one line to
`DIR/acks-N.jsonl` with where the store put it, and fsyncs the file: only then
does the command count as acknowledged. Counters go to `DIR/stats-N.json`.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
import uuid
from collections import Counter
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Final

from connect_four.application import ConnectFourApp, GameState, UnknownGameError
from connect_four.domain.board import ROWS, Column
from connect_four.domain.exceptions import ConnectFourError
from connect_four.domain.game import Game, Move
from connect_four.eventsourcing.errors import ConcurrencyError, StoreUnavailableError
from connect_four.eventsourcing.stores import open_store
from connect_four.persistence.game_repository import EventSourcedGameRepository
from tests.reliability.invariants import COMMAND_KEY, Ack

PLAYERS: Final = (
    "ann", "bob", "cy", "dee", "eve", "fay", "gus", "hal", "ida", "jo", "kim", "lu",
)  # fmt: skip
STRANGER: Final = "mallory"
STATS_EVERY: Final = 5


@dataclass(slots=True)
class Stats:
    """What one worker tried and what became of it."""

    attempted: int = 0
    accepted: int = 0
    rejected: Counter[str] = field(default_factory=Counter)
    collisions: int = 0
    """Appends the store refused because another writer moved first."""
    resolved_by_retry: int = 0
    """Moves stored by the app's one retry after a collision."""
    unavailable: int = 0

    def to_json(self) -> str:
        """Return the counters as JSON."""
        return json.dumps({**asdict(self), "rejected": dict(self.rejected)})


class RecordingGameRepository:
    """The app's repository, noting where each command's events landed.

    It remembers the id the app gave the last command (its `causation_id`)
    and where the first event of its append landed, so the worker can log
    them; it counts collisions, and pauses after a load now and then, as a
    slow client would, so that collisions happen often.
    """

    def __init__(
        self, games: EventSourcedGameRepository, rng: random.Random, stats: Stats
    ) -> None:
        self._games = games
        self._rng = rng
        self._stats = stats
        self.command = ""
        self.landed: tuple[int, int] | None = None
        """Stream and global position of the last append's first event."""

    def get(self, game_id: str) -> Game:
        """Load a game, then sometimes dawdle before the caller decides."""
        game = self._games.get(game_id)
        if self._rng.random() < 0.3:
            time.sleep(self._rng.uniform(0.0, 0.003))
        return game

    def get_for_command(self, game_id: str) -> Game:
        """Load a game for a command: fresh, so that collisions show at the append."""
        return self.get(game_id)

    def add(self, game: Game, metadata: Mapping[str, object] | None = None) -> None:
        """Store the game's new events; note the command id and where they landed."""
        count = len(game.uncommitted_events)
        try:
            result = self._games.append(game, metadata)
        except ConcurrencyError:
            self._stats.collisions += 1
            raise
        self.command = str((metadata or {}).get(COMMAND_KEY, ""))
        if result is not None:
            first = count - 1
            self.landed = (
                result.stream_position - first,
                result.global_position - first,
            )


class Worker:
    """Play commands against the shared hot games until time or count runs out."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.directory = Path(args.dir)
        self.number: int = args.worker
        self.hot: int = args.hot
        self.rng = random.Random(args.seed)
        self.stats = Stats()
        self.store = open_store(args.store)
        self.games = RecordingGameRepository(
            EventSourcedGameRepository(self.store), self.rng, self.stats
        )
        self.app = ConnectFourApp.over(self.games)
        self.known: list[str] = []
        self.finished: set[str] = set()
        self._offset = 0
        flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT
        self._acks = os.open(self.directory / f"acks-{self.number}.jsonl", flags)
        self._shared = os.open(self.directory / "games.txt", flags)

    def run(self, seconds: float, commands: int) -> None:
        """Issue commands until the time is up or enough were attempted."""
        deadline = time.monotonic() + seconds
        try:
            while time.monotonic() < deadline and self.stats.attempted < commands:
                self._refresh()
                self._one_command()
                if self.stats.attempted % STATS_EVERY == 0:
                    self._write_stats()
        finally:
            self._write_stats()
            self.store.close()

    def _one_command(self) -> None:
        recent = self.known[-4 * self.hot :]
        open_games = [game for game in recent if game not in self.finished]
        roll = self.rng.random()
        if len(open_games) < self.hot or roll < 0.02:
            self._create()
        elif roll < 0.03:
            self._move(str(uuid.uuid4()))  # an unknown game: refused
        elif roll < 0.05 and self.finished:
            self._move(self.rng.choice(sorted(self.finished)))  # over: refused
        else:
            self._move(self.rng.choice(open_games))

    def _create(self) -> None:
        one, two = self.rng.sample(PLAYERS, 2)
        if self.rng.random() < 0.02:
            two = one.upper()  # the same player twice: refused
        self._begin()
        try:
            game_id = self.app.create_game(one, two)
        except ConnectFourError as exc:
            self._reject(exc)
            return
        except StoreUnavailableError:
            self.stats.unavailable += 1
            return
        self._acknowledge("create", game_id, one, None)
        os.write(self._shared, f"{game_id}\n".encode())

    def _move(self, game_id: str) -> None:
        try:
            state = self.app.get_game(game_id)
        except UnknownGameError:
            state = None
        if state is not None and state.is_finished:
            self.finished.add(game_id)
        move = self._choose(state)
        self._begin()
        collisions = self.stats.collisions
        try:
            self.app.make_move(game_id, move)
        except (ConnectFourError, UnknownGameError, ConcurrencyError) as exc:
            self._reject(exc)
            return
        except StoreUnavailableError:
            self.stats.unavailable += 1
            return
        if self.stats.collisions > collisions:
            self.stats.resolved_by_retry += 1
        self._acknowledge("move", game_id, move.player, str(move.column))

    def _choose(self, state: GameState | None) -> Move:
        if state is None or state.player_one is None or state.player_two is None:
            return Move(STRANGER, Column.A)
        one, two = state.player_one, state.player_two
        roll = self.rng.random()
        if roll < 0.04:
            player = STRANGER
        elif roll < 0.10:
            player = two if state.next_player == one else one
        else:
            player = state.next_player or one
        full = [column for column in Column if len(state.board[column]) >= ROWS]
        free = [column for column in Column if len(state.board[column]) < ROWS]
        roll = self.rng.random()
        if roll < 0.03:
            return Move(player, "Z")  # type: ignore[arg-type]  # a client's bad input
        if (roll < 0.08 and full) or not free:
            return Move(player, self.rng.choice(full or list(Column)))
        return Move(player, self.rng.choice(free))

    def _begin(self) -> None:
        self.stats.attempted += 1
        self.games.command = ""
        self.games.landed = None

    def _reject(self, exc: Exception) -> None:
        self.stats.rejected[type(exc).__name__] += 1

    def _acknowledge(
        self, kind: str, game_id: str, player: str, column: str | None
    ) -> None:
        landed, command = self.games.landed, self.games.command
        if landed is None or not command:
            raise RuntimeError(f"the app stored no {kind} command in {game_id}")
        ack = Ack(command, kind, game_id, landed[0], landed[1], player, column)
        os.write(self._acks, (ack.to_json() + "\n").encode())
        os.fsync(self._acks)
        self.stats.accepted += 1

    def _refresh(self) -> None:
        with open(self.directory / "games.txt", "rb") as shared:
            shared.seek(self._offset)
            chunk = shared.read()
        complete = chunk[: chunk.rfind(b"\n") + 1]
        self._offset += len(complete)
        self.known.extend(complete.decode().split())

    def _write_stats(self) -> None:
        path = self.directory / f"stats-{self.number}.json"
        temporary = path.with_suffix(".tmp")
        temporary.write_text(self.stats.to_json(), encoding="utf-8")
        os.replace(temporary, path)


def build_parser() -> argparse.ArgumentParser:
    """Return the parser of the worker process."""
    parser = argparse.ArgumentParser(prog="python -m tests.reliability.load")
    commands = parser.add_subparsers(dest="command", required=True)
    worker = commands.add_parser("worker", help="play commands and log the acks")
    worker.add_argument("--store", required=True)
    worker.add_argument("--dir", required=True)
    worker.add_argument("--worker", type=int, required=True)
    worker.add_argument("--seed", type=int, required=True)
    worker.add_argument("--hot", type=int, default=2, help="open games to share")
    worker.add_argument("--seconds", type=float, default=3.0)
    worker.add_argument("--commands", type=int, default=10**9)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one worker."""
    args = build_parser().parse_args(argv)
    Worker(args).run(args.seconds, args.commands)
    return 0


if __name__ == "__main__":
    sys.exit(main())
