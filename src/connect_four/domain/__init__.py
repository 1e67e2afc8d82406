"""The game of Connect Four, as an event-sourced aggregate."""
