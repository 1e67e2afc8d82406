"""Build Pascal Pons' C++ solver from its public source; time it position by position.

His code is never part of this repository. The benchmark is given his source
(`github.com/PascalPons/connect4`: a checkout, or a bare git directory, from
`--pons-source` or $CONNECT_FOUR_PONS_SOURCE), copies it into a cache folder
outside the repository (`--pons-cache`, $CONNECT_FOUR_PONS_CACHE, default
`~/.cache/connect-four/pons`), adds the small timing driver below and compiles
both with the flags of his Makefile. The driver runs his `Solver` as his
tutorial's test protocol does: the table is emptied before each position (not
timed) and only `solve` is timed.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Final

SOURCE_ENV: Final = "CONNECT_FOUR_PONS_SOURCE"
CACHE_ENV: Final = "CONNECT_FOUR_PONS_CACHE"
DEFAULT_CACHE: Final = Path.home() / ".cache" / "connect-four" / "pons"
HIS_FILES: Final = ("Solver.cpp", "Solver.hpp", "Position.hpp")
FLAGS: Final = ("--std=c++11", "-W", "-Wall", "-O3", "-DNDEBUG")
"""The compiler flags of his Makefile."""
DRIVER: Final = r"""// connect-four's timing driver; uses Pons' Solver unchanged.
#include <chrono>
#include <ctime>
#include <iostream>
#include <string>
#include "Solver.hpp"
using namespace GameSolver::Connect4;
int main(int argc, char **argv) {
  bool weak = argc > 1 && std::string(argv[1]) == "-w";
  static Solver solver;  // his table is 80 MB: too big for the stack
  std::string line;
  while (std::getline(std::cin, line)) {
    std::string moves = line.substr(0, line.find(' '));
    Position P;
    if (P.play(moves) != moves.size()) { std::cout << "invalid\n"; continue; }
    solver.reset();
    auto start = std::chrono::steady_clock::now();
    std::clock_t cpu = std::clock();
    int score = solver.solve(P, weak);
    cpu = std::clock() - cpu;
    auto wall = std::chrono::steady_clock::now() - start;
    std::cout << score << ' ' << solver.getNodeCount() << ' '
              << std::chrono::duration_cast<std::chrono::nanoseconds>(wall).count()
              << ' ' << cpu * 1000000000LL / CLOCKS_PER_SEC << '\n';
  }
}
"""


class PonsUnavailableError(Exception):
    """Pons' solver cannot be built here; the message says why and what to do."""


@dataclass(frozen=True)
class Solved:
    """One position as a solver answered it."""

    score: int
    nodes: int
    seconds: float
    cpu_seconds: float


def build(source: str | None, cache: str | None) -> Path:
    """Return the path of the timing driver built against his source.

    Raises:
        PonsUnavailableError: no source was given or found, or no compiler.
    """
    given = source or os.environ.get(SOURCE_ENV)
    if not given:
        raise PonsUnavailableError(
            "Pons' solver source not given: clone github.com/PascalPons/connect4"
            f" and pass --pons-source DIR or set {SOURCE_ENV}"
        )
    origin = Path(given)
    if not origin.exists():
        raise PonsUnavailableError(f"Pons' solver source not found at {origin}")
    compiler = shutil.which("g++") or shutil.which("c++")
    if compiler is None:
        raise PonsUnavailableError("no C++ compiler (g++) to build Pons' solver")
    folder = Path(cache or os.environ.get(CACHE_ENV) or DEFAULT_CACHE)
    with tempfile.TemporaryDirectory() as unpacked:
        files = _his_files(origin, Path(unpacked))
        digest = hashlib.sha256(DRIVER.encode() + " ".join(FLAGS).encode())
        for path in sorted(files.glob("*.?pp")):
            digest.update(path.name.encode() + path.read_bytes())
        target = folder / digest.hexdigest()[:16]
        binary = target / "pons-timing"
        if not binary.exists():
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(files, target)
            (target / "timing.cpp").write_text(DRIVER)
            command = [compiler, *FLAGS, "-o", str(binary), "timing.cpp", "Solver.cpp"]
            subprocess.run(command, cwd=target, check=True)
    return binary


def _his_files(origin: Path, unpacked: Path) -> Path:
    if (origin / "Solver.cpp").exists():
        return origin
    if (origin / "HEAD").exists():  # a bare git directory
        archive = unpacked / "source.tar"
        with archive.open("wb") as output:
            subprocess.run(
                ["git", f"--git-dir={origin}", "archive", "HEAD"],
                stdout=output,
                check=True,
            )
        with tarfile.open(archive) as tar:
            tar.extractall(unpacked / "source", filter="data")
        if all((unpacked / "source" / name).exists() for name in HIS_FILES):
            return unpacked / "source"
    raise PonsUnavailableError(
        f"{origin} holds neither Pons' solver source nor its git repository"
    )


def run(binary: Path, positions: list[str], *, weak: bool) -> list[Solved]:
    """Solve positions with his solver; return each one's answer and times."""
    command = [str(binary), "-w"] if weak else [str(binary)]
    answer = subprocess.run(
        command,
        input="".join(f"{notation}\n" for notation in positions),
        capture_output=True,
        text=True,
        check=True,
    )
    solved = []
    for line in answer.stdout.splitlines():
        score, nodes, wall, cpu = (int(field) for field in line.split())
        solved.append(Solved(score, nodes, wall / 1e9, cpu / 1e9))
    return solved
