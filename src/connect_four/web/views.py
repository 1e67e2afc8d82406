"""What the API shows: games and stored events as JSON, secrets left out.

A game's view comes from `TableService.look`, which folds the game's stream
(checking every stored event, as any load does) and its table; the store's
positions go beside it, so a browser can ask for the live events that follow
exactly the state it was shown.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Final

from connect_four.application.tables import Opening, SeatedGame
from connect_four.domain.board import COLUMNS, ROWS, Column
from connect_four.domain.events import Forfeit, GameEvent, MoveMade, PlayerResigned
from connect_four.domain.names import name_key
from connect_four.domain.result import GameResult
from connect_four.domain.table import Seat, Table
from connect_four.eventsourcing.codec import JSONObject
from connect_four.eventsourcing.events import RecordedEvent
from connect_four.persistence.codec import PLAYER_STREAM_PREFIX, TABLE_STREAM_PREFIX
from connect_four.readmodels import GameStatus, GameSummary, Standing
from connect_four.readmodels.tables import TableSummary

REDACTED: Final = "(redacted)"
_DIGEST_KEYS: Final = ("token_sha256", "secret_sha256", "link_sha256")
_SECRET_STREAMS: Final = (TABLE_STREAM_PREFIX, PLAYER_STREAM_PREFIX)
"""Streams whose events hold digests of secrets: seats, and claimed names."""


def game_view(seated: SeatedGame, claim_after: timedelta | None = None) -> JSONObject:
    """Return a game's state, players, moves and positions.

    With `claim_after`, a game in play says since when it has waited for its
    next move (the time its last event was stored) and how long after that
    the waiting player may claim the win. Both are stored facts and a
    setting, so the same game always gets the same answer. `player_keys` are
    the players' name keys, by which a page finds the seats of the names it
    plays under (see `domain/names.py`).
    """
    view = _game_view(seated, claim_after)
    view["player_keys"] = [
        None if name is None else name_key(str(name))
        for name in (view["player_one"], view["player_two"])
    ]
    return view


def _game_view(seated: SeatedGame, claim_after: timedelta | None) -> JSONObject:
    game, table, records = seated.game, seated.table, seated.records
    position = game_position(seated)
    if game is None:
        holders = {} if table is None else table.holders
        first, second = holders.get(Seat.ONE), holders.get(Seat.TWO)
        withdrawn = table is not None and table.withdrawn
        return {
            **_empty(seated.game_id, "abandoned" if withdrawn else "waiting", position),
            "player_one": None if first is None else first.player,
            "player_two": None if second is None else second.player,
            "seats": _seats_view(table),
        }
    return {
        **_empty(
            seated.game_id, "finished" if game.is_finished else "playing", position
        ),
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
        "seats": _seats_view(table),
        "version": records[-1].stream_position if records else -1,
        "created_at": records[0].recorded_at.isoformat() if records else None,
        "forked_from": _metadata(records[0]).get("forked_from") if records else None,
        "ending": ending_view(game.forfeit),
        "claim": _claim_view(game.is_finished, records, claim_after),
    }


def ending_view(forfeit: Forfeit | None) -> JSONObject | None:
    """Return how a game ended off the board: `resigned` or `claimed`, and by whom."""
    if forfeit is None:
        return None
    kind = "resigned" if isinstance(forfeit, PlayerResigned) else "claimed"
    return {"kind": kind, "player": forfeit.player}


def _claim_view(
    is_finished: bool, records: Sequence[RecordedEvent], claim_after: timedelta | None
) -> JSONObject | None:
    if claim_after is None or is_finished or not records:
        return None
    return {
        "waiting_since": records[-1].recorded_at.isoformat(),
        "after_seconds": claim_after.total_seconds(),
    }


def game_position(seated: SeatedGame) -> int:
    """Return the global position of a game's or its seats' latest event."""
    records = seated.records
    return max(records[-1].global_position if records else 0, seated.table_position)


def _empty(game_id: str, status: str, position: int) -> JSONObject:
    return {
        "game_id": game_id,
        "status": status,
        "player_one": None,
        "player_two": None,
        "next_player": None,
        "result": None,
        "winner": None,
        "board": {str(column): [] for column in Column},
        "moves": [],
        "rows": ROWS,
        "columns": COLUMNS,
        "version": -1,
        "position": position,
        "created_at": None,
        "forked_from": None,
        "ending": None,
        "claim": None,
    }


def _seats_view(table: Table | None) -> JSONObject:
    computer = None if table is None else table.computer
    holders = {} if table is None else table.holders
    offered = None if table is None else table.offered
    return {
        "computer": None if computer is None else computer.computer,
        "computer_player": None if computer is None else computer.player,
        "on_web": table is not None,
        "player_one_taken": Seat.ONE in holders,
        "player_two_taken": Seat.TWO in holders,
        "invite_open": table is not None and table.is_waiting,
        "offer_open": table is not None and table.is_offered,
        "offered_to": None if offered is None else offered.player,
        "withdrawn": table is not None and table.withdrawn,
        "rematch": _rematch_view(table),
    }


def _rematch_view(table: Table | None) -> JSONObject | None:
    offer = None if table is None else table.rematch
    if table is None or offer is None:
        return None
    by = table.holders.get(Seat(offer.seat))
    return {"game_id": offer.game_id, "offered_by": None if by is None else by.player}


def summary_view(summary: GameSummary) -> JSONObject:
    """Return a line of the game list, as the lobby shows it."""
    updated = summary.finished_at or summary.last_move_at or summary.started_at
    return {
        "game_id": summary.id,
        "status": "finished" if summary.status is GameStatus.FINISHED else "playing",
        "player_one": summary.player_one,
        "player_two": summary.player_two,
        "moves": summary.moves,
        "result": None if summary.result is None else str(summary.result),
        "winner": summary.winner,
        "forked_from": summary.forked_from,
        "ending": summary.ending,
        "created_at": _iso(summary.started_at),
        "updated_at": _iso(updated),
        "position": summary.position,
    }


def waiting_view(table: TableSummary) -> JSONObject:
    """Return a game waiting for its second player, as the lobby lists it."""
    return {
        "game_id": table.id,
        "status": "waiting",
        "player_one": table.player_one,
        "player_two": None,
        "moves": 0,
        "result": None,
        "winner": None,
        "forked_from": None,
        "ending": None,
        "created_at": _iso(table.opened_at),
        "updated_at": _iso(table.opened_at),
        "position": table.position,
    }


def standing_view(standing: Standing) -> JSONObject:
    """Return a player's line of the leaderboard."""
    return {
        "player": standing.player,
        "played": standing.games,
        "won": standing.wins,
        "lost": standing.losses,
        "tied": standing.draws,
        "rating": round(standing.rating),
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
    if record.stream.startswith(_SECRET_STREAMS) and isinstance(data, dict):
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


def redact(data: Mapping[str, object]) -> dict[str, object]:
    """Return event data with digests of secrets replaced, for public display."""
    return {
        key: REDACTED if key in _DIGEST_KEYS else value for key, value in data.items()
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


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()
