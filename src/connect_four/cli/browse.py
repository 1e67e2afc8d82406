"""`connect-four show ID`: a game's board and every event of its stream."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import TYPE_CHECKING

from connect_four.cli.settings import GAME_ID_HELP, add_store_option

if TYPE_CHECKING:
    from connect_four.eventsourcing.events import RecordedEvent

HEADINGS = ("#", "type", "data", "recorded", "metadata")
WIDTH = 100
"""The widest line `show` prints unless asked for the full rows."""


def register(subcommands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `show` command."""
    parser = subcommands.add_parser(
        "show",
        help="show a game's board and its event history",
        description="Show a game's board, then each stored event: its position in"
        " the game's stream, type, data (JSON), time recorded and metadata."
        f" Lines are cut to {WIDTH} characters unless --metadata is given.",
    )
    parser.add_argument("game_id", metavar="ID", help=GAME_ID_HELP)
    parser.add_argument(
        "--metadata",
        action="store_true",
        help="print every row in full, however wide its data and metadata",
    )
    add_store_option(parser)
    parser.set_defaults(handler=show)


def show(args: argparse.Namespace) -> int:
    """Print a game's board and its events; return the exit status.

    Raises:
        UnknownGameError: there is no such game.
    """
    import json
    import sys

    from connect_four.application.errors import UnknownGameError
    from connect_four.cli.errors import FAILURE
    from connect_four.cli.game_ids import resolve_game_id
    from connect_four.cli.terminal import Terminal
    from connect_four.cli.wiring import open_app
    from connect_four.domain.board import Column
    from connect_four.eventsourcing.errors import UnreadableEventError
    from connect_four.presentation import (
        describe_result,
        ending_of,
        generate_board_string,
        winning_cells,
    )

    terminal = Terminal()
    args.game_id = resolve_game_id(args, args.game_id)
    with open_app(args) as wiring:
        records = wiring.log.records(args.game_id)
        if not records:
            raise UnknownGameError(args.game_id)
        try:
            game = wiring.app.load_game(args.game_id)
        except UnreadableEventError as exc:
            # The raw events are still worth seeing: they show what went wrong.
            terminal.say(render_events(records, None if args.metadata else WIDTH))
            print(f"connect-four: {exc}", file=sys.stderr)
            return FAILURE
    if game.result is not None:
        status = describe_result(
            game.result,
            str(game.player_one),
            str(game.player_two),
            ending_of(game.forfeit),
        )
    else:
        status = f"{game.next_player} to move"
    players = f"{game.player_one} (R) against {game.player_two} (Y)"
    terminal.say(f"Game {args.game_id}: {players}, {status}")
    moves = [record for record in records if record.type == "MoveMade"]
    # The game read above decoded every event, so the last move's data is sound.
    last_move = Column(json.loads(moves[-1].data)["column"]) if moves else None
    terminal.say(
        generate_board_string(
            game.board,
            colour=terminal.colour,
            last_move=last_move,
            winning=winning_cells(game.board) if game.result is not None else (),
        )
    )
    terminal.say()
    full = render_events(records)
    shown = full if args.metadata else render_events(records, WIDTH)
    terminal.say(shown)
    if shown != full:
        terminal.say(f"(rows cut to {WIDTH} columns: --metadata prints them in full)")
    return 0


def render_events(records: list[RecordedEvent], width: int | None = None) -> str:
    """Return the events as a table, one row each, oldest first.

    The metadata column appears only when some event carries metadata. With a
    `width`, the data and metadata cells are cut (ending in "…") so that no
    line is wider.
    """
    from connect_four.presentation.table import fit_table, format_table

    rows = [
        (
            str(record.stream_position),
            record.type,
            record.data.decode(errors="replace"),
            record.recorded_at.astimezone().strftime("%Y-%m-%d %H:%M:%S"),
            _metadata(record.metadata),
        )
        for record in records
    ]
    columns = len(HEADINGS) if any(row[-1] for row in rows) else len(HEADINGS) - 1
    table: list[Sequence[str]] = [HEADINGS[:columns], *(r[:columns] for r in rows)]
    if width is not None:
        table = fit_table(table, width, shrinkable=(2, 4))
    return format_table(table)


def _metadata(metadata: bytes) -> str:
    """Return stored metadata as text, or nothing when it is empty."""
    text = metadata.decode(errors="replace").strip()
    return "" if text in ("", "{}") else text
