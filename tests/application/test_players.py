"""Names that are yours: claimed once, played only with a secret, linked to devices."""

from __future__ import annotations

import itertools
import unicodedata
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from connect_four.application import ConnectFourApp
from connect_four.application.game_life import GameLife
from connect_four.application.players import LINK_LIFETIME, PlayerService
from connect_four.application.tables import TableService
from connect_four.domain.board import Column
from connect_four.domain.exceptions import (
    LinkRejectedError,
    NameTakenError,
    SeatTokenRejectedError,
)
from connect_four.eventsourcing.events import NewEvent, RecordedEvent
from connect_four.eventsourcing.store import AppendResult, EventStore, ExpectedVersion
from connect_four.eventsourcing.stores.memory.event_store import InMemoryEventStore
from connect_four.persistence.game_repository import EventSourcedGameRepository
from connect_four.persistence.players import player_repository
from connect_four.persistence.tables import table_service
from tests.eventsourcing.stores.backends import open_test_store, reopen_test_store

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def store() -> InMemoryEventStore:
    return InMemoryEventStore()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def players(store: InMemoryEventStore, clock: Clock) -> PlayerService:
    counter = itertools.count()
    return PlayerService(
        player_repository(store), lambda: f"secret-{next(counter)}", clock=clock
    )


@pytest.fixture
def tables(store: InMemoryEventStore) -> TableService:
    return table_service(ConnectFourApp.over(EventSourcedGameRepository(store)), store)


def test_the_first_claim_of_a_name_returns_its_secret_once(
    players: PlayerService, store: InMemoryEventStore
) -> None:
    identity = players.claim("Ann")
    assert identity.player == "Ann"
    assert identity.secret is not None
    stored = store.read_stream("player-ann")
    assert [record.type for record in stored] == ["NameClaimed"]
    assert identity.secret.encode() not in stored[0].data


def test_claiming_a_name_you_hold_again_gives_no_new_secret(
    players: PlayerService,
) -> None:
    secret = players.claim("Ann").secret
    assert secret is not None
    again = players.claim("ann", [secret])
    assert (again.player, again.secret) == ("Ann", None)


def test_a_name_claimed_by_someone_else_is_taken_in_any_spelling(
    players: PlayerService, store: InMemoryEventStore
) -> None:
    players.claim("Émile")
    before = len(store.read_all(0, 100))
    with pytest.raises(NameTakenError):
        players.claim(unicodedata.normalize("NFD", "émile"))
    assert len(store.read_all(0, 100)) == before


class SecondServer:
    """A server's handle on the store; another server claims "Ann" right after it reads.

    Both servers saw the name free, and both append a claim.
    """

    def __init__(self, store: EventStore, first_server: PlayerService) -> None:
        self._store = store
        self._first_server = first_server
        self._raced = False

    def append(
        self,
        stream: str,
        events: Sequence[NewEvent],
        expected_version: ExpectedVersion,
    ) -> AppendResult:
        return self._store.append(stream, events, expected_version)

    def read_stream(self, stream: str, from_position: int = 0) -> list[RecordedEvent]:
        records = self._store.read_stream(stream, from_position)
        if not self._raced:
            self._raced = True
            self._first_server.claim("Ann")
        return records


@pytest.mark.parametrize("kind", ["memory", "sqlite", "postgres", "kurrentdb-fake"])
def test_of_two_servers_claiming_one_name_at_once_the_second_is_told_it_is_taken(
    kind: str, tmp_path: Path, clock: Clock
) -> None:
    with open_test_store(kind, tmp_path) as store:
        other_handle = reopen_test_store(kind, store, tmp_path)
        first = PlayerService(
            player_repository(other_handle), lambda: "first", clock=clock
        )
        racing = SecondServer(store, first)
        second = PlayerService(player_repository(racing), lambda: "second", clock=clock)

        with pytest.raises(NameTakenError):
            second.claim("ann")

        stored = store.read_stream("player-ann")
        assert [record.type for record in stored] == ["NameClaimed"]
        assert first.holds("Ann", "first")
        assert not first.holds("Ann", "second")
        if other_handle is not store:
            other_handle.close()


def test_a_free_name_plays_as_typed_in_nfc_and_a_claimed_one_as_claimed(
    players: PlayerService,
) -> None:
    nfd = unicodedata.normalize("NFD", "zoë")
    assert players.play_as(nfd, []) == unicodedata.normalize("NFC", "zoë")
    secret = players.claim("Ann").secret
    assert players.play_as("ANN", [str(secret)]) == "Ann"


def test_a_device_link_gives_another_device_a_secret_of_its_own(
    players: PlayerService,
) -> None:
    phone = str(players.claim("Ann").secret)
    link = players.issue_link("ann", phone)
    assert link.expires_at == NOW + LINK_LIFETIME
    laptop = players.link_device("Ann", link.code)
    assert laptop.secret not in (None, phone)
    assert players.holds("Ann", str(laptop.secret))
    assert players.holds("Ann", phone)


def test_a_device_link_is_used_once_and_expires(
    players: PlayerService, clock: Clock
) -> None:
    phone = str(players.claim("Ann").secret)
    link = players.issue_link("Ann", phone)
    players.link_device("Ann", link.code)
    with pytest.raises(LinkRejectedError):
        players.link_device("Ann", link.code)
    late = players.issue_link("Ann", phone)
    clock.now += LINK_LIFETIME + timedelta(seconds=1)
    with pytest.raises(LinkRejectedError, match="expired"):
        players.link_device("Ann", late.code)


