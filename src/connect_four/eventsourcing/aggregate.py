"""The `Aggregate` base: state that comes only from events."""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Generic, Self, TypeVar

from connect_four.eventsourcing.errors import ImpossibleEventError

E = TypeVar("E")

NEW: int = -1
"""The version of an aggregate that has never been stored."""


class Aggregate(Generic[E]):
    """A consistency boundary whose state is a fold over its events.

    Commands (methods of subclasses) check the rules against the current state
    and then `record` new events; `apply` is the only place that changes state.
    Replaying the same events therefore always rebuilds the same state.

    `version` is the stream position of the last stored event (`NEW` if none),
    which is exactly the expected version for the next append.
    """

    def __init__(self, id: str) -> None:
        self.id = id
        self.version = NEW
        self.historical_events: list[E] = []
        self.uncommitted_events: list[E] = []

    @property
    def events(self) -> list[E]:
        """Return a new list of the historical events, then the uncommitted ones."""
        return self.historical_events + self.uncommitted_events

    def apply(self, event: E) -> None:
        """Change the state by one event; subclasses say how."""
        raise NotImplementedError

    def record(self, event: E) -> None:
        """Apply a new event and keep it until the repository stores it."""
        self.apply(event)
        self.uncommitted_events.append(event)

    def load_from_history(self, events: Iterable[E]) -> None:
        """Rebuild the state by applying stored events in order.

        Raises:
            ImpossibleEventError: an event cannot follow the ones before it.
        """
        events = list(events)
        apply = self.apply
        for index, event in enumerate(events):
            try:
                apply(event)
            except ImpossibleEventError as error:
                error.position = self.version + 1 + index
                raise
        self.historical_events.extend(events)
        self.version += len(events)
        if not events:
            return
        try:
            self.check_history()
        except ImpossibleEventError as error:
            if error.position is None:
                error.position = self.version
            raise

    def check_history(self) -> None:
        """Raise if a stored history could not have ended where it does.

        Each event is checked as it is applied; this checks what only the
        end of the history shows, such as a decisive event whose consequence
        the same append should have stored. Subclasses say what; by default
        any history may end anywhere.

        Raises:
            ImpossibleEventError: the history lacks an event it must end with;
                its `position` names the event to blame, or is left None for
                the last one.
        """

    def clone(self) -> Self:
        """Return a copy that shares no changeable state with this aggregate.

        The repository's cache hands out and keeps such copies. This deep copy
        is always right; a subclass may override it with a cheaper one that
        copies each changeable attribute itself (events are immutable, so the
        event lists need copying but their events do not).
        """
        return copy.deepcopy(self)

    def mark_committed(self) -> None:
        """Move the uncommitted events into history once they are stored."""
        self.version += len(self.uncommitted_events)
        self.historical_events.extend(self.uncommitted_events)
        self.uncommitted_events.clear()
