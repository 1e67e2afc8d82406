"""Exercise 1: src/connect_four/eventsourcing/aggregate.py."""

from connect_four.eventsourcing.aggregate import NEW, Aggregate

__all__ = ["NEW", "Aggregate"]
