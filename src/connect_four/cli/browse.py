"""`connect-four show ID`: a game's board and every event of its stream."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from connect_four.cli.settings import add_store_option

if TYPE_CHECKING:
    from connect_four.eventsourcing.events import RecordedEvent

HEADINGS = ("#", "type", "data", "recorded", "metadata")


def register(subcommands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `show` command."""
    parser = subcommands.add_parser(
        "show",
        help="show a game's board and its event history",
        description="Show a game's board, then each stored event: its position in"
        " the game's stream, type, data (JSON), time recorded and metadata.",
    )
    parser.add_argument("game_id", metavar="ID", help="the game's id")
    add_store_option(parser)
    parser.set_defaults(handler=show)


def show(args: argparse.Namespace) -> int:
    """Print a game's board and its events; return the exit status.

    Raises:
        UnknownGameError: there is no such game.
    """
    import sys

    from connect_four.application.ports import UnknownGameError
    from connect_four.cli.errors import FAILURE
    from connect_four.cli.terminal import Terminal
    from connect_four.cli.wiring import open_app
    from connect_four.eventsourcing.errors import UnreadableEventError
    from connect_four.presentation import describe_result, generate_board_string

    terminal = Terminal()
    with open_app(args) as wiring:
        records = wiring.store.read_stream(wiring.games.stream_name(args.game_id))
        if not records:
            raise UnknownGameError(args.game_id)
        try:
            game = wiring.app.get_game(args.game_id)
        except UnreadableEventError as exc:
            # The raw events are still worth seeing: they show what went wrong.
            terminal.say(render_events(records))
            print(f"connect-four: {exc}", file=sys.stderr)
            return FAILURE
    if game.result is not None:
        status = describe_result(
            game.result, str(game.player_one), str(game.player_two)
        )
    else:
        status = f"{game.next_player} to move"
    players = f"{game.player_one} (R) against {game.player_two} (Y)"
    terminal.say(f"Game {args.game_id}: {players}, {status}")
    terminal.say(generate_board_string(game.board, colour=terminal.colour))
    terminal.say()
    terminal.say(render_events(records))
    return 0


def render_events(records: list[RecordedEvent]) -> str:
    """Return the events as a table, one row each, oldest first.

    The metadata column appears only when some event carries metadata.
    """
    from connect_four.presentation.table import format_table

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
    return format_table([HEADINGS[:columns], *(row[:columns] for row in rows)])


def _metadata(metadata: bytes) -> str:
    """Return stored metadata as text, or nothing when it is empty."""
    text = metadata.decode(errors="replace").strip()
    return "" if text in ("", "{}") else text
