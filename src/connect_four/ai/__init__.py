"""The computer opponent: a bitboard engine, an exact solver and levels of play.

Import `connect_four.ai.players` for `ComputerPlayer`. Nothing here imports numba
until an engine is first built, so the command line starts fast.
"""
