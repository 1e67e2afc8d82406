"""An event-sourced Connect Four: the tutorial's game, built for real."""
