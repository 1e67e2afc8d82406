"""The workshop: build the game's event-sourced core yourself, exercise by exercise.

`connect-four workshop start DIR` copies the material (pages, a skeleton
package `mygame`, the exercise tests) into a workspace; `check N` runs one
exercise's tests on it and gives the next hint; `solution N` shows where this
project implements the same thing; `connect-four play --workspace DIR` plays
on the learner's code. docs/workshop.md is the guide.

- `exercises.py`: the exercises, their files and their counterparts here;
- `workspace.py`: making a workspace and keeping its progress;
- `checking.py`: running an exercise's tests and reading their outcome;
- `pages.py`: the exercise pages and their hints;
- `playing.py`: the terminal game on the learner's package.
"""
