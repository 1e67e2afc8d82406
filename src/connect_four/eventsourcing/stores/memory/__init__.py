"""The in-memory backend: events, read models and snapshots in dicts (tests, demos)."""
