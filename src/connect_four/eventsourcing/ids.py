"""Random identifiers for events, commands and aggregates."""

from __future__ import annotations

import re
import uuid


def new_uuid() -> str:
    """Return a random (version 4) UUID in its usual text form."""
    return str(uuid.uuid4())


_CANONICAL_UUID = re.compile(
    r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
).fullmatch


def is_canonical_uuid(value: object) -> bool:
    """Return whether a value is a UUID in its canonical text form (lower case).

    Stores keep ids as text (SQLite) or as a UUID type that prints them in
    lower case (PostgreSQL, KurrentDB), so only this one spelling of an id
    reads back exactly as it was written.
    """
    return type(value) is str and _CANONICAL_UUID(value) is not None
