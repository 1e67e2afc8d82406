"""Names in the terminal follow the browser's rules: claimed once, then yours."""

from __future__ import annotations

import json
import stat
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest

from connect_four.application.players import PlayerService
from connect_four.application.service import ConnectFourApp
from connect_four.cli.errors import FAILURE
from connect_four.cli.names_file import NAMES_ENV
from connect_four.domain.board import Column
from connect_four.domain.game import Move
from connect_four.domain.player import NameClaimed
from connect_four.eventsourcing.events import NewEvent
from connect_four.eventsourcing.stores.sqlite.event_store import SQLiteEventStore
from connect_four.persistence.codec import player_codec
from connect_four.persistence.game_repository import EventSourcedGameRepository
from connect_four.persistence.players import player_service
from tests.cli.conftest import CLI, lines


@pytest.fixture
def names_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Return this user's names file, fresh for the test."""
    path = tmp_path / "config" / "names.json"
    monkeypatch.setenv(NAMES_ENV, str(path))
    return path


@pytest.fixture
def browser(db_path: Path) -> Iterator[PlayerService]:
    """Yield the names service over the test's store, as the web server uses it."""
    store = SQLiteEventStore(db_path)
    yield player_service(store)
    store.close()


def streams(db_path: Path) -> set[str]:
    store = SQLiteEventStore(db_path)
    try:
        return {record.stream for record in store.read_all()}
    finally:
        store.close()


def test_the_first_game_claims_the_names_and_keeps_their_secrets_for_the_user(
    cli: CLI, names_file: Path, db_path: Path, browser: PlayerService
) -> None:
    outcome = cli("play", typed=lines("Ann", "bob", "q"))
    assert outcome.status == 0, outcome.err
    assert "The name Ann is now yours" in outcome.out
    kept = json.loads(names_file.read_text())
    assert [(held["player"], held["key"]) for held in kept] == [
        ("Ann", "ann"),
        ("bob", "bob"),
    ]
    assert stat.S_IMODE(names_file.stat().st_mode) == 0o600
    assert {"player-ann", "player-bob"} <= streams(db_path)
    assert browser.holds("ANN", kept[0]["secret"])


def test_a_name_claimed_in_a_browser_is_refused_with_as(
    cli: CLI, names_file: Path, db_path: Path, browser: PlayerService
) -> None:
    browser.claim("Ann")
    before = streams(db_path)
    outcome = cli("play", "--as", "ann", typed=lines("bob"))
    assert outcome.status == FAILURE
    assert "the name 'Ann' is taken" in outcome.err
    assert "Traceback" not in outcome.err
    assert streams(db_path) == before


def test_a_typed_name_claimed_elsewhere_is_asked_for_again(
    cli: CLI, names_file: Path, browser: PlayerService
) -> None:
    browser.claim("Ann")
    outcome = cli("play", typed=lines("ann", "Cy", "bob", "q"))
    assert outcome.status == 0, outcome.err
    assert "'Ann' is taken" in outcome.out
    assert "Cy (" in outcome.out  # Cy plays instead


