"""The standard workload: complete games of ../shared/bench/games-10k.txt."""

from __future__ import annotations

from pathlib import Path

from connect_four.domain.board import Column

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared/bench/games-10k.txt"
_COLUMNS = list(Column)


def load_games(
    path: Path = DEFAULT_CORPUS, limit: int | None = None
) -> list[list[Column]]:
    """Return the corpus's games as lists of columns, one game a line (digits 1-7)."""
    games: list[list[Column]] = []
    with path.open() as lines:
        for line in lines:
            if limit is not None and len(games) >= limit:
                break
            if line.strip():
                games.append([_COLUMNS[int(digit) - 1] for digit in line.strip()])
    return games
