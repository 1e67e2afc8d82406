"""Turning the SQLite store's rows into envelopes, checking each row on the way.

SQLite keeps any value in any column: a `sqlite3` shell `UPDATE` that sets
`metadata = '{}'` stores text where the store wrote bytes, and a hand-typed
`recorded_at` may be text or a number no clock can show. Such a row must not
reach the codec (where it would fail with a `TypeError` far from its cause)
nor be skipped: it is refused here with an `UnreadableEventError` that names
the store, the stream, the position and the column.

The check is a handful of `type(...) is` tests per row, and the timestamp
conversion, which was already there, is shared by the events of one append.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TypeAlias

from connect_four.eventsourcing.errors import UnreadableEventError
from connect_four.eventsourcing.events import RecordedEvent

Row: TypeAlias = tuple[object, ...]
"""global_position, stream, stream_position, event_id, type, data, metadata,
recorded_at, as the store selects them."""

_KINDS = (
    ("global_position", int),
    ("stream", str),
    ("stream_position", int),
    ("event_id", str),
    ("type", str),
    ("data", bytes),
    ("metadata", bytes),
)
_SQL_NAMES = {int: "an integer", str: "text", bytes: "a blob", float: "a real"}


def records(rows: list[Row], store: str) -> list[RecordedEvent]:
    """Build envelopes from rows; events of one append share one timestamp.

    Raises:
        UnreadableEventError: a column holds a value of the wrong type, or the
            time is not a number of seconds a date can show.
    """
    times: dict[object, datetime] = {}
    result = []
    for row in rows:
        global_position, stream, stream_position, id_, type_, data, metadata, at = row
        if not (
            type(data) is bytes
            and type(metadata) is bytes
            and type(stream_position) is int
            and type(id_) is str
            and type(type_) is str
            and type(stream) is str
            and type(global_position) is int
        ):
            raise _damaged(row, store, _wrong_column(row))
        recorded_at = times.get(at)
        if recorded_at is None:
            recorded_at = times[at] = _time(row, store)
        result.append(
            RecordedEvent(
                id_,
                stream,
                stream_position,
                global_position,
                type_,
                data,
                metadata,
                recorded_at,
            )
        )
    return result


def _time(row: Row, store: str) -> datetime:
    """Return the row's `recorded_at` (seconds since the epoch) as a UTC time."""
    at = row[7]
    if type(at) not in (float, int):
        raise _damaged(
            row, store, f"recorded_at is {_sql_name(at)} ({at!r}), not a number"
        )
    try:
        return datetime.fromtimestamp(at, UTC)  # type: ignore[arg-type]  # checked above
    except (ValueError, OverflowError, OSError) as exc:
        raise _damaged(
            row, store, f"recorded_at {at!r} is not a possible time ({exc})"
        ) from exc


def _wrong_column(row: Row) -> str:
    """Say which column holds a value of the wrong type."""
    for index, (column, kind) in enumerate(_KINDS):
        value = row[index]
        if type(value) is not kind:
            return (
                f"{column} is {_sql_name(value)}, not {_SQL_NAMES[kind]}"
                " (was the row edited by hand?)"
            )
    return "a column holds a value of the wrong type"


def _sql_name(value: object) -> str:
    if value is None:
        return "NULL"
    return _SQL_NAMES.get(type(value), type(value).__name__)


def _damaged(row: Row, store: str, reason: str) -> UnreadableEventError:
    """Return the error naming a damaged row by whatever of it can be read."""
    stream, position, type_ = row[1], row[2], row[4]
    error = UnreadableEventError(
        stream if type(stream) is str else repr(stream),
        position if type(position) is int else -1,
        type_ if type(type_) is str else repr(type_),
        reason,
        store,
    )
    if type(row[0]) is int:
        error.global_position = row[0]
    return error