def test_another_user_cannot_take_a_seat_under_a_name_claimed_here(
    cli: CLI, names_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started = cli("play", "--as", "ann", typed=lines("bob", "q"))
    assert started.status == 0, started.err
    monkeypatch.setenv(NAMES_ENV, str(tmp_path / "other-user.json"))

    as_ann = cli("play", "--resume", started.game_id, "--as", "ann", typed="q\n")
    assert as_ann.status == FAILURE
    assert "'ann' is taken" in as_ann.err

    # Naming Ann as the opponent who plays elsewhere is fine: she plays there.
    as_bob = cli("play", "--as", "bob", typed=lines("ann", "q"))
    assert as_bob.status == 0, as_bob.err
    assert "The name bob is now yours" in as_bob.out


def test_a_device_link_from_the_browser_lets_the_terminal_play_under_the_name(
    cli: CLI, names_file: Path, browser: PlayerService
) -> None:
    phone = str(browser.claim("Ann").secret)
    link = browser.issue_link("Ann", phone)
    url = f"http://127.0.0.1:8000/#player=Ann&link={link.code}"

    linked = cli("names", "--link", url)
    assert linked.status == 0, linked.err
    assert "now plays under Ann" in linked.out
    assert cli("names").out.splitlines() == ["Ann"]

    played = cli("play", "--as", "ann", typed=lines("bob", "q"))
    assert played.status == 0, played.err
    assert "Game " in played.out

    again = cli("names", "--link", url)
    assert again.status == FAILURE
    assert "is not valid" in again.err


def test_a_link_made_in_the_terminal_lets_a_browser_play_under_the_name(
    cli: CLI, names_file: Path, browser: PlayerService
) -> None:
    cli("play", typed=lines("Ann", "bob", "q"))
    shared = cli("names", "--share", "ann", "--server", "http://games.example")
    assert shared.status == 0, shared.err
    url = shared.out.splitlines()[-1].strip()
    assert url.startswith("http://games.example/#player=Ann&link=")
    laptop = browser.link_device("Ann", url.rsplit("link=", 1)[1])
    assert laptop.secret is not None
    assert browser.holds("Ann", laptop.secret)


def test_a_terminal_cannot_share_a_name_it_does_not_hold(
    cli: CLI, names_file: Path, browser: PlayerService
) -> None:
    browser.claim("Ann")
    outcome = cli("names", "--share", "Ann")
    assert outcome.status == FAILURE
    assert "'Ann' is taken" in outcome.err


def test_text_that_is_no_device_link_is_refused(cli: CLI, names_file: Path) -> None:
    outcome = cli("names", "--link", "http://127.0.0.1:8000/games/x")
    assert outcome.status == FAILURE
    assert "is not a device link" in outcome.err


def test_spellings_of_one_name_are_one_player_on_the_leaderboard_and_in_games(
    cli: CLI, db_path: Path
) -> None:
    # Games stored by any client of the store (the tutorial's, say), each
    # spelling the same two people their own way: case, and NFC against NFD.
    nfc, nfd = (unicodedata.normalize(form, "Émile") for form in ("NFC", "NFD"))
    store = SQLiteEventStore(db_path)
    app = ConnectFourApp.over(EventSourcedGameRepository(store))
    for one, two in (("Ann", nfc), ("ANN", nfd), ("ann", "émile")):
        game_id = app.create_game(one, two)
        for turn, column in enumerate("ABABABA"):
            app.make_move(game_id, Move((one, two)[turn % 2], Column(column)))
    store.close()

    board = cli("leaderboard").out.splitlines()[1:]
    assert [row.split()[1:5] for row in board] == [
        ["Ann", "1544", "3", "3"],
        [nfc, "1456", "3", "0"],
    ]
    for spelling in ("aNN", nfd, "ÉMILE"):
        listed = cli("games", "--player", spelling).out
        assert len([line for line in listed.splitlines() if "finished" in line]) == 3


def test_check_lists_a_name_whose_history_breaks_the_rules(
    cli: CLI, db_path: Path, browser: PlayerService
) -> None:
    # Given a name claimed once, then claimed again behind the aggregate's back
    # (a hand-made append: the Player refuses a second claim of its name).
    browser.claim("Ann")
    store = SQLiteEventStore(db_path)
    try:
        type_name, data = player_codec().encode(NameClaimed("Ann", "0" * 64))
        store.append("player-ann", [NewEvent(type_name, data)], expected_version=0)
    finally:
        store.close()

    # When the store is checked
    outcome = cli("check")

    # Then the player's stream alone is listed as damaged, and check fails.
    assert outcome.status == FAILURE
    assert [line.split(":")[0] for line in outcome.out.splitlines()] == ["player-ann"]
    assert "claimed already" in outcome.out
    assert "Traceback" not in outcome.out + outcome.err


def test_check_says_nothing_of_names_claimed_by_the_rules(
    cli: CLI, browser: PlayerService
) -> None:
    browser.claim("Ann")
    browser.claim("Émile")

    outcome = cli("check")

    assert outcome.status == 0, outcome.out + outcome.err
    assert outcome.out == ""
