"""Wake followers of a PostgreSQL event log with LISTEN/NOTIFY instead of polling.

A statement-level trigger on the store's `events` table sends a notification
on the schema's channel after every append. PostgreSQL delivers notifications
only when the appending transaction commits, so a follower woken by one finds
the new events visible. The trigger is created, once, by the first notifier
opened on a schema; appends pay one `pg_notify` per statement from then on.

A follower still reads the log itself: a notification only says "look now".
It waits at most its poll interval, so a lost notification (a dropped
connection, say) delays it by that much and never loses an event.
"""

from __future__ import annotations

import threading
from typing import Final

import psycopg
from psycopg import sql

from connect_four.eventsourcing.errors import StoreUnavailableError
from connect_four.eventsourcing.stores.postgresql.connection import (
    CONNECT_TIMEOUT_SECONDS,
    set_up_once,
    translate_errors,
)

_TRIGGER: Final = """
CREATE OR REPLACE FUNCTION {schema}.notify_events_appended() RETURNS trigger
LANGUAGE plpgsql AS $body$
BEGIN
    PERFORM pg_notify({channel}, '');
    RETURN NULL;
END
$body$;
CREATE OR REPLACE TRIGGER events_appended
    AFTER INSERT ON {schema}.events
    FOR EACH STATEMENT EXECUTE FUNCTION {schema}.notify_events_appended();
"""

_LISTEN_SECONDS: Final = 0.2
"""How often the listening thread looks up to see whether it should stop."""
_RECONNECT_SECONDS: Final = 0.5
"""How often a notifier whose connection was lost tries to listen again."""


def channel_name(schema: str) -> str:
    """Return the notification channel of a schema's event log."""
    return f"connect_four_events_{schema}"


class PostgresAppendNotifier:
    """An `AppendNotifier` that listens on the event log's channel.

    One connection listens, in a thread of its own, for the whole process; any
    number of followers (one per projection, say) wait on it at once, and each
    notification wakes them all.
    """

    def __init__(self, conninfo: str, schema: str) -> None:
        self.schema = schema
        self._name = f"PostgreSQL schema {schema}"
        self._channel = channel_name(schema)
        self._appends = 0
        self._failure: StoreUnavailableError | None = None
        self._changed = threading.Condition()
        self._closing = threading.Event()
        with translate_errors(self._name):
            self._connection = self._connect(conninfo, set_up=True)
        self._conninfo = conninfo
        self._listener = threading.Thread(
            target=self._listen, name=f"listen {self._channel}", daemon=True
        )
        self._listener.start()

    def _connect(self, conninfo: str, *, set_up: bool = False) -> psycopg.Connection:
        """Open the listening connection (creating the trigger first if asked)."""
        connection = psycopg.connect(
            conninfo, autocommit=True, connect_timeout=CONNECT_TIMEOUT_SECONDS
        )
        try:
            if set_up:
                # Two notifiers starting at once would race on CREATE OR REPLACE.
                set_up_once(
                    connection,
                    f"connect-four notifier {self.schema}",
                    [
                        sql.SQL(_TRIGGER).format(
                            schema=sql.Identifier(self.schema),
                            channel=sql.Literal(self._channel),
                        )
                    ],
                )
            connection.execute(
                sql.SQL("LISTEN {}").format(sql.Identifier(self._channel))
            )
        except BaseException:
            connection.close()
            raise
        return connection

    def _listen(self) -> None:
        while not self._closing.is_set():
            try:
                for _ in self._connection.notifies(timeout=_LISTEN_SECONDS):
                    with self._changed:
                        self._appends += 1
                        self._changed.notify_all()
            except psycopg.OperationalError as exc:
                # Waiters raise it: a follower must not quietly fall back to
                # polling. Meanwhile, listen again as soon as the server lets.
                with self._changed:
                    self._failure = StoreUnavailableError(self._name, str(exc))
                    self._changed.notify_all()
                self._reconnect()

    def _reconnect(self) -> None:
        """Replace the lost connection, trying every `_RECONNECT_SECONDS`."""
        while not self._closing.wait(_RECONNECT_SECONDS):
            try:
                connection = self._connect(self._conninfo)
            except psycopg.OperationalError:
                continue
            self._connection.close()
            self._connection = connection
            with self._changed:
                # Appends made while no one listened went unnoticed: wake
                # every waiter, which then reads the log itself.
                self._failure = None
                self._appends += 1
                self._changed.notify_all()
            return

    def appends(self) -> int:
        """Return how many appends have been notified so far."""
        with self._changed:
            return self._appends

    def wait_for_append(self, seen: int, timeout: float) -> bool:
        """Block until more than `seen` appends were notified, or the timeout passes.

        Return whether one was.

        Raises:
            StoreUnavailableError: the listening connection was lost.
        """
        with self._changed:
            notified = self._changed.wait_for(
                lambda: self._appends != seen or self._failure is not None, timeout
            )
            if self._failure is not None:
                raise self._failure
            return notified

    def close(self) -> None:
        """Stop listening and close the connection."""
        self._closing.set()
        self._listener.join()
        self._connection.close()
