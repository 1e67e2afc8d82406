"""Where the CLI keeps its games: option, then environment, then a default file."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

STORE_ENV = "CONNECT_FOUR_STORE"
PROJECTIONS_ENV = "CONNECT_FOUR_PROJECTIONS"
"""Where the read models live, when not in the store's own database (see `wiring`)."""
STORE_HELP = (
    "event store URL: sqlite:///abs/path.db or sqlite://relative.db,"
    " postgresql://..., kurrentdb://..., memory:"
    f" (default: ${STORE_ENV}, else a SQLite file in your data directory)"
)

GAME_ID_HELP = "the game's id, or its first 6 or more characters"


def default_store_url() -> str:
    """Return the SQLite file in the user's data folder, creating that folder.

    The data folder is the one folder a store URL may bring into being: a
    folder named in a URL must exist (a typo must not scatter folders).
    """
    return f"sqlite://{data_folder() / 'games.db'}"


def data_folder() -> Path:
    """Return the user's data folder for the game, per platform custom; create it."""
    if sys.platform == "win32":
        base = Path(os.environ.get("APPDATA", Path.home() / "AppData" / "Roaming"))
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local/share")
    folder = base / "connect-four"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def store_url(args: argparse.Namespace) -> str:
    """Return the store URL chosen by `--store`, then the environment, then default."""
    chosen: str | None = getattr(args, "store", None)
    return chosen or os.environ.get(STORE_ENV) or default_store_url()


def add_store_option(parser: argparse.ArgumentParser) -> None:
    """Let a command take `--store` after its name too, as well as before it."""
    parser.add_argument(
        "--store", metavar="URL", default=argparse.SUPPRESS, help=STORE_HELP
    )
