"""Group commit: appends that arrive together share one durable transaction.

A durable commit costs a flush of the log to disk (SQLite's fsync, or
PostgreSQL's WAL flush and a round trip), and that flush, not the rows, is
most of what an append costs. When several threads append at once (a web
server playing many games), `GroupCommit` lets the first one commit at once,
as it would without this class, and queues those that arrive while that
commit is in flight; when it ends, the oldest waiting thread takes everything
queued and commits it in one transaction, with one flush. The store's
`commit` function takes a list of appends (a lone append is a list of one),
checks each on its own and answers each: a result, or the error that caller
must see, so that a conflicting append fails alone. Every caller still
returns only after its events are durable.

What a grouped append costs besides its rows is mostly waking its thread:
each waiting caller sleeps on a lock of its own, which the committing thread
releases once, when its outcome is known (one wake-up per caller, no
condition variable, no thread woken to find nothing to do). The next leader
is woken first, so that the next transaction's flush starts while the others
wake.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Final, Generic, TypeVar

Work = TypeVar("Work")
Result = TypeVar("Result")

MAX_BATCH: Final = 64
"""The most appends one transaction takes; the rest wait for the next one."""


class _Entry(Generic[Work, Result]):
    """One caller's append, waiting for its turn or its outcome."""

    __slots__ = ("asleep", "done", "error", "result", "work")

    def __init__(self, work: Work) -> None:
        self.work = work
        self.asleep: threading.Lock | None = None
        """Held for a caller that waits: releasing it wakes that caller."""
        self.done = False
        self.result: Result | None = None
        self.error: BaseException | None = None

    def outcome(self) -> Result:
        """Return the append's result, or raise its error."""
        if self.error is not None:
            raise self.error
        if self.result is None:
            raise RuntimeError("a grouped append ended without an outcome")
        return self.result


class GroupCommit(Generic[Work, Result]):
    """Commit concurrent callers' work in shared transactions, one at a time.

    `commit(works)` commits a list of work in one transaction and returns,
    for each, its result or the error that caller must see; if it raises,
    the whole transaction failed and every caller in it gets that error.
    """

    def __init__(
        self,
        commit: Callable[[Sequence[Work]], list[Result | Exception]],
        max_batch: int = MAX_BATCH,
    ) -> None:
        self._commit_batch = commit
        self._max_batch = max_batch
        self._mutex = threading.Lock()
        self._queue: list[_Entry[Work, Result]] = []
        self._busy = False
        self.transactions = 0
        """Transactions committed (or tried), for benchmarks and tests."""
        self.grouped = 0
        """Appends that shared a transaction with others."""

    @property
    def waiting(self) -> int:
        """Return how many callers wait for a transaction to take their work."""
        with self._mutex:
            return len(self._queue)

    def submit(self, work: Work) -> Result:
        """Commit the work, with whatever else is waiting; return its result."""
        entry: _Entry[Work, Result] = _Entry(work)
        with self._mutex:
            self._queue.append(entry)
            if self._busy:
                entry.asleep = threading.Lock()
                entry.asleep.acquire()
            else:
                self._busy = True
        if entry.asleep is not None:
            entry.asleep.acquire()  # until a leader wakes it: done, or to lead
            if entry.done:
                return entry.outcome()
        self._lead()
        return entry.outcome()

    def _lead(self) -> None:
        """Commit the oldest queued work (this thread's own first), then hand on."""
        with self._mutex:
            batch = self._queue[: self._max_batch]
            del self._queue[: self._max_batch]
        try:
            self._commit(batch)
        finally:
            with self._mutex:
                following = self._queue[0] if self._queue else None
                self._busy = following is not None
            if following is not None and following.asleep is not None:
                following.asleep.release()
            # The first entry is this thread's own: it is awake.
            for entry in batch[1:]:
                if entry.asleep is not None:
                    entry.asleep.release()

    def _commit(self, batch: list[_Entry[Work, Result]]) -> None:
        """Commit a batch and give each entry its outcome."""
        self.transactions += 1
        if len(batch) > 1:
            self.grouped += len(batch)
        try:
            try:
                outcomes = self._commit_batch([entry.work for entry in batch])
            # Not swallowed: handed to every caller in the transaction, each of
            # which raises it in its own thread (as concurrent.futures does).
            except Exception as error:  # noqa: BLE001
                outcomes = [error] * len(batch)
            for entry, outcome in zip(batch, outcomes, strict=True):
                if isinstance(outcome, Exception):
                    entry.error = outcome
                else:
                    entry.result = outcome
        finally:
            for entry in batch:
                if entry.result is None and entry.error is None:
                    entry.error = RuntimeError("the group commit was interrupted")
                entry.done = True
