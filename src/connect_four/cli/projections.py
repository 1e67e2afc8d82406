"""`connect-four projections`: the read models' checkpoints, rebuilds and runner.

- `projections status` shows each projection's slots: checkpoint, the newest
  stored event (head) and how far behind it the slot is (lag).
- `projections rebuild NAME [--after POSITION]` refills a projection from
  position zero (or from the events after a global position) beside the old
  read model, which keeps answering `games` and `leaderboard` until the new
  one has caught up with it; then the two are swapped in one transaction.
- `projections run` keeps every projection current, following the log live,
  until Ctrl-C.

The read models live in the event store's own database when it is SQLite or
PostgreSQL. For KurrentDB they live in the database `$CONNECT_FOUR_PROJECTIONS`
names, else in a SQLite file beside the default store (`wiring.projections_url`
decides; `wiring.open_read_models` opens them).
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import TYPE_CHECKING, Final

from connect_four.cli.settings import add_store_option

if TYPE_CHECKING:
    from connect_four.eventsourcing.projections import ProjectionStatus

HEADINGS: Final = (
    "projection",
    "generation",
    "state",
    "from",
    "checkpoint",
    "head",
    "lag",
)


def register(subcommands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `projections` command and its subcommands."""
    parser = subcommands.add_parser(
        "projections",
        help="show, rebuild or run the read models (games, leaderboard)",
        description="The read models that `games` and `leaderboard` answer from.",
    )
    add_store_option(parser)
    actions = parser.add_subparsers(title="actions", metavar="ACTION", required=True)
    status = actions.add_parser(
        "status", help="show each projection's checkpoint and lag"
    )
    add_store_option(status)
    status.set_defaults(handler=show_status)
    rebuild = actions.add_parser(
        "rebuild",
        help="rebuild one projection from position zero",
        description="Rebuild a projection from position zero, or from the events"
        " after a global position, beside the current read model, which keeps"
        " answering until the new one has caught up with it.",
    )
    rebuild.add_argument(
        "name", metavar="NAME", help="the projection: games, leaderboard or tables"
    )
    rebuild.add_argument(
        "--after",
        type=_position,
        default=0,
        metavar="POSITION",
        help="fold only the events after this global position (default: 0,"
        " every event); a rebuild already under way resumes where it stopped",
    )
    add_store_option(rebuild)
    rebuild.set_defaults(handler=rebuild_projection)
    run = actions.add_parser(
        "run", help="keep every projection current, following new events live"
    )
    add_store_option(run)
    run.set_defaults(handler=run_projections)


def show_status(args: argparse.Namespace) -> int:
    """Print each projection's checkpoint and lag; return the exit status."""
    from connect_four.cli.terminal import Terminal
    from connect_four.cli.wiring import open_read_models

    with open_read_models(args) as read_models:
        statuses = read_models.statuses()
    Terminal().say(render_statuses(statuses))
    return 0


def render_statuses(statuses: Sequence[ProjectionStatus]) -> str:
    """Return the projections' slots as a table."""
    from connect_four.presentation.table import format_table

    rows = [HEADINGS]
    for status in statuses:
        slot = status.slot
        rows.append(
            (
                slot.name,
                str(slot.generation),
                "serving" if slot.active else "rebuilding",
                str(slot.origin),
                str(slot.checkpoint),
                str(status.head),
                str(status.lag),
            )
        )
    return format_table(rows)


def rebuild_projection(args: argparse.Namespace) -> int:
    """Rebuild one projection from position zero; return the exit status."""
    from connect_four.cli.progress import Progress
    from connect_four.cli.terminal import Terminal
    from connect_four.cli.wiring import open_read_models

    terminal = Terminal()
    with open_read_models(args) as read_models:
        head = read_models.head()
        progress = Progress(f"rebuilding {args.name}", "events", head)
        try:
            slot = read_models.rebuild(
                args.name, lambda slot: progress.show(slot.checkpoint), after=args.after
            )
        except KeyboardInterrupt:
            progress.finish(": interrupted; the serving generation is unchanged")
            raise
        progress.finish()
    start = "position zero" if slot.origin == 0 else f"global position {slot.origin}"
    terminal.say(
        f"Rebuilt {slot.name} from {start}: generation {slot.generation}"
        f" now serves, at global position {slot.checkpoint}."
    )
    return 0


def _position(text: str) -> int:
    """Parse a global position: a whole number, zero or more."""
    try:
        position = int(text)
    except ValueError:
        position = -1
    if position < 0:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a global position (a whole number, 0 or more)"
        )
    return position


def run_projections(args: argparse.Namespace) -> int:
    """Keep the projections current until Ctrl-C; return the exit status."""
    from connect_four.cli.terminal import Terminal
    from connect_four.cli.wiring import open_read_models

    terminal = Terminal()
    with open_read_models(args, follow=True) as read_models:
        terminal.say(
            "Keeping " + " and ".join(read_models.names) + " current; Ctrl-C stops."
        )
        try:
            read_models.run()
        except KeyboardInterrupt:
            read_models.stop()
    terminal.say("Stopped.")
    return 0
