"""The game's store check: each stream replayed against its own aggregate's rules."""

from __future__ import annotations

from connect_four.application.service import ConnectFourApp
from connect_four.domain.board import Column
from connect_four.domain.game import Move
from connect_four.eventsourcing.events import NewEvent
from connect_four.eventsourcing.store import StreamState
from connect_four.eventsourcing.stores.memory.event_store import InMemoryEventStore
from connect_four.persistence.game_repository import EventSourcedGameRepository
from connect_four.persistence.players import player_service
from connect_four.persistence.store_check import check_store


def test_games_and_claimed_names_played_by_the_rules_show_no_damage() -> None:
    store = InMemoryEventStore()
    app = ConnectFourApp.over(EventSourcedGameRepository(store))
    game_id = app.create_game("ann", "bob")
    app.make_move(game_id, Move("ann", Column.D))
    player_service(store, via="terminal").claim("ann")

    survey = check_store(store)

    assert survey.is_healthy
    assert survey.streams == 2


def test_a_game_stream_that_breaks_the_rules_is_damage_though_sound_json() -> None:
    store = InMemoryEventStore()
    move_before_start = NewEvent("MoveMade", b'{"player": "ann", "column": "A"}')
    store.append("game-broken", [move_before_start], StreamState.NO_STREAM)

    survey = check_store(store)

    assert [damage.stream for damage in survey.damage] == ["game-broken"]
    assert "'ann' cannot move now" in survey.damage[0].message


def test_a_stream_of_no_aggregate_of_the_game_needs_only_json_objects() -> None:
    store = InMemoryEventStore()
    store.append("notes-1", [NewEvent("Noted", b'{"n": 1}')], StreamState.NO_STREAM)
    store.append("notes-2", [NewEvent("Noted", b"[1]")], StreamState.NO_STREAM)

    survey = check_store(store)

    assert [damage.stream for damage in survey.damage] == ["notes-2"]
