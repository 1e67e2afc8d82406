"""Player names: which are allowed, when two are the same, which are reserved.

A name is what a person types, and one person types it in more than one way:
"Ann" and "ann", or "émile" with its accent as one code point (NFC) or as a
letter and a combining mark (NFD). Names are therefore compared by a key, the
NFC form case-folded, everywhere a name is looked up or counted (whose turn it
is, the leaderboard, `games --player`), and never as typed.

Names are shown on boards, lists and log lines, so a name may not hold
characters that are invisible or move text around: control and format
characters, unassigned code points, and line or paragraph separators.

Names of the form "computer (LEVEL)" belong to the computer opponent. The game
itself cannot tell who typed a name, so the edges (the application service,
the terminal, the web) refuse them for people with `check_human_name`.
"""

from __future__ import annotations

import unicodedata
from typing import Final

from connect_four.domain.exceptions import InvalidPlayerNameError

MAX_NAME_LENGTH: Final = 40
"""The longest name in code points: room for a name, short enough for a board."""

_REFUSED_CATEGORIES: Final = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
"""Control, format, surrogate, private-use, unassigned; line, paragraph separators."""

_COMPUTER_PREFIX: Final = "computer ("


def normalize_name(name: str) -> str:
    """Return a typed name as it is stored: surrounding spaces gone, in NFC.

    Edges call this on what a person typed before they check or store it, so
    that one spelling of a name reaches the game.
    """
    return unicodedata.normalize("NFC", name.strip())


def name_key(name: str) -> str:
    """Return the key two names are compared by: NFC, case-folded, NFC again.

    Case folding can undo NFC (it expands some letters), hence the second pass.
    """
    folded = unicodedata.normalize("NFC", name).casefold()
    return unicodedata.normalize("NFC", folded)


def same_player(first: str, second: str) -> bool:
    """Return whether two names name the same player."""
    return name_key(first) == name_key(second)


def check_name(name: object) -> str:
    """Return the name if a player may be called by it.

    Raises:
        InvalidPlayerNameError: the name is not text, is empty, too long,
            starts or ends with spaces, or holds a refused character.
    """
    if not isinstance(name, str) or not name.strip():
        raise InvalidPlayerNameError(str(name), "is empty")
    if len(name) > MAX_NAME_LENGTH:
        raise InvalidPlayerNameError(
            name[:MAX_NAME_LENGTH] + "…", f"is longer than {MAX_NAME_LENGTH} characters"
        )
    if name != name.strip():
        raise InvalidPlayerNameError(name, "starts or ends with spaces")
    if any(unicodedata.category(char) in _REFUSED_CATEGORIES for char in name):
        raise InvalidPlayerNameError(name, "holds control or invisible characters")
    return name


def computer_name(level: str) -> str:
    """Return the name the computer plays under at a level, e.g. "computer (hard)"."""
    return f"computer ({level})"


def is_computer_name(name: str) -> bool:
    """Return whether a name is reserved for the computer opponent."""
    key = name_key(name).strip()
    return key == "computer" or (key.startswith(_COMPUTER_PREFIX) and key.endswith(")"))


def check_human_name(name: object) -> str:
    """Return the name if a person may play under it.

    Raises:
        InvalidPlayerNameError: the name is unusable (see `check_name`) or
            reserved for the computer opponent.
    """
    checked = check_name(name)
    if is_computer_name(checked):
        raise InvalidPlayerNameError(checked, "is reserved for the computer opponent")
    return checked
