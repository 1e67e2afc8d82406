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

from typing import Final

import psycopg
from psycopg import sql

from connect_four.eventsourcing.errors import StoreUnavailableError
from connect_four.eventsourcing.stores.postgres import CONNECT_TIMEOUT_SECONDS

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


def channel_name(schema: str) -> str:
    """Return the notification channel of a schema's event log."""
    return f"connect_four_events_{schema}"


class PostgresAppendNotifier:
    """An `AppendNotifier` that listens on the event log's channel."""

    def __init__(self, conninfo: str, schema: str) -> None:
        self.schema = schema
        self._channel = channel_name(schema)
        try:
            self._connection = psycopg.connect(
                conninfo, autocommit=True, connect_timeout=CONNECT_TIMEOUT_SECONDS
            )
            self._install_trigger()
            self._connection.execute(
                sql.SQL("LISTEN {}").format(sql.Identifier(self._channel))
            )
        except psycopg.OperationalError as exc:
            raise StoreUnavailableError(
                f"PostgreSQL schema {schema}", str(exc)
            ) from exc

    def _install_trigger(self) -> None:
        connection = self._connection
        with connection.transaction():
            # Two notifiers starting at once would race on CREATE OR REPLACE.
            connection.execute(
                "SELECT pg_advisory_xact_lock(hashtext(%s))",
                (f"connect-four notifier {self.schema}",),
            )
            connection.execute(
                sql.SQL(_TRIGGER).format(
                    schema=sql.Identifier(self.schema),
                    channel=sql.Literal(self._channel),
                )
            )

    def wait_for_append(self, timeout: float) -> bool:
        """Block until an append is notified or the timeout passes; say which."""
        try:
            for _ in self._connection.notifies(timeout=timeout, stop_after=1):
                return True
        except psycopg.OperationalError as exc:
            raise StoreUnavailableError(
                f"PostgreSQL schema {self.schema}", str(exc)
            ) from exc
        return False

    def close(self) -> None:
        """Stop listening and close the connection."""
        self._connection.close()
