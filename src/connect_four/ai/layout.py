"""How the kernel's state arrays are laid out, and the scales of its scores.

Plain constants, importable without loading (or compiling) the kernel.
"""

from __future__ import annotations

from typing import Final

from connect_four.ai.geometry import CELLS

NODES: Final = 0
"""Index in the stats array of the nodes searched so far."""
LIMIT: Final = 1
"""Index of the node count at which a search gives up."""
ABORTED: Final = 2
"""Index of the flag set when a search gave up."""
GENERATION: Final = 3
"""Index of the solver table's generation: entries of older ones are empty."""
SEARCH_GENERATION: Final = 4
"""Index of the depth-limited search table's generation."""
STATS_SIZE: Final = 5

FRAME: Final = 16
"""Slots per ply in `scratch` for the solver: position, window, sorted moves."""
SCRATCH_SIZE: Final = (CELLS + 1) * FRAME
"""One frame per ply (the depth-limited search uses the first 7 slots of each)."""

MIN_SCORE: Final = -(CELLS // 2) + 3
"""The lowest score the solver stores: a loss against the opponent's 4th stone."""
MAX_SCORE: Final = (CELLS + 1) // 2 - 3
WIN: Final = 1000
"""A proven score times WIN is worth more than any heuristic evaluation."""
