"""Group commit: appends that arrive together share one durable transaction.

A durable commit costs a flush of the log to disk (SQLite's fsync, or
PostgreSQL's WAL flush and a round trip), and that flush, not the rows, is
most of what an append costs. When several threads append at once (a web
server playing many games), `GroupCommit` lets the first one commit alone, as
it would without this class, and queues those that arrive while that commit
is in flight; when it ends, the oldest waiting thread takes everything queued
and commits it in one transaction, with one flush. Each append in it stays
atomic and checked on its own (the store runs it in a savepoint or
subtransaction, so a conflicting append fails alone), and each caller gets
its own result or error. A lone append never waits for others: it commits at
once, exactly as before.

This is a speed-up beside the stores' plain append, not a change of what an
append promises: every caller still returns only after its events are durable.
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

    __slots__ = ("error", "finished", "result", "wake", "work")

    def __init__(self, work: Work) -> None:
        self.work = work
        self.wake = threading.Event()
        self.finished = False
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
    """Commit concurrent callers' work alone or together, one transaction at a time.

    `alone(work)` commits one caller's work as the store always has.
    `together(works)` commits several in one transaction and returns, for each,
    its result or the error that caller must see; if it raises, the whole
    transaction failed and every caller in it gets that error.
    """

    def __init__(
        self,
        alone: Callable[[Work], Result],
        together: Callable[[Sequence[Work]], list[Result | Exception]],
        max_batch: int = MAX_BATCH,
    ) -> None:
        self._alone = alone
        self._together = together
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
            leads = not self._busy
            self._busy = True
        if not leads:
            entry.wake.wait()
            if entry.finished:
                return entry.outcome()
        # This thread leads now: its entry is the oldest in the queue.
        with self._mutex:
            batch = self._queue[: self._max_batch]
            del self._queue[: self._max_batch]
        try:
            self._commit(batch)
        finally:
            with self._mutex:
                if self._queue:
                    self._queue[0].wake.set()  # the next leader
                else:
                    self._busy = False
        return entry.outcome()

    def _commit(self, batch: list[_Entry[Work, Result]]) -> None:
        """Commit a batch, give each entry its outcome and wake its caller.

        A batch of one is the leader's own work: its error simply propagates.
        """
        self.transactions += 1
        try:
            if len(batch) == 1:
                batch[0].result = self._alone(batch[0].work)
                return
            self.grouped += len(batch)
            try:
                outcomes = self._together([entry.work for entry in batch])
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
                entry.finished = True
                entry.wake.set()
