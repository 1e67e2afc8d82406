"""SQLite store URLs: the file a URL names, and the URL that names a file.

A store's name is shown in messages, in `/healthz` and in the commands the CLI
prints, and people paste it back as `--store`. So the name is built by the
inverse of the parser: `sqlite:///abs/games.db` for an absolute path and
`sqlite://games.db` for a relative one (relative to the current folder), and
reading the name gives the same path back. `sqlite:////abs/games.db`, the
SQLAlchemy spelling of an absolute path, names the same file as three slashes.

The path is taken as written (no percent-decoding), with one exception: a
query such as SQLAlchemy's `?mode=ro` is refused, since taking it as part of
the file's name would open a new, empty store under a surprising name.
"""

from __future__ import annotations

from os import PathLike

from connect_four.eventsourcing.errors import InvalidStoreURLError

SCHEME = "sqlite://"


def is_sqlite_url(url: str) -> bool:
    """Return whether a store URL names a SQLite file (its scheme, any case)."""
    return url.partition(":")[0].lower() == "sqlite"


def sqlite_path(url: str) -> str:
    """Return the file a `sqlite:` URL names: `sqlite:///abs.db`, `sqlite://rel.db`.

    Raises:
        InvalidStoreURLError: the URL names no file (or a folder), or it has a
            query such as `?mode=ro`.
    """
    path = url.partition(":")[2].removeprefix("//")
    if path.startswith("//"):
        # Linux reads "//abs.db" as "/abs.db"; one slash keeps the name short.
        path = "/" + path.lstrip("/")
    if not path or path.endswith("/"):
        raise InvalidStoreURLError(url, "it names no file")
    query = path.rpartition("?")[2]
    if "?" in path and "=" in query:
        raise InvalidStoreURLError(
            url,
            f"a SQLite URL takes no options (?{query}): it names the file alone",
        )
    return path


def sqlite_url(path: str | PathLike[str]) -> str:
    """Return the store URL that `sqlite_path` reads as this path."""
    return SCHEME + str(path)
