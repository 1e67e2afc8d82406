"""A `connect-four serve` process run as a service: options, probes, its exit."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType

import httpx2 as httpx
import pytest

from tests.web.servers import STARTUP_SECONDS, free_port


class Service:
    """One `connect-four serve` process with the options a test gives it."""

    def __init__(
        self,
        store_url: str,
        log_path: Path,
        options: Sequence[str] = (),
        port: int | None = None,
        env: dict[str, str] | None = None,
    ) -> None:
        self.store_url = store_url
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.options = tuple(options)
        self.log_path = log_path
        self._env = env or {}
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        """Start the server and wait until `/healthz` answers."""
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "connect_four.cli",
                    "serve",
                    "--store",
                    self.store_url,
                    "--port",
                    str(self.port),
                    *self.options,
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
                env={**os.environ, "PYTHONUNBUFFERED": "1", **self._env},
            )
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"the server stopped at start:\n{self.log()}")
            try:
                httpx.get(self.url + "/healthz", timeout=1.0)
            except httpx.TransportError:
                time.sleep(0.1)
            else:
                return
        self.kill()
        pytest.fail(f"the server did not answer within {STARTUP_SECONDS} s")

    def wait_ready(self, timeout: float = 20.0) -> None:
        """Wait until `/readyz` answers 200."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if httpx.get(self.url + "/readyz", timeout=5.0).status_code == 200:
                return
            time.sleep(0.1)
        pytest.fail(f"{self.url} did not become ready within {timeout} s")

    def terminate(self) -> None:
        """Send SIGTERM, as an orchestrator stopping the server does."""
        assert self.process is not None
        self.process.send_signal(signal.SIGTERM)

    def wait_exit(self, timeout: float) -> int:
        """Return the exit status; fail the test if it takes more than `timeout`."""
        assert self.process is not None
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            pytest.fail(f"the server did not exit within {timeout} s:\n{self.log()}")

    def kill(self) -> None:
        """Kill the process if it still runs."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def stop(self) -> None:
        """Stop the server with SIGTERM, killing it if it hangs."""
        if self.process is not None and self.process.poll() is None:
            self.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()

    def log(self) -> str:
        """Return what the server printed so far."""
        return self.log_path.read_text(errors="replace")

    def __enter__(self) -> Service:
        self.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
