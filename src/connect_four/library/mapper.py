"""The library's events stored exactly as the seed stores them.

The library's own `Mapper` stores an event's class path as its topic and all
its attributes (the timestamp too) as JSON. To keep the seed's stored data,
this mapper writes the seed's type names (`GameStarted`, `MoveMade`,
`GameFinished`) and our core's (`PlayerResigned`, `WinClaimed`) as topics and
the same JSON as the state, nothing else: either app reads the other's games.
Our core's counterpart is `connect_four.persistence.codec` over
`connect_four.eventsourcing.codec`.

The seed's data has no time in it, so an event read back carries no real
timestamp: `NO_TIME` stands in (our core keeps the time in metadata, which the
library's stored event has no room for).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any, Final
from uuid import UUID

from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import Mapper, StoredEvent
from eventsourcing.utils import get_topic

from connect_four.library.game import Game

NO_TIME: Final = datetime.fromtimestamp(0, UTC)

_TYPES: Final[dict[type[Any], str]] = {
    Game.Started: "GameStarted",
    Game.MoveMade: "MoveMade",
    Game.Finished: "GameFinished",
    Game.Resigned: "PlayerResigned",
    Game.WinClaimed: "WinClaimed",
}
_CLASSES: Final = {name: cls for cls, name in _TYPES.items()}
_FIELDS: Final = {
    "GameStarted": ("player_one", "player_two"),
    "MoveMade": ("player", "column"),
    "GameFinished": ("result",),
    "PlayerResigned": ("player",),
    "WinClaimed": ("player",),
}


class SeedMapper(Mapper[UUID]):
    """Map the game's library events to the seed's type names and JSON data."""

    def to_stored_event(self, domain_event: DomainEventProtocol[UUID]) -> StoredEvent:
        """Return the stored form: the seed's type name and its exact JSON."""
        type_name = _TYPES[type(domain_event)]
        data = {key: getattr(domain_event, key) for key in _FIELDS[type_name]}
        return StoredEvent(
            originator_id=domain_event.originator_id,
            originator_version=domain_event.originator_version,
            topic=type_name,
            state=json.dumps(data).encode("utf-8"),
        )

    def to_domain_event(self, stored_event: StoredEvent) -> DomainEventProtocol[UUID]:
        """Return the library event a stored event holds."""
        cls = _CLASSES[stored_event.topic]
        data = json.loads(stored_event.state.decode("utf-8"))
        extra = {"originator_topic": get_topic(Game)} if cls is Game.Started else {}
        event: DomainEventProtocol[UUID] = cls(
            originator_id=UUID(str(stored_event.originator_id)),
            originator_version=stored_event.originator_version,
            timestamp=NO_TIME,
            **{key: data[key] for key in _FIELDS[stored_event.topic]},
            **extra,
        )
        return event
