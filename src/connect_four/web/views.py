"""What the API shows: games and stored events as JSON, secrets left out.

A game's view is folded from its stream by the game repository, which checks
every stored event as any load does, with the store's positions beside it, so
a browser can ask for the live events that follow exactly the state it was
shown.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from connect_four.application import UnknownGameError
from connect_four.application.codec import GAME_STREAM_PREFIX
from connect_four.domain.board import COLUMNS, ROWS, Column
from connect_four.domain.events import GameEvent, MoveMade
from connect_four.domain.result import GameResult
from connect_four.eventsourcing.codec import JSONObject
from connect_four.eventsourcing.events import RecordedEvent
from connect_four.eventsourcing.store import EventStore
from connect_four.web.host import GameHost, Opening
from connect_four.web.seats import SEATS_STREAM_PREFIX, Seat, Seating, redact


def game_stream(game_id: str) -> str:
    """Return the name of the stream that holds a game's events."""
    return GAME_STREAM_PREFIX + game_id


def game_view(store: EventStore, host: GameHost, game_id: str) -> JSONObject:
    """Return a game's state, players, moves and positions.

    Raises:
        UnknownGameError: there is no such game.
        UnreadableEventError: a stored event cannot be read, or breaks the
            rules of the game.
    """
    seating = host.seating(game_id)
    records = store.read_stream(game_stream(game_id))
    if not records and seating.is_complete:
        host.start_if_seated(game_id, seating)
        records = store.read_stream(game_stream(game_id))
    if not records:
        if not seating.exists:
            raise UnknownGameError(game_id)
        return _waiting_view(game_id, seating)
    game = host.games.replay(game_id, records)
    return {
        "game_id": game_id,
        "status": "finished" if game.is_finished else "playing",
        "player_one": game.player_one,
        "player_two": game.player_two,
        "next_player": game.next_player,
        "result": None if game.result is None else str(game.result),
        "winner": winner(game.result, game.player_one, game.player_two),
        "board": {
            str(column): [str(token) for token in tokens]
            for column, tokens in game.board.items()
        },
        "moves": moves_of(game.events),
        "rows": ROWS,
        "columns": COLUMNS,
        "seats": _seats_view(seating),
        "version": records[-1].stream_position,
        "position": max(records[-1].global_position, seating.global_position),
        "created_at": records[0].recorded_at.isoformat(),
        "forked_from": _metadata(records[0]).get("forked_from"),
    }


def _waiting_view(game_id: str, seating: Seating) -> JSONObject:
    first = seating.holders.get(Seat.ONE)
    return {
        "game_id": game_id,
        "status": "waiting",
        "player_one": None if first is None else first.player,
        "player_two": None,
        "next_player": None,
        "result": None,
        "winner": None,
        "board": {str(column): [] for column in Column},
        "moves": [],
        "rows": ROWS,
        "columns": COLUMNS,
        "seats": _seats_view(seating),
        "version": -1,
        "position": seating.global_position,
        "created_at": None,
        "forked_from": None,
    }


def _seats_view(seating: Seating) -> JSONObject:
    computer = seating.computer
    return {
        "computer": None if computer is None else computer.computer,
        "on_web": seating.exists,
        "player_one_taken": Seat.ONE in seating.holders,
        "player_two_taken": Seat.TWO in seating.holders,
        "invite_open": seating.is_waiting,
    }


def winner(
    result: GameResult | None, player_one: str | None, player_two: str | None
) -> str | None:
    """Return the name of the winner, or None for a tie or an unfinished game."""
    if result is GameResult.PLAYER_ONE_WON:
        return player_one
    if result is GameResult.PLAYER_TWO_WON:
        return player_two
    return None


def moves_of(events: Sequence[GameEvent]) -> list[str]:
    """Return the columns played, in order, as letters."""
    return [str(event.column) for event in events if isinstance(event, MoveMade)]


def opening_view(opening: Opening, base_url: str) -> JSONObject:
    """Return what the creator of a game gets: its id, their seats and the invite."""
    invite = opening.invite_secret
    page = f"{base_url.rstrip('/')}/games/{opening.game_id}"
    return {
        "game_id": opening.game_id,
        "seats": [
            {"seat": int(issued.seat), "player": issued.player, "token": issued.token}
            for issued in opening.seats
        ],
        "invite_secret": invite,
        # The secret travels in the fragment, which browsers never send to a
        # server, so it cannot end up in any access log on the way.
        "invite_url": None if invite is None else f"{page}#join={invite}",
        "watch_url": page,
    }


def event_view(record: RecordedEvent) -> JSONObject:
    """Return a stored event as the stream browser shows it, secrets redacted."""
    data = _parse(record.data)
    if record.stream.startswith(SEATS_STREAM_PREFIX) and isinstance(data, dict):
        data = redact(data)
    return {
        "global_position": record.global_position,
        "stream": record.stream,
        "stream_position": record.stream_position,
        "id": str(record.id),
        "type": record.type,
        "data": data,
        "metadata": _parse(record.metadata),
        "recorded_at": record.recorded_at.isoformat(),
    }


def _parse(raw: bytes) -> object:
    # The browser shows what is stored, even bytes that are not JSON.
    try:
        parsed: object = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return raw.decode("utf-8", errors="replace")
    return parsed


def _metadata(record: RecordedEvent) -> JSONObject:
    parsed = _parse(record.metadata)
    return parsed if isinstance(parsed, dict) else {}
