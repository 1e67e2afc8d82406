"""Rows of text as a table for a terminal: columns as wide as their widest cell."""

from __future__ import annotations

from collections.abc import Collection, Sequence

COLUMN_GAP = "  "


def format_table(
    rows: Sequence[Sequence[str]], right_aligned: Collection[int] = ()
) -> str:
    """Return the rows (headings first) with their columns aligned.

    Cells are left-aligned, except in the columns whose indexes are in
    `right_aligned` (numbers, say); no line ends in spaces.
    """
    if not rows:
        return ""
    widths = [max(len(row[index]) for row in rows) for index in range(len(rows[0]))]
    return "\n".join(
        COLUMN_GAP.join(
            cell.rjust(width) if index in right_aligned else cell.ljust(width)
            for index, (cell, width) in enumerate(zip(row, widths, strict=True))
        ).rstrip()
        for row in rows
    )
