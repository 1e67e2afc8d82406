"""Your own event-sourced Connect Four, built exercise by exercise."""
