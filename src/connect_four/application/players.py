"""`PlayerService`: claim a name, play under it, and take it to another device.

The one door to the `Player` aggregate (`domain/player.py`), for the web and
the terminal alike. A name nobody has claimed is free: anyone may play under
it, and the first to claim it gets a secret, returned once, that their device
keeps. A claimed name plays only with one of its player's secrets. Every
client claims a name the first time it plays under it (the lobby and the
terminal do), so a name in use is soon a name that is someone's.

Claims are stored in the shared store, expecting "no stream" for a new name,
so of two people claiming one name at once on two servers, one is told the
name is taken.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Final

from connect_four.domain.exceptions import LinkRejectedError, NameTakenError
from connect_four.domain.names import check_human_name, name_key
from connect_four.domain.player import Player, PlayerEvent
from connect_four.eventsourcing.errors import ConcurrencyError
from connect_four.eventsourcing.ids import new_uuid
from connect_four.eventsourcing.repository import Repository

LINK_LIFETIME: Final = timedelta(minutes=30)
"""How long a device link may wait to be used."""


@dataclass(frozen=True, slots=True)
class Identity:
    """A name as claimed, and the secret that plays under it (shown once)."""

    player: str
    key: str
    secret: str | None
    """The new secret, for the device to keep; None if it holds one already."""


@dataclass(frozen=True, slots=True)
class DeviceLink:
    """A one-time code that lets another device play under a name."""

    player: str
    code: str
    expires_at: datetime


def utc_now() -> datetime:
    """Return the current time, in UTC."""
    return datetime.now(UTC)


class PlayerService:
    """Claim names, check who plays under them, link devices."""

    def __init__(
        self,
        players: Repository[Player, PlayerEvent],
        secret: Callable[[], str],
        *,
        clock: Callable[[], datetime] = utc_now,
        via: str = "web",
    ) -> None:
        """Keep claimed names in `players`, each in the stream of its name's key."""
        self._players = players
        self._secret = secret
        self._clock = clock
        self._via = via

    def stream_name(self, name: str) -> str:
        """Return the stream that holds a name's player."""
        return self._players.stream_name(name_key(name))

    def claim(self, name: str, secrets: Iterable[str] = ()) -> Identity:
        """Claim a free name; for a name the secrets hold already, say so.

        Raises:
            InvalidPlayersError: the name is unusable or the computer's.
            NameTakenError: someone else claimed it.
        """
        name = check_human_name(compose(name))
        player = self._player(name)
        if player.is_claimed:
            player.check(secrets)
            return Identity(str(player.name), player.id, None)
        secret = self._secret()
        player.claim(name, secret)
        try:
            self._players.add(player, self._metadata(player, "claim_name"))
        except ConcurrencyError:
            raise NameTakenError(name) from None  # claimed a moment earlier
        return Identity(name, player.id, secret)

    def play_as(self, name: str, secrets: Iterable[str]) -> str:
        """Return the name to play under: the claimed spelling, or the name if free.

        Raises:
            InvalidPlayersError: the name is unusable or the computer's.
            NameTakenError: the name is claimed and no secret plays under it.
        """
        name = check_human_name(compose(name))
        player = self._player(name)
        if not player.is_claimed:
            return name
        player.check(secrets)
        return str(player.name)

    def check_claimed(self, name: str, secrets: Iterable[str]) -> None:
        """Pass if the name is free, or one of the secrets plays under it.

        Raises:
            NameTakenError: the name is claimed and no secret plays under it.
        """
        player = self._player(name)
        if player.is_claimed:
            player.check(secrets)

    def holds(self, name: str, secret: str) -> bool:
        """Return whether the name is claimed and `secret` plays under it."""
        player = self._player(name)
        return player.is_claimed and player.holds([secret])

    def issue_link(self, name: str, secret: str) -> DeviceLink:
        """Issue a one-time link for another device to play under the name.

        Raises:
            LinkRejectedError: nobody has claimed the name.
            NameTakenError: `secret` does not play under the name.
        """
        player = self._player(compose(name))
        if not player.is_claimed:
            raise LinkRejectedError(name, "cannot be made: nobody claimed the name")
        code = self._secret()
        expires_at = self._clock() + LINK_LIFETIME
        player.issue_link(secret, code, expires_at)
        self._players.add(player, self._metadata(player, "issue_device_link"))
        return DeviceLink(str(player.name), code, expires_at)

    def link_device(self, name: str, code: str) -> Identity:
        """Give the device that brought a link's code a secret of its own.

        Raises:
            LinkRejectedError: the code is unknown, used, replaced or expired.
        """
        player = self._player(compose(name))
        if not player.is_claimed:
            raise LinkRejectedError(name, "names a player nobody claimed")
        secret = self._secret()
        player.link_device(code, secret, self._clock())
        try:
            self._players.add(player, self._metadata(player, "link_device"))
        except ConcurrencyError:
            raise LinkRejectedError(name, "was used a moment ago") from None
        return Identity(str(player.name), player.id, secret)

    def _player(self, name: str) -> Player:
        key = name_key(name)
        records = self._players.store.read_stream(self._players.stream_name(key))
        return self._players.replay(key, records) if records else Player(key)

    def _metadata(self, player: Player, command: str) -> dict[str, object]:
        return {
            "via": self._via,
            "correlation_id": player.id,
            "causation_id": new_uuid(),
            "command": command,
            "occurred_at": self._clock().isoformat(),
        }


def compose(name: str) -> str:
    """Return a name in NFC, the one spelling of it that reaches the store."""
    return unicodedata.normalize("NFC", name) if isinstance(name, str) else name
