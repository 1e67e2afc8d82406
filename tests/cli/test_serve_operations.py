"""`connect-four serve` options for running it as a service."""

from __future__ import annotations

import argparse

import pytest

from connect_four.cli import build_parser, run
from connect_four.cli.errors import SettingError
from connect_four.cli.operations import log_settings


def test_logs_are_plain_text_at_info_level_unless_told_otherwise(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("CONNECT_FOUR_LOG_LEVEL", raising=False)
    monkeypatch.delenv("CONNECT_FOUR_LOG_FORMAT", raising=False)
    assert log_settings(build_parser().parse_args(["serve"])) == ("info", "text")


def test_log_options_win_over_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONNECT_FOUR_LOG_LEVEL", "error")
    monkeypatch.setenv("CONNECT_FOUR_LOG_FORMAT", "text")
    args = build_parser().parse_args(
        ["serve", "--log-level", "debug", "--log-format", "json"]
    )
    assert log_settings(args) == ("debug", "json")


def test_the_environment_chooses_the_log_settings_when_no_option_does(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CONNECT_FOUR_LOG_LEVEL", "WARNING")
    monkeypatch.setenv("CONNECT_FOUR_LOG_FORMAT", "json")
    assert log_settings(build_parser().parse_args(["serve"])) == ("warning", "json")


def test_an_unknown_log_format_in_the_environment_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CONNECT_FOUR_LOG_FORMAT", "xml")
    with pytest.raises(SettingError, match=r"\$CONNECT_FOUR_LOG_FORMAT is 'xml'"):
        log_settings(build_parser().parse_args(["serve"]))


def test_serve_refuses_an_unknown_log_level_in_the_environment_with_a_message(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CONNECT_FOUR_LOG_LEVEL", "loud")
    assert run(["serve", "--store", "memory:"]) == 2
    assert "$CONNECT_FOUR_LOG_LEVEL is 'loud'; use one of" in capsys.readouterr().err


def test_service_options_have_safe_defaults() -> None:
    args = build_parser().parse_args(["serve"])
    assert (args.metrics_port, args.ready_max_lag, args.shutdown_timeout) == (
        None,
        100,
        10.0,
    )


def test_service_options_can_be_chosen() -> None:
    args = build_parser().parse_args(
        [
            "serve",
            "--metrics-port",
            "9100",
            "--ready-max-lag",
            "5",
            "--shutdown-timeout",
            "2.5",
        ]
    )
    assert (args.metrics_port, args.ready_max_lag, args.shutdown_timeout) == (
        9100,
        5,
        2.5,
    )


@pytest.mark.parametrize(
    "option",
    [
        ["--metrics-port", "70000"],
        ["--ready-max-lag", "-1"],
        ["--shutdown-timeout", "soon"],
        ["--shutdown-timeout", "-1"],
        ["--log-format", "xml"],
        ["--log-level", "loud"],
    ],
)
def test_bad_service_options_are_refused(option: list[str]) -> None:
    with pytest.raises(SystemExit):
        build_parser().parse_args(["serve", *option])


def test_the_service_options_are_listed_in_help() -> None:
    parser = build_parser()
    subcommands = next(
        action
        for action in parser._actions
        if isinstance(action, argparse._SubParsersAction)
    )
    text = subcommands.choices["serve"].format_help()
    for option in (
        "--log-level",
        "--log-format",
        "--metrics-port",
        "--ready-max-lag",
        "--shutdown-timeout",
    ):
        assert option in text
