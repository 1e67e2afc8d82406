"""Telling this program's database from another program's, before touching it."""

from __future__ import annotations

from collections.abc import Iterable

OUR_TABLES = ("events", "snapshots")
"""Tables the event store and the snapshots create."""
OUR_PREFIX = "projection_"
"""The read models' tables, which may be created before the events table."""


def is_foreign(tables: Iterable[str]) -> bool:
    """Return whether a database (or schema) holds tables, none of them ours.

    An empty database is ours to set up; one holding any of our tables was
    set up by this program (perhaps only partly) and is ours to finish.
    """
    names = list(tables)
    return bool(names) and not any(
        name in OUR_TABLES or name.startswith(OUR_PREFIX) for name in names
    )
