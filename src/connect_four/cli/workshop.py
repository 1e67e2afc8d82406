"""`connect-four workshop`: take the event-sourcing workshop on your own code.

Also `connect-four play --workspace DIR`, which `play` hands to `play_workspace`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

FAILURE = 1
"""The exit status of a step that could not do what was asked (as cli.errors)."""

DESCRIPTION = """\
Build the game's event-sourced core yourself, in eight exercises checked by
tests. Start with `connect-four workshop start DIR`, read DIR/exercises/,
and run `connect-four workshop check N` in DIR after each step. See
docs/workshop.md for running it alone or with a group.
"""


def register(subcommands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `workshop` command and its own subcommands."""
    parser = subcommands.add_parser(
        "workshop",
        help="take the event-sourcing workshop: start, check N, status, solution N",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    steps = parser.add_subparsers(title="steps", metavar="STEP", required=True)
    start = steps.add_parser("start", help="make a workspace with your own package")
    start.add_argument(
        "folder",
        nargs="?",
        default="connect-four-workshop",
        metavar="DIR",
        help="a new or empty folder",
    )
    start.set_defaults(handler=_guarded, step=_do_start)
    check = steps.add_parser("check", help="run exercise N's tests on your code")
    check.add_argument("number", type=int, metavar="N")
    check.add_argument(
        "--kurrentdb",
        metavar="URL",
        help="also run exercise 3 on this KurrentDB server (kurrentdb://host:2113?tls=false)",
    )
    _workspace_option(check)
    check.set_defaults(handler=_guarded, step=_do_check)
    status = steps.add_parser("status", help="show how far you are")
    _workspace_option(status)
    status.set_defaults(handler=_guarded, step=_do_status)
    solution = steps.add_parser("solution", help="show this project's implementation")
    solution.add_argument("number", type=int, metavar="N")
    solution.add_argument(
        "--diff",
        action="store_true",
        help="show how your files differ from this project's",
    )
    _workspace_option(solution)
    solution.set_defaults(handler=_guarded, step=_do_solution)


def _workspace_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--workspace",
        metavar="DIR",
        default=".",
        help="the workspace (default: this folder)",
    )


def _guarded(args: argparse.Namespace) -> int:
    """Run a workshop step; a `WorkshopError` is one plain line, never a traceback."""
    from connect_four.workshop.errors import WorkshopError

    try:
        code: int = args.step(args)
    except WorkshopError as error:
        print(f"connect-four: {error}", file=sys.stderr)
        return FAILURE
    return code


def _do_start(args: argparse.Namespace) -> int:
    from connect_four.workshop.exercises import EXERCISES
    from connect_four.workshop.workspace import start

    workspace = start(Path(args.folder))
    print(f"Your workspace is ready: {workspace.root}")
    print(f"  your package:  {workspace.package}")
    print(f"  first page:    {workspace.root / 'exercises' / EXERCISES[0].page}")
    print(f"Then, in {workspace.root}: connect-four workshop check 1")
    return 0


def _do_check(args: argparse.Namespace) -> int:
    from connect_four.workshop.commands import check
    from connect_four.workshop.exercises import exercise
    from connect_four.workshop.workspace import Workspace

    done, report = check(
        Workspace.at(Path(args.workspace)), exercise(args.number), args.kurrentdb
    )
    print(report)
    return 0 if done else FAILURE


def _do_status(args: argparse.Namespace) -> int:
    from connect_four.workshop.commands import status
    from connect_four.workshop.workspace import Workspace

    print(status(Workspace.at(Path(args.workspace))))
    return 0


def _do_solution(args: argparse.Namespace) -> int:
    from connect_four.workshop.commands import solution
    from connect_four.workshop.exercises import exercise
    from connect_four.workshop.workspace import Workspace

    workspace = Workspace.at(Path(args.workspace)) if args.diff else None
    print(solution(exercise(args.number), workspace, diff=args.diff))
    return 0


def play_workspace(args: argparse.Namespace) -> int:
    """Play on the learner's package in `args.workspace`; return the exit status."""
    args.step = _do_play
    return _guarded(args)


def _do_play(args: argparse.Namespace) -> int:
    from connect_four.workshop.playing import play
    from connect_four.workshop.workspace import Workspace

    def ask(prompt: str) -> str:
        try:
            return input(prompt)
        except EOFError:
            return "q"

    return play(Workspace.at(Path(args.workspace)), ask, print)
