"""Each package keeps its public errors in one module, under one root.

A reader who meets an error finds it in one place, the `errors.py` of the
package that raises it (the domain's is the seed's `exceptions.py`), and a
caller can catch all of a package's errors by its root.
"""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

SOURCE = Path(__file__).resolve().parents[2] / "src" / "connect_four"
ROOTS = {
    "eventsourcing": ("errors", "EventSourcingError"),
    "ai": ("errors", "AIError"),
    "cli": ("errors", "CLIError"),
    "workshop": ("errors", "WorkshopError"),
    "application": ("errors", "ApplicationError"),
    "web": ("errors", "WebError"),
    "domain": ("exceptions", "ConnectFourError"),
}


def exception_classes(module: Path) -> list[str]:
    """Return the public classes of a module that look like exceptions by name."""
    tree = ast.parse(module.read_text(encoding="utf-8"))
    return [
        node.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ClassDef)
        and not node.name.startswith("_")
        and node.name.endswith(("Error", "Exception"))
    ]


@pytest.mark.parametrize("package", sorted(ROOTS))
def test_a_package_defines_its_public_errors_in_its_errors_module_only(
    package: str,
) -> None:
    errors_module = SOURCE / package / f"{ROOTS[package][0]}.py"
    elsewhere = [
        f"{module.relative_to(SOURCE)}: {name}"
        for module in sorted((SOURCE / package).rglob("*.py"))
        if module != errors_module and "material" not in module.parts
        for name in exception_classes(module)
    ]
    assert elsewhere == []


@pytest.mark.parametrize("package", sorted(ROOTS))
def test_every_error_of_a_package_derives_from_its_root(package: str) -> None:
    module_name, root_name = ROOTS[package]
    module = importlib.import_module(f"connect_four.{package}.{module_name}")
    root = getattr(module, root_name)
    defined = [
        value
        for value in vars(module).values()
        if isinstance(value, type)
        and issubclass(value, BaseException)
        and value.__module__ == module.__name__
    ]
    assert root in defined
    assert [error for error in defined if not issubclass(error, root)] == []


@pytest.mark.parametrize(
    ("module", "must_not_load"),
    [
        # The CLI and the web refuse a computer opponent with these, numba or not.
        ("connect_four.ai.errors", "numba"),
        # `--help` imports the CLI's errors; the app's are for a running command.
        ("connect_four.cli.errors", "connect_four.application"),
    ],
)
def test_an_errors_module_imports_nothing_heavy(
    module: str, must_not_load: str
) -> None:
    loaded = subprocess.run(
        [sys.executable, "-c", f"import sys, {module}; print(sorted(sys.modules))"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    assert f"'{must_not_load}'" not in loaded
