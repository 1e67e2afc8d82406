"""Group commit: work that arrives together shares a transaction, each answered alone.

The stores' use of it is tested in test_shared_transactions.py.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

import pytest

from connect_four.eventsourcing.stores.sql.group_commit import GroupCommit
from tests.eventsourcing.stores.waiting import WAIT_SECONDS, wait_until


class Recorder:
    """A committer that holds its first commit until released, and notes each."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.first_started = threading.Event()
        self.batches: list[list[str]] = []

    def commit(self, works: Sequence[str]) -> list[str | Exception]:
        self.batches.append(sorted(works))
        if "first" in works:
            self.first_started.set()
            self.release.wait(WAIT_SECONDS)
        return [
            ValueError(f"{work} refused") if work == "bad" else f"{work} stored"
            for work in works
        ]


def submit_in_threads(
    group: GroupCommit[str, str], works: Sequence[str], outcomes: dict[str, object]
) -> list[threading.Thread]:
    def submit(work: str) -> None:
        try:
            outcomes[work] = group.submit(work)
        except ValueError as error:
            outcomes[work] = error

    threads = [threading.Thread(target=submit, args=(work,)) for work in works]
    for thread in threads:
        thread.start()
    return threads


def test_a_lone_append_commits_at_once_as_a_batch_of_one() -> None:
    recorder = Recorder()
    group = GroupCommit(recorder.commit)

    assert group.submit("only") == "only stored"
    assert recorder.batches == [["only"]]
    assert (group.transactions, group.grouped) == (1, 0)


def test_a_lone_append_that_is_refused_raises_its_own_error() -> None:
    group = GroupCommit(Recorder().commit)

    with pytest.raises(ValueError, match="bad refused"):
        group.submit("bad")


def test_appends_arriving_during_a_commit_share_the_next_one_and_fail_alone() -> None:
    recorder = Recorder()
    group = GroupCommit(recorder.commit)
    outcomes: dict[str, object] = {}
    first = submit_in_threads(group, ["first"], outcomes)
    assert recorder.first_started.wait(WAIT_SECONDS)

    others = submit_in_threads(group, ["a", "bad", "b"], outcomes)
    wait_until(lambda: group.waiting == 3, "three appends waiting")
    recorder.release.set()
    for thread in first + others:
        thread.join(WAIT_SECONDS)

    assert recorder.batches == [["first"], ["a", "b", "bad"]]
    assert outcomes["first"] == "first stored"
    assert (outcomes["a"], outcomes["b"]) == ("a stored", "b stored")
    assert str(outcomes["bad"]) == "bad refused"
    assert (group.transactions, group.grouped) == (2, 3)


def test_appends_beyond_a_full_batch_wait_for_the_transaction_after() -> None:
    recorder = Recorder()
    group = GroupCommit(recorder.commit, max_batch=2)
    outcomes: dict[str, object] = {}
    first = submit_in_threads(group, ["first"], outcomes)
    assert recorder.first_started.wait(WAIT_SECONDS)

    others = submit_in_threads(group, ["a", "b", "c"], outcomes)
    wait_until(lambda: group.waiting == 3, "three appends waiting")
    recorder.release.set()
    for thread in first + others:
        thread.join(WAIT_SECONDS)

    assert [len(batch) for batch in recorder.batches] == [1, 2, 1]
    assert sorted(work for batch in recorder.batches for work in batch) == [
        "a",
        "b",
        "c",
        "first",
    ]
    assert all(outcomes[work] == f"{work} stored" for work in ("a", "b", "c"))


def test_a_failed_shared_transaction_fails_each_of_its_appends() -> None:
    recorder = Recorder()

    def broken(works: Sequence[str]) -> list[str | Exception]:
        if "first" in works:
            return recorder.commit(works)
        raise ValueError("the disk is full")

    group = GroupCommit(broken)
    outcomes: dict[str, object] = {}
    first = submit_in_threads(group, ["first"], outcomes)
    assert recorder.first_started.wait(WAIT_SECONDS)
    others = submit_in_threads(group, ["a", "b"], outcomes)
    wait_until(lambda: group.waiting == 2, "two appends waiting")
    recorder.release.set()
    for thread in first + others:
        thread.join(WAIT_SECONDS)

    assert outcomes["first"] == "first stored"
    assert [str(outcomes[work]) for work in ("a", "b")] == ["the disk is full"] * 2
