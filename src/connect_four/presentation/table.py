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


def fit_table(
    rows: Sequence[Sequence[str]], width: int, shrinkable: Collection[int]
) -> list[Sequence[str]]:
    """Return the rows with cells cut ("…") so that `format_table` fits `width`.

    Only the columns in `shrinkable` are cut, the last of them first, and none
    below its heading's width.
    """
    table = [list(row) for row in rows]
    if not table:
        return []
    count = len(table[0])
    widths = [max(len(row[index]) for row in table) for index in range(count)]
    excess = sum(widths) + len(COLUMN_GAP) * (count - 1) - width
    for index in sorted((i for i in shrinkable if i < count), reverse=True):
        if excess <= 0:
            break
        floor = max(len(table[0][index]), 1)
        allowed = max(widths[index] - excess, floor)
        excess -= widths[index] - allowed
        for row in table[1:]:
            if len(row[index]) > allowed:
                row[index] = row[index][: allowed - 1] + "…"
    return [tuple(row) for row in table]
