"""`connect-four names`: the names this terminal plays under, and device links.

`play` claims each name the terminal plays under the first time (see
`names_file`); this command lists them, brings a name claimed in a browser
to this terminal with the browser's device link, and makes a link that takes
a name of this terminal to a browser.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final
from urllib.parse import parse_qs, quote, urlsplit

from connect_four.cli.settings import add_store_option

if TYPE_CHECKING:
    from connect_four.application.players import PlayerService
    from connect_four.cli.names_file import NamesFile
    from connect_four.cli.terminal import Terminal

DEFAULT_SERVER: Final = "http://127.0.0.1:8000"


def register(subcommands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `names` command."""
    parser = subcommands.add_parser(
        "names",
        help="the names this terminal plays under; move one to or from a browser",
        description="A name is claimed the first time it is played, in a browser"
        " or here; from then on only the device that claimed it (or one it was"
        " linked to) plays under it. Without arguments: list this terminal's"
        " names.",
    )
    actions = parser.add_mutually_exclusive_group()
    actions.add_argument(
        "--link",
        metavar="LINK",
        help="play here under a name claimed elsewhere: the device link the"
        ' browser showed ("Use on another device")',
    )
    actions.add_argument(
        "--share",
        metavar="NAME",
        help="make a one-time link (30 minutes) that lets a browser play under"
        " one of this terminal's names",
    )
    parser.add_argument(
        "--server",
        metavar="URL",
        default=DEFAULT_SERVER,
        help=f"the browser game's address, for --share (default: {DEFAULT_SERVER})",
    )
    add_store_option(parser)
    parser.set_defaults(handler=names_command)


def names_command(args: argparse.Namespace) -> int:
    """List this terminal's names, take a device link, or make one."""
    from connect_four.cli.names_file import NamesFile, names_path
    from connect_four.cli.wiring import open_app

    names = NamesFile(names_path())
    if args.link is None and args.share is None:
        held = sorted({held.player for held in names.held()}, key=str.casefold)
        if not held:
            print(
                "This terminal plays under no name yet; `connect-four play` claims one."
            )
        for player in held:
            print(player)
        return 0
    with open_app(args) as wiring:
        players = wiring.players()
        if args.link is not None:
            player, code = parse_link(args.link)
            identity = players.link_device(player, code)
            names.keep(identity)
            print(f"This terminal now plays under {identity.player} too.")
            return 0
        secrets = names.secrets()
        link = players.issue_link(args.share, _one_of(players, args.share, secrets))
        base = args.server.rstrip("/")
        print(f"Open this link in the browser, once, by {link.expires_at:%H:%M} UTC:")
        print(f"  {base}/#player={quote(link.player, safe='')}&link={link.code}")
        return 0


def _one_of(players: PlayerService, name: str, secrets: Iterable[str]) -> str:
    """Return the kept secret that plays under the name, or any (to be refused)."""
    for secret in secrets:
        if players.holds(name, secret):
            return secret
    return ""


def parse_link(link: str) -> tuple[str, str]:
    """Return the name and code of a device link (`...#player=NAME&link=CODE`).

    Raises:
        LinkRejectedError: the text holds no name and code.
    """
    from connect_four.domain.exceptions import LinkRejectedError

    fragment = urlsplit(link.strip()).fragment
    params = parse_qs(fragment)
    player, code = params.get("player"), params.get("link")
    if not player or not code:
        raise LinkRejectedError(link[:60], "is not a device link (#player=…&link=…)")
    return player[0], code[0]


@dataclass
class TerminalNames:
    """The rules for the names this terminal plays under, for `play`.

    A free name is played as typed and claimed once the game holds it; a
    claimed one only if the names file keeps one of its secrets.
    """

    players: PlayerService
    file: NamesFile
    terminal: Terminal

    def play_as(self, name: str) -> str:
        """Return the name as the game stores it.

        Raises:
            InvalidPlayersError: the name is unusable.
            NameTakenError: it is claimed, and this terminal holds no secret of it.
        """
        return self.players.play_as(name, self.file.secrets())

    def check(self, names: Iterable[str]) -> None:
        """Pass if this terminal may play under every one of the names.

        Raises:
            NameTakenError: one is claimed, and this terminal holds no secret of it.
        """
        secrets = self.file.secrets()
        for name in names:
            self.players.check_claimed(name, secrets)

    def claim(self, names: Iterable[str]) -> None:
        """Claim the free names among these, keeping their secrets in the file."""
        for name in names:
            identity = self.players.claim(name, self.file.secrets())
            if identity.secret is None:
                continue
            try:
                self.file.keep(identity)
            except OSError as exc:
                self.terminal.say(
                    self.terminal.warning(
                        f"  The name {identity.player} is claimed, but its secret"
                        f" could not be kept in {self.file.path} ({exc.strerror})."
                    )
                )
                continue
            self.terminal.say(
                f"The name {identity.player} is now yours: only this terminal"
                f" (secret kept in {self.file.path}) plays under it."
            )
