"""The SQLite backend: events, read models and snapshots in one file."""
