"""The library app opens the file a store URL names, as `open_store` reads it."""

from __future__ import annotations

from pathlib import Path

import pytest

from connect_four.library.application import open_library_app


@pytest.mark.parametrize(
    "url",
    [
        "sqlite://games.db",
        "sqlite:games.db",
        "sqlite://{cwd}/games.db",
        "sqlite:///{cwd}/games.db",
    ],
)
def test_a_sqlite_url_names_the_same_file_for_both_apps(
    url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    app = open_library_app(url.format(cwd=tmp_path))

    app.create_game("ann", "bob")

    assert (tmp_path / "games.db").stat().st_size > 0


@pytest.mark.parametrize("url", ["sqlite:", "postgresql://db", "games.db"])
def test_a_url_the_library_app_cannot_open_is_refused_clearly(url: str) -> None:
    with pytest.raises(ValueError, match=r"library app runs on|names no file"):
        open_library_app(url)
