"""The same game on the `eventsourcing` package: what a library does for you.

This project builds its event-sourcing blocks by hand (`connect_four.eventsourcing`)
so that a reader can see them. The tutorial says that, after that, moving to an
existing package such as `eventsourcing` should be a small step; this package
takes it. The rules are the game's own; the aggregate base, the event classes,
the repository, the recorders (memory and SQLite) and the optimistic
concurrency come from the library:

- `game.py`: the `Game` aggregate on `eventsourcing.domain.Aggregate`;
- `mapper.py`: the events stored as our core stores them (the seed's type
  names and JSON, and our `PlayerResigned` and `WinClaimed`), so that each app
  reads the other's games;
- `application.py`: `LibraryConnectFourApp`, the seed's commands and queries,
  and resigning and claiming a win, on `eventsourcing.application.Application`.

docs/concepts.md ("The same game on the eventsourcing package") compares each
file with its counterpart here. Needs the `library` extra.
"""
