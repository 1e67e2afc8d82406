"""The terminal game on the learner's own package, as the tutorial's client did.

The learner's `mygame` is imported from the workspace. Until exercise 3 is
done, games live in memory (the given `InMemoryGameRepository`); afterwards
in the workspace's `games.db`, through the learner's `GameRepository`. Where
an exercise is not done yet, the learner's code raises `NotImplementedError`
("exercise N: ..."): the game stops with a message that names the exercise.
"""

from __future__ import annotations

import importlib
import re
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

from connect_four.domain.board import Column
from connect_four.domain.exceptions import ConnectFourError
from connect_four.domain.result import GameResult
from connect_four.presentation import generate_board_string
from connect_four.workshop.errors import ExerciseNotDoneError, LearnerCodeError
from connect_four.workshop.exercises import PACKAGE, exercise_of_file
from connect_four.workshop.workspace import Workspace

_EXERCISE = re.compile(r"exercise (\d+)")


def load_package(workspace: Workspace) -> dict[str, ModuleType]:
    """Import the learner's `app`, `game` and `repository` modules."""
    sys.path.insert(0, str(workspace.root))
    for name in list(sys.modules):
        if name == PACKAGE or name.startswith(PACKAGE + "."):
            del sys.modules[name]  # a package of the same name imported before
    return {
        name: _learner(importlib.import_module, f"{PACKAGE}.{name}")
        for name in ("app", "game", "repository")
    }


def _learner(call: Callable[..., Any], *args: Any) -> Any:
    """Run learner code; turn its unfinished parts and its surprises into messages.

    Raises:
        ExerciseNotDoneError: it reached a `NotImplementedError`.
        LearnerCodeError: it raised anything else but a game rule.
    """
    try:
        return call(*args)
    except ConnectFourError:
        raise
    except NotImplementedError as error:
        where = _where(error)
        named = _EXERCISE.search(str(error))
        number = int(named.group(1)) if named else None
        if number is None:
            found = exercise_of_file(where.split(":")[0])
            number = found.number if found else None
        raise ExerciseNotDoneError(where, number) from None
    # Any bug of the learner's is shown plainly, never as a traceback: the
    # workshop's top-level handler (STYLE.md allows one per entry point).
    except Exception as error:  # noqa: BLE001
        raise LearnerCodeError(error, _where(error)) from None


def _where(error: BaseException) -> str:
    frames = traceback.extract_tb(error.__traceback__)
    mine = [f for f in frames if f"{PACKAGE}" in Path(f.filename).parts]
    frame = (mine or frames)[-1]
    parts = Path(frame.filename).parts
    short = (
        "/".join(parts[parts.index(PACKAGE) :]) if PACKAGE in parts else frame.filename
    )
    return f"{short}:{frame.lineno} in {frame.name}"


def open_repository(
    workspace: Workspace, modules: dict[str, ModuleType]
) -> tuple[Any, str]:
    """Return the learner's repository on the workspace's SQLite file, or memory."""
    from connect_four.eventsourcing.stores.sqlite.event_store import SQLiteEventStore

    try:
        store = SQLiteEventStore(workspace.root / "games.db")
        return _learner(modules["repository"].GameRepository, store), (
            f"games are kept in {workspace.root / 'games.db'}"
        )
    except ExerciseNotDoneError:
        memory = _learner(modules["app"].InMemoryGameRepository)
        return memory, "games are kept in memory until exercise 3 is done"


def play(
    workspace: Workspace, ask: Callable[[str], str], say: Callable[[str], None]
) -> int:
    """Play one game at this terminal on the learner's code; return the exit status.

    Raises:
        ExerciseNotDoneError: the learner's code is not far enough yet.
        LearnerCodeError: the learner's code raised something unexpected.
    """
    modules = load_package(workspace)
    repository, where = open_repository(workspace, modules)
    app = _learner(modules["app"].ConnectFourApp, repository)
    say(f"Playing on your code in {workspace.package} ({where}).")
    while True:
        try:
            one, two = ask("Player one: ").strip(), ask("Player two: ").strip()
            game_id = _learner(app.create_game, one, two)
            break
        except ConnectFourError as error:
            say(str(error))
    move = modules["game"].Move
    while True:
        state = _learner(app.get_game, game_id)
        say(generate_board_string(state.board))
        if state.is_finished:
            say(_outcome(state))
            return 0
        answer = ask(f"{state.next_player}, your column (A-G, q to leave): ")
        if answer.strip().lower() == "q":
            return 0
        column = _column(answer)
        if column is None:
            say("Type a column letter, A to G.")
            continue
        try:
            _learner(app.make_move, game_id, move(state.next_player, column))
        except ConnectFourError as error:
            say(str(error))


def _outcome(state: Any) -> str:
    winners = {
        GameResult.PLAYER_ONE_WON: state.player_one,
        GameResult.PLAYER_TWO_WON: state.player_two,
    }
    winner = winners.get(state.result)
    return f"{winner} won." if winner else "A draw: the board is full."


def _column(answer: str) -> Column | None:
    text = answer.strip().upper()
    if text.isdigit() and 1 <= int(text) <= len(Column):
        return list(Column)[int(text) - 1]
    try:
        return Column(text)
    except ValueError:
        return None
