"""`Slot`: one generation of a projection's read model, and how far it has read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class Slot:
    """One generation of a projection's read model, and how far it has read."""

    name: str
    generation: int
    active: bool
    checkpoint: int
    """The global position of the last event folded into this slot (0: none)."""
    updated_at: datetime | None
    """When the checkpoint last moved; None if it never has."""
    origin: int = 0
    """The global position this slot's read model began after (0: the beginning)."""
