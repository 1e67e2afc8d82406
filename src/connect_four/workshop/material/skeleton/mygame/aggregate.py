"""Exercise 1: the aggregate, whose state comes only from events."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Generic, TypeVar

E = TypeVar("E")

NEW = -1
"""The version of an aggregate that has never been stored."""


class Aggregate(Generic[E]):
    """A consistency boundary whose state is a fold over its events.

    Attributes to set up in `__init__`:
        id: the aggregate's id, as given.
        version: the stream position of the last *stored* event (`NEW` if none).
        historical_events: the events it was loaded from, oldest first.
        uncommitted_events: the events recorded since, not stored yet.
    """

    def __init__(self, id: str) -> None:
        raise NotImplementedError("exercise 1: keep the id, start at version NEW")

    @property
    def events(self) -> list[E]:
        """Return a new list: the historical events, then the uncommitted ones."""
        raise NotImplementedError("exercise 1")

    def apply(self, event: E) -> None:
        """Change the state by one event; subclasses such as `Game` say how."""
        raise NotImplementedError("exercise 1: Game overrides this")

    def record(self, event: E) -> None:
        """Apply a new event and keep it as uncommitted."""
        raise NotImplementedError("exercise 1")

    def load_from_history(self, events: Iterable[E]) -> None:
        """Apply stored events in order; they become historical, `version` moves."""
        raise NotImplementedError("exercise 1")

    def mark_committed(self) -> None:
        """Move the uncommitted events into history once they are stored."""
        raise NotImplementedError("exercise 3")
