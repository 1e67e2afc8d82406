"""`connect-four check`: scan a whole store and list every damaged stream."""

from __future__ import annotations

import argparse
import sys

from connect_four.cli.settings import add_store_option


def register(subcommands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `check` command."""
    parser = subcommands.add_parser(
        "check",
        help="scan the store for damaged streams",
        description="Read every event of the store, without writing anything,"
        " and list each damaged stream in one line: a row that cannot be read,"
        " positions that skip, data that is not JSON, a game, a table of seats"
        " or a claimed name whose history breaks the rules. Prints nothing and"
        " exits 0 for"
        " a healthy store; exits 1 if anything is damaged.",
    )
    add_store_option(parser)
    parser.set_defaults(handler=check)


def check(args: argparse.Namespace) -> int:
    """Scan the store; print each damaged stream; return 1 if there is any.

    Raises:
        InvalidStoreURLError: the URL names no known store.
        StoreUnavailableError: the store cannot be opened or read.
    """
    from connect_four.cli.errors import FAILURE
    from connect_four.cli.wiring import open_app

    with open_app(args) as wiring:
        survey = wiring.scan()
    for damage in survey.damage:
        print(f"{damage.stream}: {damage.message}")
    if survey.unreadable_tail is not None:
        print(survey.unreadable_tail)
    if survey.is_healthy:
        return 0
    print(
        f"connect-four: {len(survey.damage)} of {survey.streams} streams are"
        " damaged (commands refuse them until they are repaired; see"
        " docs/reliability.md)",
        file=sys.stderr,
    )
    return FAILURE
