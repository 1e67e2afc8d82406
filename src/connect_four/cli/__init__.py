"""The terminal client: `python -m connect_four.cli` and the `connect-four` command.

This is a composition root: it reads the settings once, builds the app and maps
every foreseeable error to a plain message. Each subcommand lives in its own
module with `register(subcommands)`; the modules import anything heavy only
when their command runs, so `connect-four --help` stays fast.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

COMMAND_MODULES = (
    "play",
    "browse",
    "games",
    "migrate",
    "check",
    "backup",
    "serve",
    "leaderboard",
    "names",
    "projections",
    "solve",
    "analyse",
    "workshop",
)
"""Subcommand modules under `connect_four.cli`, in the order `--help` lists them."""


def build_parser() -> argparse.ArgumentParser:
    """Return the parser for every subcommand."""
    from connect_four.cli.settings import STORE_HELP

    parser = argparse.ArgumentParser(
        prog="connect-four",
        description="Event-sourced Connect Four. With no command, start a new game.",
    )
    parser.add_argument("--store", metavar="URL", help=STORE_HELP)
    subcommands = parser.add_subparsers(title="commands", metavar="COMMAND")
    for name in COMMAND_MODULES:
        module = importlib.import_module(f"connect_four.cli.{name}")
        module.register(subcommands)
    return parser


def main(argv: Sequence[str] | None = None) -> None:
    """Run the command line and exit with its status."""
    sys.exit(run(argv))


def run(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "handler", None) is None:
        # As in the seed's CLI: no command means a new game in this terminal.
        given = sys.argv[1:] if argv is None else argv
        args = parser.parse_args([*given, "play"])
    # `report_errors` loads the other packages' error roots as it starts:
    # `--help`, which ends in `parse_args`, never needs them.
    from connect_four.cli.errors import report_errors

    with report_errors() as status:
        status.code = args.handler(args)
    return status.code
