"""Reading positions in column notation, and the facts the engine relies on."""

from __future__ import annotations

import pytest

from connect_four.ai.errors import InvalidPositionError
from connect_four.ai.position import Position, mirror, to_columns
from connect_four.domain.board import Column


def test_notation_round_trips_through_a_position() -> None:
    assert Position.from_notation("4453").notation == "4453"


def test_game_columns_read_as_the_same_position_as_digits() -> None:
    from_letters = Position.from_columns([Column.D, Column.D, Column.E])
    assert from_letters == Position.from_notation("445")


def test_a_character_that_is_not_a_column_is_rejected_with_its_place() -> None:
    with pytest.raises(InvalidPositionError, match="move 3 of '12x'") as error:
        Position.from_notation("12x")
    assert error.value.index == 2


def test_a_seventh_stone_in_a_column_is_rejected() -> None:
    with pytest.raises(InvalidPositionError, match="full column 1"):
        Position.from_notation("1111111")


def test_a_move_after_a_win_is_rejected() -> None:
    with pytest.raises(InvalidPositionError, match="after the game was won"):
        Position.from_notation("12121215")


def test_four_in_a_row_is_a_winning_move() -> None:
    assert Position.from_notation("121212").is_winning_move(0)


def test_the_opponent_threat_is_seen_from_the_side_to_move() -> None:
    position = Position.from_notation("1212123")
    assert position.opponent_wins_at(0)
    assert not position.opponent_wins_at(1)


def test_a_position_and_its_mirror_share_a_canonical_key() -> None:
    left = Position.from_notation("1123")
    right = Position.from_notation("7765")
    assert left.canonical_key()[0] == right.canonical_key()[0]
    assert left.canonical_key()[1] != right.canonical_key()[1]


def test_mirroring_twice_gives_the_key_back() -> None:
    key = Position.from_notation("4455321").key
    assert mirror(mirror(key)) == key


def test_column_indices_become_the_game_letters() -> None:
    assert to_columns([0, 6]) == [Column.A, Column.G]
