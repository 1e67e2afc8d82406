"""Find streams by name for the stream browser, a page at a time.

A log holds a stream per game and one per game's seats: thousands of names,
which a sidebar can only show a page at a time. The list comes newest first
(by the position of each stream's last event); a prefix (`game-`, `seats-`)
or any part of a name narrows it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from connect_four.eventsourcing.codec import JSONObject

MAX_SEARCH: Final = 200
"""Characters of a search text; no stream name needs more to be found."""


@dataclass(frozen=True, slots=True)
class StreamQuery:
    """Which streams to show: a prefix, a part of the name, and the page."""

    prefix: str = ""
    search: str = ""
    offset: int = 0
    limit: int = 50

    def matches(self, name: str) -> bool:
        """Return whether a stream's name starts with the prefix and holds the text."""
        return (
            name.startswith(self.prefix) and self.search.casefold() in name.casefold()
        )


def page_of_streams(
    streams: Sequence[JSONObject], query: StreamQuery
) -> tuple[list[JSONObject], int]:
    """Return one page of the matching streams, in the given order, and their count."""
    chosen = [view for view in streams if query.matches(str(view["stream"]))]
    return chosen[query.offset : query.offset + query.limit], len(chosen)
