"""The KurrentDB (EventStoreDB) backend: the seed's own store."""
