"""The names this terminal plays under: their secrets, in a file of the user's.

The terminal follows the browser's rules (see `application/players.py`): the
first time it plays under a free name it claims it, and keeps the secret the
claim returns in this file; a name claimed elsewhere (in a browser, in another
user's terminal) is refused unless the file holds one of its secrets, which
`connect-four names link` brings from a device link.

The file is `names.json` in the user's configuration folder
(`~/.config/connect-four/` on Linux), or the path in `CONNECT_FOUR_NAMES`.
It is written only by its owner and read only by them (mode 0600), and
replaced whole, so an interrupted write leaves the old file.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from connect_four.application.players import Identity
from connect_four.domain.names import name_key

NAMES_ENV: Final = "CONNECT_FOUR_NAMES"


@dataclass(frozen=True)
class HeldName:
    """A name this terminal plays under, and one of its secrets."""

    player: str
    key: str
    secret: str


def names_path() -> Path:
    """Return the file of this user's names: `$CONNECT_FOUR_NAMES`, else the default."""
    chosen = os.environ.get(NAMES_ENV)
    if chosen:
        return Path(chosen)
    if sys.platform == "win32":
        base = Path(os.environ.get("APPDATA", Path.home() / "AppData" / "Roaming"))
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return base / "connect-four" / "names.json"


class NamesFile:
    """The names one user's terminals play under, kept in one file."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def held(self) -> list[HeldName]:
        """Return the names kept, oldest first; none if the file is missing or bad."""
        try:
            kept = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError):
            return []
        if not isinstance(kept, list):
            return []
        return [
            HeldName(str(item["player"]), str(item["key"]), str(item["secret"]))
            for item in kept
            if isinstance(item, dict) and {"player", "key", "secret"} <= item.keys()
        ]

    def secrets(self) -> list[str]:
        """Return every secret kept: one store's claims may differ from another's."""
        return [held.secret for held in self.held()]

    def holds(self, name: str) -> bool:
        """Return whether a secret for the name is kept (for some store)."""
        key = name_key(name)
        return any(held.key == key for held in self.held())

    def keep(self, identity: Identity) -> None:
        """Add a name's new secret to the file.

        Raises:
            OSError: the file cannot be written.
        """
        if identity.secret is None:
            return
        kept = [
            {"player": held.player, "key": held.key, "secret": held.secret}
            for held in self.held()
        ]
        kept.append(
            {"player": identity.player, "key": identity.key, "secret": identity.secret}
        )
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_name(self.path.name + ".tmp")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            json.dump(kept, file, ensure_ascii=False, indent=1)
        os.replace(temporary, self.path)
