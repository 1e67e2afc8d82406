"""The terminal: when to colour, and reading answers to the end of input."""

from __future__ import annotations

import io

import pytest

from connect_four.cli.errors import InputClosedError
from connect_four.cli.terminal import Terminal, colour_enabled
from tests.cli.conftest import CLI, lines


class FakeTTY(io.StringIO):
    """A text stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def test_a_terminal_gets_colour() -> None:
    assert colour_enabled(FakeTTY(), environ={})


def test_no_color_turns_colour_off_even_on_a_terminal() -> None:
    assert not colour_enabled(FakeTTY(), environ={"NO_COLOR": "1"})


def test_an_empty_no_color_leaves_colour_on() -> None:
    assert colour_enabled(FakeTTY(), environ={"NO_COLOR": ""})


def test_a_dumb_terminal_gets_no_colour() -> None:
    assert not colour_enabled(FakeTTY(), environ={"TERM": "dumb"})


def test_a_stream_that_is_not_a_terminal_gets_no_colour() -> None:
    assert not colour_enabled(io.StringIO(), environ={})


def test_an_answer_is_returned_without_its_line_ending() -> None:
    terminal = Terminal(stdin=io.StringIO("ann\r\n"), stdout=io.StringIO())

    assert terminal.ask("Name: ") == "ann"


def test_piped_answers_are_echoed_after_their_prompt() -> None:
    shown = io.StringIO()
    terminal = Terminal(stdin=io.StringIO("ann\n"), stdout=shown)

    terminal.ask("Name: ")

    assert shown.getvalue() == "Name: ann\n"


def test_asking_after_the_end_of_input_raises() -> None:
    terminal = Terminal(stdin=io.StringIO(""), stdout=io.StringIO())

    with pytest.raises(InputClosedError):
        terminal.ask("Name: ")


def test_the_game_on_a_terminal_draws_coloured_discs(
    cli: CLI, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("TERM", raising=False)
    screen = FakeTTY()
    monkeypatch.setattr("sys.stdout", screen)

    cli(typed=lines("ann", "bob", "A", "q"))

    assert "\x1b[1;31m●" in screen.getvalue()


def test_the_game_on_a_terminal_with_no_color_set_is_plain(
    cli: CLI, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    screen = FakeTTY()
    monkeypatch.setattr("sys.stdout", screen)

    cli(typed=lines("ann", "bob", "A", "q"))

    assert "│(R)│" in screen.getvalue()
    assert "\x1b" not in screen.getvalue()
