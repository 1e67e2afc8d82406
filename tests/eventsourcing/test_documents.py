"""A read model's damaged document names the rebuild that repairs it."""

from __future__ import annotations

import pytest

from connect_four.eventsourcing.documents import decode_document
from connect_four.eventsourcing.errors import UnreadableDocumentError


def test_a_stored_document_reads_back_as_its_json_object() -> None:
    assert decode_document('{"moves": 3}', "games") == {"moves": 3}


def test_a_document_that_is_not_json_names_the_rebuild_that_repairs_it() -> None:
    with pytest.raises(UnreadableDocumentError) as refused:
        decode_document("{broken", "games", "game g1")

    assert (refused.value.projection, refused.value.key) == ("games", "game g1")
    assert "run `connect-four projections rebuild games`" in str(refused.value)


def test_a_document_that_is_json_but_no_object_is_refused_as_well() -> None:
    with pytest.raises(UnreadableDocumentError):
        decode_document("[1, 2]", "leaderboard")
