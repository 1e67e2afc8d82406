"""This project's implementation, in the shape of the workshop's `mygame` package.

Each module names the project's own code (re-exported, or wrapped where the
exercise's interface is simpler): the exercise tests run against it in CI
and must pass. `connect-four workshop solution N` points to the files.
"""
