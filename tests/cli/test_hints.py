"""`?` at the move prompt: the engine's worth of each column, in any game."""

from __future__ import annotations

from connect_four.eventsourcing.stores import open_store
from tests.cli.pty_session import Screen
from tests.cli.test_newcomer import new_game
from tests.cli.test_terminals import command, environment

WON_SOON = "7422341735647741166133573473242566"
"""A position where the side to move (ann) wins with B or F, and loses with E."""


def letters(notation: str) -> list[str]:
    return ["ABCDEFG"[int(digit) - 1] for digit in notation]


def stored_events(store_url: str, game_id: str) -> int:
    store = open_store(store_url)
    try:
        return len(store.read_stream(f"game-{game_id}"))
    finally:
        store.close()


def test_a_question_mark_shows_each_columns_worth_in_a_game_between_people(
    store_url: str,
) -> None:
    game_id = new_game(store_url, *letters(WON_SOON))
    before = stored_events(store_url, game_id)
    with Screen(
        command(store_url, "play", "--resume", game_id, "--as", "ann"), environment()
    ) as ann:
        ann.expect(r"ann \(.*\), your move \[A-G, \? hints, q quits\]")
        ann.send("?\n")
        ann.expect(r"Working out hints\.\.\.")
        ann.expect(r"Hints \(higher is better for you\): A -3  B \+1  E -4  F \+1")
        ann.expect(r"\+n: you can win, the larger the sooner")
        ann.expect(r"ann \(.*\), your move")
        ann.send("q\n")
        assert ann.wait() == 0

    assert stored_events(store_url, game_id) == before
