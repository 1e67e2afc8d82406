"""Player names: one person's spellings are one player; some names are refused."""

from __future__ import annotations

import unicodedata

import pytest

from connect_four.domain.exceptions import InvalidPlayerNameError, SamePlayerError
from connect_four.domain.game import Game
from connect_four.domain.names import (
    MAX_NAME_LENGTH,
    check_human_name,
    check_name,
    computer_name,
    is_computer_name,
    name_key,
    normalize_name,
    same_player,
)

NFC_EMILE = unicodedata.normalize("NFC", "émile")
NFD_EMILE = unicodedata.normalize("NFD", "émile")


def test_names_differing_only_in_case_are_the_same_player() -> None:
    assert same_player("Ann", "ann")


def test_nfc_and_nfd_spellings_are_the_same_player() -> None:
    assert NFC_EMILE != NFD_EMILE
    assert same_player(NFC_EMILE, NFD_EMILE)


def test_different_names_are_different_players() -> None:
    assert not same_player("ann", "anne")


def test_the_key_folds_case_beyond_ascii() -> None:
    assert name_key("STRASSE") == name_key("straße")


def test_a_typed_name_is_stored_trimmed_and_composed() -> None:
    assert normalize_name(f"  {NFD_EMILE} ") == NFC_EMILE


@pytest.mark.parametrize(
    "name",
    ["ann\u2028bob", "ann\u2029", "a\u200bnn", "ann\x07", "ann\u202e", "\ue000ann"],
    ids=["line-sep", "para-sep", "zero-width", "bell", "bidi", "private-use"],
)
def test_names_with_invisible_or_line_breaking_characters_are_refused(
    name: str,
) -> None:
    with pytest.raises(InvalidPlayerNameError):
        check_name(name)


@pytest.mark.parametrize("name", ["", "   ", " ann", "x" * (MAX_NAME_LENGTH + 1)])
def test_empty_padded_or_long_names_are_refused(name: str) -> None:
    with pytest.raises(InvalidPlayerNameError):
        check_name(name)


def test_a_plain_name_passes_unchanged() -> None:
    assert check_name("Émile Zola") == "Émile Zola"


@pytest.mark.parametrize("name", ["computer (easy)", "Computer (Hard)", "COMPUTER"])
def test_computer_names_are_reserved_for_the_computer(name: str) -> None:
    assert is_computer_name(name)
    with pytest.raises(InvalidPlayerNameError, match="reserved"):
        check_human_name(name)


def test_names_that_merely_mention_the_computer_are_free() -> None:
    assert check_human_name("computer fan") == "computer fan"


def test_the_computer_plays_under_its_reserved_name() -> None:
    assert is_computer_name(computer_name("perfect"))


def test_a_game_between_two_spellings_of_one_name_is_refused() -> None:
    game = Game("g")
    with pytest.raises(SamePlayerError):
        game.start_game(NFC_EMILE, NFD_EMILE)
    assert game.uncommitted_events == []


def test_a_game_refuses_a_name_with_a_line_separator() -> None:
    game = Game("g")
    with pytest.raises(InvalidPlayerNameError):
        game.start_game("ann\u2028", "bob")
    assert game.uncommitted_events == []
