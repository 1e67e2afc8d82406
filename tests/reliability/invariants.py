"""Check, from the raw events, that a store lost, duplicated and tore nothing.

These checks read only what the store holds (and what the load generator was
told succeeded), never the code paths that wrote it:

- the global log is strictly ordered (PostgreSQL numbers it sparsely, from
  transaction ids, so gaps are allowed; a follower that skipped an event shows
  as read models unequal to their recomputation), and every event in it is
  the same event its stream returns at the same position;
- every stream's positions are 0..n, without gap or duplicate, in log order;
- event ids are unique;
- every game stream replays as a legal game: deciding its moves again on a
  fresh `Game` yields exactly the stored events, and the events one move
  produced (a winning move and `GameFinished`) sit next to each other in the
  log, as one atomic append puts them;
- every acknowledged command is stored where the store said it was, once;
- the read models equal a recomputation from position zero.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from connect_four.domain.events import GameFinished, GameStarted, MoveMade
from connect_four.domain.exceptions import ConnectFourError
from connect_four.domain.game import Game, Move
from connect_four.eventsourcing.errors import InvalidStoreURLError, UnreadableEventError
from connect_four.eventsourcing.events import RecordedEvent
from connect_four.eventsourcing.projection_storage import ProjectionStorage
from connect_four.eventsourcing.store import EventStore
from connect_four.eventsourcing.stores import open_projection_storage
from connect_four.eventsourcing.stores.memory.projection_storage import (
    InMemoryProjectionStorage,
)
from connect_four.persistence.codec import GAME_STREAM_PREFIX, game_codec
from connect_four.readmodels import ReadModels

COMMAND_KEY: Final = "causation_id"
"""The metadata key under which the app stores the id of the command that
wrote an event; every event of one command carries the same id."""
PAGE: Final = 2000


@dataclass(frozen=True, slots=True)
class Ack:
    """A command the load generator was told succeeded, and where it landed."""

    command: str
    kind: str
    """`create` or `move`."""
    game: str
    stream_position: int
    global_position: int
    player: str
    column: str | None

    def to_json(self) -> str:
        """Return the ack as one line of JSON."""
        return json.dumps(
            {
                "command": self.command,
                "kind": self.kind,
                "game": self.game,
                "stream_position": self.stream_position,
                "global_position": self.global_position,
                "player": self.player,
                "column": self.column,
            }
        )

    @classmethod
    def from_json(cls, line: str) -> Ack:
        """Read an ack back from its line."""
        data = json.loads(line)
        return cls(
            str(data["command"]),
            str(data["kind"]),
            str(data["game"]),
            int(data["stream_position"]),
            int(data["global_position"]),
            str(data["player"]),
            None if data["column"] is None else str(data["column"]),
        )


def read_acks(directory: Path) -> list[Ack]:
    """Return every ack the workers logged in a run directory.

    A worker killed while writing leaves at most a partial last line, which
    was never acknowledged (the line is written after the app returned, and
    the command counts as acknowledged only once the whole line is on disk).
    """
    acks = []
    for path in sorted(directory.glob("acks-*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines(keepends=True):
            if line.endswith("\n"):
                acks.append(Ack.from_json(line))
    return acks


@dataclass(slots=True)
class LogReport:
    """What the checks found: counts, and every broken invariant in words."""

    events: int = 0
    streams: int = 0
    games: int = 0
    finished_games: int = 0
    acked: int = 0
    lost: int = 0
    duplicated: int = 0
    projections: str = "not checked"
    problems: list[str] = field(default_factory=list)

    def problem(self, text: str) -> None:
        """Note a broken invariant (only the first few hundred are kept)."""
        if len(self.problems) < 200:
            self.problems.append(text)


def read_log(store: EventStore) -> list[RecordedEvent]:
    """Return the whole global log, read page by page as a follower would."""
    log: list[RecordedEvent] = []
    after = 0
    while page := store.read_all(after, PAGE):
        log.extend(page)
        after = page[-1].global_position
    return log


def check_store(store: EventStore, acks: Iterable[Ack] = ()) -> LogReport:
    """Check every invariant of the log, the streams and the acks."""
    report = LogReport()
    log = read_log(store)
    report.events = len(log)
    _check_global_order(log, report)
    streams = _check_streams(store, log, report)
    report.streams = len(streams)
    for stream, records in streams.items():
        if stream.startswith(GAME_STREAM_PREFIX):
            report.games += 1
            _check_game(stream, records, report)
    _check_acks(log, streams, list(acks), report)
    return report


def _check_global_order(log: list[RecordedEvent], report: LogReport) -> None:
    previous = 0
    for record in log:
        if record.global_position <= previous:
            report.problem(
                f"global position {record.global_position} follows {previous}"
            )
        previous = record.global_position
    ids = Counter(record.id for record in log)
    for event_id, count in ids.items():
        if count > 1:
            report.problem(f"event id {event_id} is stored {count} times")


def _check_streams(
    store: EventStore, log: list[RecordedEvent], report: LogReport
) -> dict[str, list[RecordedEvent]]:
    streams: dict[str, list[RecordedEvent]] = defaultdict(list)
    for record in log:
        streams[record.stream].append(record)
    for stream, records in streams.items():
        positions = [record.stream_position for record in records]
        if positions != list(range(len(records))):
            report.problem(f"{stream}: positions in log order are {positions}")
        if _key(store.read_stream(stream)) != _key(records):
            report.problem(f"{stream}: read_stream differs from the global log")
    return streams


def _key(
    records: list[RecordedEvent],
) -> list[tuple[str, int, int, str, bytes, bytes]]:
    return [
        (r.id, r.stream_position, r.global_position, r.type, r.data, r.metadata)
        for r in records
    ]


def _check_game(stream: str, records: list[RecordedEvent], report: LogReport) -> None:
    """Decide the stored moves again on a fresh game: it must record the same."""
    try:
        events = game_codec().decode_all(records)
    except UnreadableEventError as exc:
        report.problem(str(exc))
        return
    game = Game(stream.removeprefix(GAME_STREAM_PREFIX))
    for index, event in enumerate(events):
        done = len(game.uncommitted_events)
        if done > index:
            continue  # recorded by the move before, as its GameFinished
        try:
            match event:
                case GameStarted(player_one, player_two):
                    game.start_game(player_one, player_two)
                case MoveMade(player, column):
                    game.make_move(Move(player, column))
                case GameFinished():
                    report.problem(f"{stream}@{index}: GameFinished follows no move")
                    return
        except ConnectFourError as exc:
            report.problem(f"{stream}@{index}: {event} is not legal here: {exc}")
            return
        produced = game.uncommitted_events[done:]
        if events[index : index + len(produced)] != produced:
            report.problem(
                f"{stream}@{index}: the game decides {produced}, the store holds"
                f" {events[index : index + len(produced)]}"
            )
            return
        spread = records[index : index + len(produced)]
        globals_ = [record.global_position for record in spread]
        if globals_ != list(range(globals_[0], globals_[0] + len(spread))):
            report.problem(f"{stream}@{index}: one move's events are torn apart")
    if len(game.uncommitted_events) != len(events):
        report.problem(f"{stream}: the game records more events than are stored")
    if game.is_finished:
        report.finished_games += 1


def command_of(record: RecordedEvent) -> str | None:
    """Return the id of the command that wrote an event, if its metadata has one."""
    try:
        metadata = json.loads(record.metadata)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None
    value = metadata.get(COMMAND_KEY) if isinstance(metadata, dict) else None
    return value if isinstance(value, str) else None


def _check_acks(
    log: list[RecordedEvent],
    streams: dict[str, list[RecordedEvent]],
    acks: list[Ack],
    report: LogReport,
) -> None:
    # A command is stored once if its events are one run in one stream, holding
    # one GameStarted or one MoveMade: the same move stored twice (a retry of
    # a write that had in fact succeeded) would show as a second run.
    runs: dict[str, list[RecordedEvent]] = defaultdict(list)
    for record in log:
        command = command_of(record)
        if command is not None:
            runs[command].append(record)
    for command, records in runs.items():
        starts = sum(r.type in ("GameStarted", "MoveMade") for r in records)
        globals_ = [r.global_position for r in records]
        contiguous = globals_ == list(range(globals_[0], globals_[0] + len(records)))
        if starts != 1 or not contiguous:
            report.duplicated += max(starts - 1, 1)
            report.problem(f"command {command} is stored as {_describe(records)}")
    report.acked = len(acks)
    for ack in acks:
        reason = _ack_missing(ack, streams)
        if reason is not None:
            report.lost += 1
            report.problem(f"acknowledged {ack.kind} {ack.command} {reason}")


def _ack_missing(ack: Ack, streams: dict[str, list[RecordedEvent]]) -> str | None:
    records = streams.get(GAME_STREAM_PREFIX + ack.game, [])
    if ack.stream_position >= len(records):
        return f"is missing: {ack.game} has {len(records)} events"
    record = records[ack.stream_position]
    expected_type = "GameStarted" if ack.kind == "create" else "MoveMade"
    if command_of(record) != ack.command or record.type != expected_type:
        return f"is missing: position {ack.stream_position} holds another event"
    if record.global_position != ack.global_position:
        return (
            f"moved: the store said global position {ack.global_position},"
            f" it is at {record.global_position}"
        )
    return None


def _describe(records: list[RecordedEvent]) -> str:
    return ", ".join(f"{r.type}@{r.stream}:{r.stream_position}" for r in records)


def check_projections(url: str, store: EventStore, report: LogReport) -> None:
    """Catch the stored read models up and compare them with a recomputation."""
    try:
        storage = open_projection_storage(url)
    except InvalidStoreURLError as exc:
        report.projections = f"not available: {exc.reason}"
        return
    try:
        stored = _read_models(store, storage)
        fresh = _read_models(store, InMemoryProjectionStorage())
        stored.catch_up()
        fresh.catch_up()
        mismatches = [name for name, same in _compare(stored, fresh) if not same]
        head = store.last_global_position()
        behind = [
            status.slot.name
            for status in stored.statuses()
            if status.slot.active and status.slot.checkpoint != head
        ]
    finally:
        storage.close()
    if mismatches:
        report.problem(f"read models differ from a recomputation: {mismatches}")
    if behind:
        report.problem(f"read models not at the head after catching up: {behind}")
    report.projections = "equal to a recomputation" if not mismatches else "DIFFER"


def _read_models(store: EventStore, storage: ProjectionStorage) -> ReadModels:
    return ReadModels(store, storage)


def _compare(stored: ReadModels, fresh: ReadModels) -> Iterator[tuple[str, bool]]:
    yield "games", stored.games() == fresh.games()
    yield "leaderboard", stored.leaderboard() == fresh.leaderboard()
    yield "tables", stored.waiting() == fresh.waiting()


def is_prefix(shorter: list[RecordedEvent], longer: list[RecordedEvent]) -> bool:
    """Return whether one log is exactly the start of another."""
    return _key(shorter) == _key(longer[: len(shorter)])
