"""`connect-four serve`: options, and a safe default address."""

from __future__ import annotations

import argparse

import pytest

from connect_four.cli import build_parser
from connect_four.cli.options import port
from connect_four.cli.serve import claim_after


def test_the_server_listens_on_this_machine_only_unless_told_otherwise() -> None:
    args = build_parser().parse_args(["serve"])
    assert (args.host, args.port) == ("127.0.0.1", 8000)


def test_commands_are_rate_limited_unless_told_otherwise() -> None:
    parser = build_parser()
    assert parser.parse_args(["serve"]).rate_limit is True
    assert parser.parse_args(["serve", "--no-rate-limit"]).rate_limit is False


def test_host_port_and_store_can_be_chosen() -> None:
    args = build_parser().parse_args(
        ["serve", "--host", "0.0.0.0", "--port", "9000", "--store", "memory:"]
    )
    assert (args.host, args.port, args.store) == ("0.0.0.0", 9000, "memory:")


@pytest.mark.parametrize("text", ["-1", "65536", "http", "\uff18\uff10"])
def test_a_port_must_be_a_number_from_0_to_65535(text: str) -> None:
    with pytest.raises(SystemExit):
        build_parser().parse_args(["serve", "--port", text])


def test_a_port_number_is_read_as_an_integer() -> None:
    assert port("8080") == 8080


def test_the_time_before_a_win_can_be_claimed_is_given_in_minutes() -> None:
    parser = build_parser()
    assert parser.parse_args(["serve"]).claim_after is None  # the default then
    assert parser.parse_args(["serve", "--claim-after", "0.5"]).claim_after == 0.5


@pytest.mark.parametrize("text", ["0", "-3", "soon", "nan", "inf"])
def test_the_time_before_a_claim_must_be_a_positive_number(text: str) -> None:
    with pytest.raises(SystemExit):
        build_parser().parse_args(["serve", "--claim-after", text])


def test_the_claim_time_comes_from_the_option_then_the_environment_then_5() -> None:
    parser = build_parser()
    environ = {"CONNECT_FOUR_CLAIM_AFTER": "2"}
    assert claim_after(parser.parse_args(["serve", "--claim-after", "1"]), environ) == 1
    assert claim_after(parser.parse_args(["serve"]), environ) == 2
    assert claim_after(parser.parse_args(["serve"]), {}) == 5


def test_a_claim_time_in_the_environment_must_be_a_positive_number() -> None:
    with pytest.raises(argparse.ArgumentTypeError):
        claim_after(
            build_parser().parse_args(["serve"]), {"CONNECT_FOUR_CLAIM_AFTER": "x"}
        )
