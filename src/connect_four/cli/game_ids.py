"""Game ids as typed: the whole id, or any unique prefix of it, as git takes hashes.

A uuid is 36 characters; nobody should have to type them all. Any prefix of
at least `MIN_PREFIX` characters that one game's id starts with names that
game; a prefix several ids start with is refused with the list of matches.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Final

from connect_four.application.errors import UnknownGameError
from connect_four.cli.errors import (
    AmbiguousGameIdError,
    GameNotStartedError,
    ShortGameIdError,
)

if TYPE_CHECKING:
    from connect_four.domain.table import Table
    from connect_four.readmodels import GameSummary

MIN_PREFIX: Final = 6
TABLES: Final = "tables"
"""The read model of the games opened with seats, some still waiting for seat two."""


def resolve_game_id(args: argparse.Namespace, given: str) -> str:
    """Return the id of the one game whose id is `given` or starts with it.

    Raises:
        UnknownGameError: no game's id is or starts with `given`.
        ShortGameIdError: no game's id is `given`, which is shorter than
            `MIN_PREFIX` and so not taken as a prefix.
        AmbiguousGameIdError: several games' ids start with `given`.
        GameNotStartedError: `given` names a game opened in a browser that
            nobody joined (it has seats but no board yet).
    """
    from connect_four.cli.wiring import open_app

    with open_app(args) as wiring:
        if wiring.log.records(given):
            return given
        if len(given) < MIN_PREFIX:
            raise ShortGameIdError(given, MIN_PREFIX)
        unstarted = given
        with wiring.read_models() as read_models:
            read_models.catch_up(["games"])
            matches = [
                game for game in read_models.games() if game.id.startswith(given)
            ]
            if not matches and TABLES in read_models.names:
                read_models.catch_up([TABLES])
                waiting = [
                    summary.id
                    for summary in read_models.waiting()
                    if summary.id.startswith(given)
                ]
                if len(waiting) == 1:
                    unstarted = waiting[0]
        table = None if matches else wiring.tables().table_or_none(unstarted)
        if table is not None and table.holders:
            raise GameNotStartedError(unstarted, _why_not_started(table))
    if not matches:
        raise UnknownGameError(given)
    if len(matches) > 1:
        raise AmbiguousGameIdError(given, [_describe(game) for game in matches])
    return matches[0].id


def _describe(game: GameSummary) -> str:
    return f"{game.id}  {game.player_one} vs {game.player_two}"


def _why_not_started(table: Table) -> str:
    opener = next(iter(table.holders.values())).player
    if table.withdrawn:
        return f"{opener} called it off before anyone joined"
    if table.offered is not None:
        return f"it waits for {table.offered.player} to accept {opener}'s rematch"
    return (
        "it waits for a second player, who joins it in a browser"
        f" with the invite link {opener} was given"
    )
