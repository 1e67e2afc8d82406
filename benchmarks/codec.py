"""The codec's caches: the plain `EventCodec` against `CachingEventCodec`.

Plays games of the corpus into a memory store, then, in rounds that alternate
the two codecs (A B A B, so that a machine busy with other work hits both
alike), decodes every game's stream as a load does and encodes every event
as the commands did. Prints the medians of events per second.

    python -m benchmarks.codec --games 1000 --rounds 6
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Sequence
from pathlib import Path

from benchmarks.corpus import DEFAULT_CORPUS, load_games
from connect_four.application import ConnectFourApp
from connect_four.domain.events import EVENT_TYPES, GameEvent
from connect_four.domain.game import Move
from connect_four.eventsourcing.codec import EventCodec, Upcaster
from connect_four.eventsourcing.codec_cache import CachingEventCodec
from connect_four.eventsourcing.events import RecordedEvent
from connect_four.eventsourcing.stores.memory.event_store import InMemoryEventStore
from connect_four.persistence.codec import MOVE_MADE_SCHEMA, column_number_to_letter
from connect_four.persistence.game_repository import EventSourcedGameRepository


def codec(kind: type[EventCodec[GameEvent]]) -> EventCodec[GameEvent]:
    """Return the game's codec, built as `persistence.codec.game_codec` builds it."""
    return kind(
        EVENT_TYPES,
        upcasters=[Upcaster("MoveMade", 1, column_number_to_letter)],
        versions={"MoveMade": MOVE_MADE_SCHEMA},
        unversioned={"MoveMade": MOVE_MADE_SCHEMA},
    )


def streams(corpus: Path, games: int) -> list[list[RecordedEvent]]:
    """Play the corpus's first games into a memory store; return their streams."""
    store = InMemoryEventStore()
    app = ConnectFourApp.over(EventSourcedGameRepository(store))
    ids = []
    for columns in load_games(corpus, games):
        game_id = app.create_game("ann", "bob")
        for index, column in enumerate(columns):
            app.make_move(game_id, Move("ann" if index % 2 == 0 else "bob", column))
        ids.append(game_id)
    return [store.read_stream(f"game-{game_id}") for game_id in ids]


def decode_rate(
    kind: type[EventCodec[GameEvent]], records: Sequence[list[RecordedEvent]]
) -> tuple[float, float]:
    """Return decoded and encoded events per second with a fresh codec."""
    reader = codec(kind)
    count = sum(len(stream) for stream in records)
    start = time.perf_counter()
    decoded = [reader.decode_all(stream) for stream in records]
    decoding = time.perf_counter() - start
    writer = codec(kind)
    start = time.perf_counter()
    for events in decoded:
        for event in events:
            writer.encode(event)
    encoding = time.perf_counter() - start
    return count / decoding, count / encoding


def main(argv: Sequence[str] | None = None) -> None:
    """Measure both codecs in alternating rounds and print the medians."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--games", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=6)
    args = parser.parse_args(argv)
    records = streams(args.corpus, args.games)
    kinds: dict[str, type[EventCodec[GameEvent]]] = {
        "plain EventCodec": EventCodec,
        "CachingEventCodec": CachingEventCodec,
    }
    rates: dict[str, list[tuple[float, float]]] = {name: [] for name in kinds}
    for _ in range(args.rounds):
        for name, kind in kinds.items():
            rates[name].append(decode_rate(kind, records))
    events = sum(len(stream) for stream in records)
    print(f"{len(records)} games, {events} events, {args.rounds} rounds A B A B")
    for name, measured in rates.items():
        decoded = statistics.median(rate for rate, _ in measured)
        encoded = statistics.median(rate for _, rate in measured)
        print(
            f"{name:>18}: decode {decoded:>11,.0f} events/s  encode {encoded:>11,.0f}/s"
        )


if __name__ == "__main__":
    main()