def test_only_a_holder_of_the_name_gets_a_device_link(players: PlayerService) -> None:
    players.claim("Ann")
    with pytest.raises(NameTakenError):
        players.issue_link("Ann", "a guess")
    with pytest.raises(LinkRejectedError):
        players.issue_link("Nobody", "a guess")


def test_a_claimed_name_opens_no_game_without_its_secret(
    tables: TableService, store: InMemoryEventStore
) -> None:
    tables.players.claim("Ann")
    before = len(store.read_all(0, 100))
    with pytest.raises(NameTakenError):
        tables.open_with_invite("ann")
    with pytest.raises(NameTakenError):
        tables.open_game("bob", "ANN")
    assert len(store.read_all(0, 100)) == before


def test_a_game_opened_with_the_secret_plays_under_the_claimed_spelling(
    tables: TableService,
) -> None:
    secret = str(tables.players.claim("Ann").secret)
    opening = tables.open_game("ann", "bob", [secret])
    assert [seat.player for seat in opening.seats] == ["Ann", "bob"]


def test_a_claimed_name_joins_no_game_without_its_secret(
    tables: TableService,
) -> None:
    bob = str(tables.players.claim("Bob").secret)
    opening = tables.open_with_invite("ann")
    assert opening.invite_secret is not None
    with pytest.raises(NameTakenError):
        tables.join(opening.game_id, "bob", opening.invite_secret)
    seat = tables.join(opening.game_id, "bob", opening.invite_secret, [bob])
    assert seat.player == "Bob"


def test_a_fork_of_claimed_names_needs_their_secrets(tables: TableService) -> None:
    ann = str(tables.players.claim("Ann").secret)
    bob = str(tables.players.claim("Bob").secret)
    game = tables.open_game("Ann", "Bob", [ann, bob])
    with pytest.raises(NameTakenError):
        tables.fork(game.game_id, 0, [ann])
    fork = tables.fork(game.game_id, 0, [ann, bob])
    assert [seat.player for seat in fork.seats] == ["Ann", "Bob"]


def test_a_linked_device_plays_the_names_seats_with_its_own_secret(
    tables: TableService, store: InMemoryEventStore
) -> None:
    phone = str(tables.players.claim("Ann").secret)
    game = tables.open_game("Ann", "Bob", [phone])
    link = tables.players.issue_link("Ann", phone)
    laptop = str(tables.players.link_device("Ann", link.code).secret)

    tables.move(game.game_id, laptop, Column.D)

    moves = store.read_stream(f"game-{game.game_id}")[1:]
    assert [(record.type, record.data) for record in moves] == [
        ("MoveMade", b'{"player": "Ann", "column": "D"}')
    ]


def test_a_secret_of_one_player_moves_no_one_elses_seat(
    tables: TableService,
) -> None:
    ann = str(tables.players.claim("Ann").secret)
    bob = str(tables.players.claim("Bob").secret)
    game = tables.open_game("Ann", "Bob", [ann, bob])
    with pytest.raises(SeatTokenRejectedError):
        tables.move(game.game_id, "not a secret", Column.D)
    tables.move(game.game_id, ann, Column.D)
    tables.move(game.game_id, bob, Column.D)
    state = tables.look(game.game_id)
    assert state.game is not None
    assert state.game.next_player == "Ann"


def test_devices_linked_to_the_names_offer_and_accept_a_rematch_with_their_secrets(
    store: InMemoryEventStore,
) -> None:
    # Given Ann and Bob's game, played to its end from their phones
    app = ConnectFourApp.over(EventSourcedGameRepository(store))
    tables = table_service(app, store)
    life = GameLife(app, tables)
    ann_phone = str(tables.players.claim("Ann").secret)
    bob_phone = str(tables.players.claim("Bob").secret)
    game = tables.open_game("Ann", "Bob", [ann_phone, bob_phone])
    life.resign(game.game_id, bob_phone)
    # and each name linked to a laptop, which holds no seat token
    ann_laptop = str(
        tables.players.link_device(
            "Ann", tables.players.issue_link("Ann", ann_phone).code
        ).secret
    )
    bob_laptop = str(
        tables.players.link_device(
            "Bob", tables.players.issue_link("Bob", bob_phone).code
        ).secret
    )

    # When Ann's laptop offers a rematch and Bob's laptop accepts it
    offered = life.rematch(game.game_id, ann_laptop)
    accepted = life.rematch(game.game_id, bob_laptop)

    # Then the rematch starts with colours swapped, and the laptops play it
    assert accepted.game_id == offered.game_id
    assert accepted.started
    state = app.get_game(accepted.game_id)
    assert (state.player_one, state.player_two) == ("Bob", "Ann")
    tables.move(accepted.game_id, bob_laptop, Column.C)
    tables.move(accepted.game_id, ann_phone, Column.D)


def test_a_stranger_cannot_offer_a_rematch_of_claimed_names(
    store: InMemoryEventStore,
) -> None:
    app = ConnectFourApp.over(EventSourcedGameRepository(store))
    tables = table_service(app, store)
    life = GameLife(app, tables)
    ann = str(tables.players.claim("Ann").secret)
    bob = str(tables.players.claim("Bob").secret)
    game = tables.open_game("Ann", "Bob", [ann, bob])
    life.resign(game.game_id, bob)
    stranger = str(tables.players.claim("Cy").secret)
    before = store.last_global_position()

    with pytest.raises(SeatTokenRejectedError):
        life.rematch(game.game_id, stranger)
    assert store.last_global_position() == before
