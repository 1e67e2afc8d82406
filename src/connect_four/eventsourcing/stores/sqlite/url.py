"""SQLite store URLs: the file a URL names, and the URL that names a file.

A store's name is shown in messages, in `/healthz` and in the commands the CLI
prints, and people paste it back as `--store`. So the name is built by the
inverse of the parser: `sqlite:///abs/games.db` for an absolute path and
`sqlite://games.db` for a relative one (relative to the current folder), and
reading the name gives the same path back. `sqlite:////abs/games.db`, the
SQLAlchemy spelling of an absolute path, names the same file as three slashes.
"""

from __future__ import annotations

from os import PathLike

from connect_four.eventsourcing.errors import InvalidStoreURLError

SCHEME = "sqlite://"


def sqlite_path(url: str) -> str:
    """Return the file a `sqlite:` URL names: `sqlite:///abs.db`, `sqlite://rel.db`.

    Raises:
        InvalidStoreURLError: the URL names no file.
    """
    path = url.partition(":")[2].removeprefix("//")
    if path.startswith("//"):
        # Linux reads "//abs.db" as "/abs.db"; one slash keeps the name short.
        path = "/" + path.lstrip("/")
    if not path:
        raise InvalidStoreURLError(url, "it names no file")
    return path


def sqlite_url(path: str | PathLike[str]) -> str:
    """Return the store URL that `sqlite_path` reads as this path."""
    return SCHEME + str(path)
