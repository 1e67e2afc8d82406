"""Where Pascal Pons' test sets are looked for, and what a missing one says."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ai import conftest
from tests.ai.conftest import pons_lines


def test_a_missing_set_is_skipped_saying_where_to_get_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(conftest, "PONS_SETS", tmp_path)

    with pytest.raises(pytest.skip.Exception) as skipped:
        pons_lines("Test_L1_R1")

    reason = str(skipped.value)
    assert "public, from Pascal Pons' 'Solving Connect 4' blog" in reason
    assert "../shared/bench/pons/ beside the clone" in reason
    assert "CONNECT_FOUR_PONS_SETS" in reason
