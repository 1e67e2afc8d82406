"""The bit masks and orders the engine derives from the board's geometry.

Plain constants, importable anywhere: `position` uses them without loading the
kernel, and numba reads them as compile-time constants.
"""

from __future__ import annotations

from typing import Final

from connect_four.domain.board import COLUMNS, HEIGHT, ROWS

CELLS: Final = ROWS * COLUMNS
BOTTOM: Final = sum(1 << (column * HEIGHT) for column in range(COLUMNS))
"""One bit at the foot of each column."""
BOARD: Final = BOTTOM * ((1 << ROWS) - 1)
"""Every cell of the board (the spare bits excluded)."""
ODD_ROWS: Final = BOTTOM * sum(1 << row for row in range(0, ROWS, 2))
"""Rows 1, 3 and 5 counted from the bottom: the first player's threats there count."""
EVEN_ROWS: Final = BOARD ^ ODD_ROWS
CENTRE: Final = ((1 << ROWS) - 1) << (COLUMNS // 2 * HEIGHT)
ORDER: Final = tuple(
    COLUMNS // 2 + (1 - 2 * (index % 2)) * ((index + 1) // 2)
    for index in range(COLUMNS)
)
"""Columns from the centre outwards: central moves take part in more lines."""
