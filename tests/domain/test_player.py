"""The `Player` aggregate: a claimed name, its secrets, and one-time device links."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from connect_four.domain.exceptions import (
    InvalidPlayerNameError,
    LinkRejectedError,
    NameTakenError,
)
from connect_four.domain.names import name_key
from connect_four.domain.player import (
    DeviceLinked,
    DeviceLinkIssued,
    NameClaimed,
    Player,
    PlayerEvent,
)
from connect_four.domain.table import digest
from connect_four.eventsourcing.errors import ImpossibleEventError

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
LATER = NOW + timedelta(minutes=30)


def given(*events: PlayerEvent, key: str = "ann") -> Player:
    player = Player(key)
    player.load_from_history(events)
    return player


def claimed_by_ann() -> Player:
    return given(NameClaimed("Ann", digest("phone")))


def test_claiming_a_free_name_keeps_the_secrets_digest_not_the_secret() -> None:
    player = Player(name_key("Ann"))
    player.claim("Ann", "phone")
    assert player.uncommitted_events == [NameClaimed("Ann", digest("phone"))]
    assert player.holds(["phone"])


def test_a_claimed_name_cannot_be_claimed_again_in_any_spelling() -> None:
    player = claimed_by_ann()
    with pytest.raises(NameTakenError, match="'Ann' is taken"):
        player.claim("ANN", "laptop")
    assert player.uncommitted_events == []


def test_a_name_is_claimed_only_in_its_own_stream() -> None:
    with pytest.raises(InvalidPlayerNameError):
        Player("bob").claim("Ann", "phone")


def test_the_computers_names_cannot_be_claimed() -> None:
    with pytest.raises(InvalidPlayerNameError, match="reserved"):
        Player(name_key("computer (easy)")).claim("computer (easy)", "phone")


def test_only_a_secret_of_the_player_passes_the_check() -> None:
    player = claimed_by_ann()
    player.check(["other", "phone"])
    with pytest.raises(NameTakenError):
        player.check(["laptop"])
    with pytest.raises(NameTakenError):
        player.check([])


def test_a_device_link_is_issued_only_to_a_holder_of_the_name() -> None:
    player = claimed_by_ann()
    with pytest.raises(NameTakenError):
        player.issue_link("laptop", "code", LATER)
    player.issue_link("phone", "code", LATER)
    assert player.uncommitted_events == [
        DeviceLinkIssued(digest("code"), LATER.isoformat())
    ]


def test_the_device_that_brings_the_links_code_holds_the_name_too() -> None:
    player = given(
        NameClaimed("Ann", digest("phone")),
        DeviceLinkIssued(digest("code"), LATER.isoformat()),
    )
    player.link_device("code", "laptop", NOW)
    assert player.uncommitted_events == [DeviceLinked(digest("code"), digest("laptop"))]
    assert player.holds(["laptop"])
    assert player.holds(["phone"])


def test_a_device_link_works_once() -> None:
    player = given(
        NameClaimed("Ann", digest("phone")),
        DeviceLinkIssued(digest("code"), LATER.isoformat()),
        DeviceLinked(digest("code"), digest("laptop")),
    )
    with pytest.raises(LinkRejectedError, match="is not valid"):
        player.link_device("code", "tablet", NOW)
    assert player.uncommitted_events == []


def test_a_newer_link_replaces_an_unused_one() -> None:
    player = given(
        NameClaimed("Ann", digest("phone")),
        DeviceLinkIssued(digest("old"), LATER.isoformat()),
        DeviceLinkIssued(digest("new"), LATER.isoformat()),
    )
    with pytest.raises(LinkRejectedError):
        player.link_device("old", "laptop", NOW)
    player.link_device("new", "laptop", NOW)
    assert player.holds(["laptop"])


def test_an_expired_link_is_refused() -> None:
    player = given(
        NameClaimed("Ann", digest("phone")),
        DeviceLinkIssued(digest("code"), LATER.isoformat()),
    )
    with pytest.raises(LinkRejectedError, match="expired"):
        player.link_device("code", "laptop", LATER)
    assert player.uncommitted_events == []


def test_a_wrong_code_is_refused() -> None:
    player = given(
        NameClaimed("Ann", digest("phone")),
        DeviceLinkIssued(digest("code"), LATER.isoformat()),
    )
    with pytest.raises(LinkRejectedError):
        player.link_device("guess", "laptop", NOW)
    assert not player.holds(["laptop"])


def test_a_history_with_two_claims_is_impossible() -> None:
    with pytest.raises(ImpossibleEventError):
        given(NameClaimed("Ann", digest("a")), NameClaimed("ann", digest("b")))


def test_a_device_linked_without_a_link_is_impossible() -> None:
    with pytest.raises(ImpossibleEventError):
        given(NameClaimed("Ann", digest("a")), DeviceLinked(digest("c"), digest("b")))
