"""`AggregateCache`: the aggregates a repository last saw, so loads replay only news.

A server handles one command per request: load the aggregate, decide, append.
Loading replays the whole stream, so the fortieth move of a game replays
thirty-nine events first, and that replay is most of what a command costs.
With a cache the repository keeps a private copy of each aggregate it has
just loaded or stored; the next load reads only the events after the copy's
version (usually none), applies them, and hands out another copy.

A command may even skip that read (`Repository.get_for_command`): its
append is checked against the stream anyway.

It stays correct with other writers (threads, processes, machines):
- `get` still reads the stream, from the cached version on, so it never
  returns less than the store held when the load began;
- an append names the exact version the aggregate was loaded at, so a write
  that lands after the copy was made still fails with a `ConcurrencyError`,
  as it would without a cache, and the command is decided again on a fresh
  load;
- the cache hands out copies and keeps copies, so a caller that changes an
  aggregate, or fails halfway through a command, never changes the cache.

Only state that comes from stored events is cached; an aggregate with
uncommitted events is never put in.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Generic, TypeVar

from connect_four.eventsourcing.aggregate import Aggregate

A = TypeVar("A", bound=Aggregate)  # type: ignore[type-arg]  # any event type


class AggregateCache(Generic[A]):
    """Keep copies of the `size` most recently used aggregates, by stream."""

    def __init__(self, size: int) -> None:
        if size < 1:
            raise ValueError(f"a cache holds at least one aggregate, not {size}")
        self.size = size
        self._copies: OrderedDict[str, A] = OrderedDict()
        self._lock = threading.Lock()

    def take(self, stream: str) -> A | None:
        """Remove and return the cached copy for a stream, if there is one.

        Taking it out makes the caller its only holder, free to bring it up
        to date; `keep` puts a copy back.
        """
        with self._lock:
            return self._copies.pop(stream, None)

    def keep(self, stream: str, aggregate: A) -> None:
        """Cache a copy of a stored aggregate, evicting the least recently used."""
        if aggregate.uncommitted_events:
            return
        copy = aggregate.clone()
        with self._lock:
            copies = self._copies
            copies[stream] = copy
            copies.move_to_end(stream)
            if len(copies) > self.size:
                copies.popitem(last=False)
