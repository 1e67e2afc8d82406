"""Loading the computer opponent on demand, as the CLI and the web do."""

from __future__ import annotations

import random
import sys

import pytest

from connect_four.ai.errors import AIModuleMissingError, UnknownComputerLevelError
from connect_four.ai.opponent import (
    AI_MODULE,
    computer_levels,
    load_computer,
)
from connect_four.ai.players import LEVELS
from connect_four.domain.board import Column


def test_the_levels_are_the_players_levels_weakest_first() -> None:
    assert computer_levels() == LEVELS


def test_a_computer_of_a_level_plays_a_legal_column() -> None:
    computer = load_computer("easy", random.Random(7))

    assert computer.choose([Column.D]).column in Column


def test_an_unknown_level_is_refused_naming_the_levels_there_are() -> None:
    with pytest.raises(UnknownComputerLevelError) as raised:
        load_computer("godlike")

    assert (raised.value.level, raised.value.levels) == ("godlike", LEVELS)
    assert "choose one of easy" in str(raised.value)


def test_without_the_ai_module_there_are_no_levels_and_no_computer(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, AI_MODULE, None)

    assert computer_levels() == ()
    with pytest.raises(AIModuleMissingError) as raised:
        load_computer("easy")
    assert raised.value.module == AI_MODULE
