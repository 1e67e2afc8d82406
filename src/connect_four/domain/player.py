"""The `Player` aggregate: a name that is someone's, and the devices that hold it.

A person claims a name the first time they play under it, with no sign-up
form: the claim stores the digest of a secret that their device keeps (a
browser in its local storage, a terminal in a file). From then on a command
that plays under the name must bring a secret the player holds.

A player is stored in the stream of the name's key (`player-{name_key}`,
see `names`), so "Ann", "ann" and "ANN" are one stream, and two people who
claim one name at the same moment race for the same "no stream" append: one
of them fails to store, on any server of the store.

To play from another device, the player asks for a device link: a one-time
code, valid for a while, whose digest the player keeps. The other device
brings the code back and receives a secret of its own (`DeviceLinked`), so
both devices hold the name, and the seats it holds, from then on.

Secrets and codes are chosen by the caller (randomness and the clock are
passed in, as everywhere in the domain); the player keeps only their digests.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TypeAlias, assert_never

from connect_four.domain.exceptions import (
    InvalidPlayerNameError,
    LinkRejectedError,
    NameTakenError,
)
from connect_four.domain.names import check_human_name, name_key
from connect_four.domain.table import digest
from connect_four.eventsourcing.aggregate import Aggregate
from connect_four.eventsourcing.errors import ImpossibleEventError


@dataclass(frozen=True, slots=True)
class NameClaimed:
    """A person claimed a name; the secret with this digest plays under it."""

    name: str
    secret_sha256: str


@dataclass(frozen=True, slots=True)
class DeviceLinkIssued:
    """A one-time code to hold the name on another device, valid until `expires_at`."""

    link_sha256: str
    expires_at: str
    """ISO 8601 time, with its offset."""


@dataclass(frozen=True, slots=True)
class DeviceLinked:
    """Another device brought the link's code and holds the name with a secret too."""

    link_sha256: str
    secret_sha256: str


PlayerEvent: TypeAlias = NameClaimed | DeviceLinkIssued | DeviceLinked
"""Every event a player can record."""

PLAYER_EVENT_TYPES: tuple[type[PlayerEvent], ...] = (
    NameClaimed,
    DeviceLinkIssued,
    DeviceLinked,
)


class Player(Aggregate[PlayerEvent]):
    """A claimed name, and the digests of the secrets that play under it."""

    def __init__(self, id: str) -> None:
        super().__init__(id)
        self.name: str | None = None
        self.secrets: list[str] = []
        self.link: tuple[str, datetime] | None = None

    @property
    def is_claimed(self) -> bool:
        """Return whether someone has claimed the name."""
        return self.name is not None

    def claim(self, name: str, secret: str) -> None:
        """Claim a free name for the device that keeps `secret`.

        Raises:
            InvalidPlayersError: the name is unusable or the computer's.
            NameTakenError: the name is claimed already.
        """
        check_human_name(name)
        if name_key(name) != self.id:
            raise InvalidPlayerNameError(name, f"is not the name of player {self.id!r}")
        if self.name is not None:
            raise NameTakenError(self.name)
        self.record(NameClaimed(name, digest(secret)))

    def holds(self, secrets: Iterable[str]) -> bool:
        """Return whether one of the secrets plays under this name.

        Every secret is compared with every digest in constant time, so the
        time taken does not tell which one matched.
        """
        found = False
        for secret in secrets:
            secret_sha256 = digest(secret)
            for held in self.secrets:
                found = hmac.compare_digest(secret_sha256, held) or found
        return found

    def check(self, secrets: Iterable[str]) -> None:
        """Pass if one of the secrets plays under this name.

        Raises:
            NameTakenError: none does (or the name is not claimed at all).
        """
        if self.name is None or not self.holds(secrets):
            raise NameTakenError(self.name or self.id)

    def issue_link(self, secret: str, code: str, expires_at: datetime) -> None:
        """Issue a one-time device link; a newer link replaces an unused older one.

        Raises:
            NameTakenError: `secret` does not play under this name.
        """
        self.check([secret])
        self.record(DeviceLinkIssued(digest(code), expires_at.isoformat()))

    def link_device(self, code: str, secret: str, now: datetime) -> None:
        """Let the device that brought the link's code hold the name with `secret`.

        Raises:
            LinkRejectedError: the code is not the open link's, or it expired.
        """
        name = self.name or self.id
        if self.link is None or not hmac.compare_digest(digest(code), self.link[0]):
            raise LinkRejectedError(name, "is not valid: it is used or was replaced")
        if now >= self.link[1]:
            raise LinkRejectedError(name, "has expired: ask for a new one")
        self.record(DeviceLinked(self.link[0], digest(secret)))

    def apply(self, event: PlayerEvent) -> None:
        """Change the player by one event.

        Raises:
            ImpossibleEventError: the event cannot follow the player's history.
        """
        match event:
            case NameClaimed(name, secret_sha256):
                if self.name is not None:
                    raise ImpossibleEventError(f"{self.id!r} is claimed already")
                self.name = name
                self.secrets.append(secret_sha256)
            case DeviceLinkIssued(link_sha256, expires_at):
                if self.name is None:
                    raise ImpossibleEventError("a link for a name nobody claimed")
                try:
                    expiry = datetime.fromisoformat(expires_at)
                except ValueError:
                    raise ImpossibleEventError(f"bad time {expires_at!r}") from None
                self.link = (link_sha256, expiry)
            case DeviceLinked(link_sha256, secret_sha256):
                if self.link is None or self.link[0] != link_sha256:
                    raise ImpossibleEventError("a device linked without its link")
                self.link = None
                self.secrets.append(secret_sha256)
            case _:
                assert_never(event)
