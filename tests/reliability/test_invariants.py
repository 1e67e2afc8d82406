"""The invariant checks catch each kind of damage they look for.

The torture tests pass only if these checks find nothing, so each check is
shown here to find what it exists to find, on a fake store whose log the test
damages by hand.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from connect_four.eventsourcing.events import NewEvent, RecordedEvent
from connect_four.eventsourcing.store import AppendResult, ExpectedVersion, StreamState
from connect_four.eventsourcing.stores.memory.event_store import InMemoryEventStore
from tests.reliability.invariants import COMMAND_KEY, Ack, LogReport, check_store

GAME = "g1"
STREAM = f"game-{GAME}"


class FixedLogStore:
    """A store whose log is a list the test wrote, damage and all."""

    def __init__(self, log: list[RecordedEvent]) -> None:
        self.log = log

    def append(
        self, stream: str, events: Sequence[NewEvent], expected_version: ExpectedVersion
    ) -> AppendResult:
        """Refuse: the log is fixed."""
        raise NotImplementedError

    def read_stream(self, stream: str, from_position: int = 0) -> list[RecordedEvent]:
        """Return the stream's records in log order."""
        return [
            r
            for r in self.log
            if r.stream == stream and r.stream_position >= from_position
        ]

    def read_all(self, after: int = 0, limit: int = 1000) -> list[RecordedEvent]:
        """Return the records after a global position."""
        return [r for r in self.log if r.global_position > after][:limit]

    def last_global_position(self) -> int:
        """Return the last record's global position."""
        return self.log[-1].global_position if self.log else 0

    def close(self) -> None:
        """Do nothing."""


def data(**fields: str) -> bytes:
    """Return event data as the codec writes it."""
    return json.dumps(fields).encode()


def command(name: str) -> bytes:
    """Return metadata naming the command that wrote an event."""
    return json.dumps({COMMAND_KEY: name}).encode()


def won_game() -> list[RecordedEvent]:
    """Return the log of a game ann wins in column A, one command per append."""
    store = InMemoryEventStore()
    players = data(player_one="ann", player_two="bob")
    started = NewEvent("GameStarted", players, command("c0"))
    store.append(STREAM, [started], StreamState.NO_STREAM)
    columns = "ABABABA"
    for index, column in enumerate(columns):
        player = "ann" if index % 2 == 0 else "bob"
        metadata = command(f"c{index + 1}")
        events = [NewEvent("MoveMade", data(player=player, column=column), metadata)]
        if index == len(columns) - 1:
            result = data(result="PLAYER_ONE_WON")
            events.append(NewEvent("GameFinished", result, metadata))
        store.append(STREAM, events, index)
    return store.read_all()


def check(log: list[RecordedEvent], acks: Sequence[Ack] = ()) -> LogReport:
    """Run every check over a log."""
    return check_store(FixedLogStore(log), acks)


def ack_of(record: RecordedEvent, name: str) -> Ack:
    """Return the ack a worker would have logged for a record."""
    kind = "create" if record.type == "GameStarted" else "move"
    return Ack(
        name, kind, GAME, record.stream_position, record.global_position, "ann", None
    )


def test_a_sound_log_with_its_acks_passes_every_check() -> None:
    log = won_game()

    report = check(log, [ack_of(log[0], "c0"), ack_of(log[7], "c7")])

    assert report.problems == []
    assert (report.games, report.finished_games, report.acked) == (1, 1, 2)


def test_an_acknowledged_move_missing_from_the_store_counts_as_lost() -> None:
    missing = Ack("c9", "move", GAME, 9, 10, "bob", "B")

    report = check(won_game(), [missing])

    assert report.lost == 1


def test_an_acknowledged_move_at_another_global_position_counts_as_lost() -> None:
    moved = Ack("c3", "move", GAME, 3, 99, "bob", "B")

    report = check(won_game(), [moved])

    assert report.lost == 1


def test_a_global_position_out_of_order_is_found() -> None:
    log = won_game()
    shifted = [*log[:4], log[4]._replace(global_position=3), *log[5:]]

    report = check(shifted)

    assert any("global position 3 follows 4" in p for p in report.problems)


def test_a_duplicated_stream_position_is_found() -> None:
    log = won_game()
    log[3] = log[3]._replace(stream_position=2)

    report = check(log)

    assert any("positions in log order" in p for p in report.problems)


def test_a_move_out_of_turn_is_found() -> None:
    log = won_game()
    log[2] = log[2]._replace(data=data(player="ann", column="B"))

    report = check(log)

    assert any("is not legal here" in p for p in report.problems)


def test_a_winning_move_without_its_game_finished_is_found_as_torn() -> None:
    log = won_game()[:-1]

    report = check(log)

    assert any("the game decides" in p for p in report.problems)


def test_a_command_stored_twice_counts_as_duplicated() -> None:
    log = won_game()
    log[4] = log[4]._replace(metadata=command("c3"))

    report = check(log)

    assert report.duplicated == 1


def test_an_undecodable_event_is_reported_with_its_stream_and_position() -> None:
    log = won_game()
    log[2] = log[2]._replace(data=b"\xff not json")

    report = check(log)

    assert any(f"position 2 of stream '{STREAM}'" in p for p in report.problems)
