"""Allow `python -m connect_four.cli`."""

from connect_four.cli import main

main()
