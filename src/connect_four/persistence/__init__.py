"""Game-specific persistence adapters, such as the seed's KurrentDB repository."""
