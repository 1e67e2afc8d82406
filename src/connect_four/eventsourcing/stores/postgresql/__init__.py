"""The PostgreSQL backend: events, read models and snapshots in one schema."""
