"""Option types shared by the commands: values argparse checks before anything runs."""

from __future__ import annotations

import argparse


def at_least_one(text: str) -> int:
    """Return a whole number of at least 1, for options that count what is shown.

    Raises:
        argparse.ArgumentTypeError: the text is not such a number.
    """
    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"{number} is less than 1")
    return number


def port(text: str) -> int:
    """Return a TCP port number from the command line.

    Raises:
        argparse.ArgumentTypeError: it is not a whole number from 0 to 65535.
    """
    if not text.isascii() or not text.isdigit() or not 0 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number (0-65535)")
    return int(text)


def minutes(text: str) -> float:
    """Return a positive number of minutes from the command line or environment.

    Raises:
        argparse.ArgumentTypeError: it is not a positive number.
    """
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 < value < 1e6:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a positive number of minutes"
        )
    return value
