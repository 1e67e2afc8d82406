"""Real `connect-four serve` processes on loopback ports, for end-to-end tests."""

from __future__ import annotations

import contextlib
import json
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import httpx2 as httpx
import pytest

STARTUP_SECONDS = 30.0
"""How long a server may take to answer its first request (imports included)."""


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class ServerProcess:
    """One `connect-four serve` process over a store URL, on a fixed port."""

    def __init__(
        self,
        store_url: str,
        log_path: Path,
        port: int | None = None,
        options: tuple[str, ...] = (),
    ) -> None:
        self.store_url = store_url
        self.options = options
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._log_path = log_path
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        """Start the server and wait until it answers."""
        log = self._log_path.open("ab")
        self._process = subprocess.Popen(
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
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        log.close()
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                pytest.fail(f"the server stopped at start:\n{self.log()}")
            try:
                httpx.get(self.url + "/openapi.json", timeout=1.0)
            except httpx.TransportError:
                time.sleep(0.1)
            else:
                return
        self.stop()
        pytest.fail(
            f"the server did not answer within {STARTUP_SECONDS} s:\n{self.log()}"
        )

    def stop(self) -> None:
        """Stop the server as an operator would (SIGTERM), killing it if it hangs."""
        process = self._process
        if process is None:
            return
        self._process = None
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def log(self) -> str:
        """Return what the server printed so far."""
        return self._log_path.read_text(errors="replace")

    def __enter__(self) -> ServerProcess:
        self.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()


class FeedReader:
    """Read a Server-Sent Events feed in a thread; hand over each event as it comes."""

    def __init__(self, url: str, last_event_id: int | None = None) -> None:
        self._events: queue.Queue[dict[str, Any]] = queue.Queue()
        self._headers = {"Accept": "text/event-stream"}
        if last_event_id is not None:
            self._headers["Last-Event-ID"] = str(last_event_id)
        self._url = url
        self._client = httpx.Client(timeout=httpx.Timeout(30.0))
        self._opened = threading.Event()
        self._socket: socket.socket | None = None
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()
        if not self._opened.wait(STARTUP_SECONDS):
            pytest.fail(f"the feed {url} did not open")

    def _read(self) -> None:
        try:
            with self._client.stream(
                "GET", self._url, headers=self._headers
            ) as response:
                stream = response.extensions["network_stream"]
                self._socket = stream.get_extra_info("socket")
                self._opened.set()
                for line in response.iter_lines():
                    if line.startswith("data: "):
                        self._events.put(json.loads(line.removeprefix("data: ")))
        except httpx.TransportError:
            return  # the test closed the client, or the server went away

    def next(self, timeout: float = 10.0) -> dict[str, Any]:
        """Return the next event, failing the test if none comes in time."""
        try:
            return self._events.get(timeout=timeout)
        except queue.Empty:
            pytest.fail(f"no event came from {self._url} within {timeout} s")

    def take(self, count: int, timeout: float = 10.0) -> list[dict[str, Any]]:
        """Return the next `count` events."""
        return [self.next(timeout) for _ in range(count)]

    def close(self) -> None:
        """Close the connection, waking the reading thread at once."""
        # Closing the client from this thread would not wake a blocked read.
        if self._socket is not None:
            with contextlib.suppress(OSError):
                self._socket.shutdown(socket.SHUT_RDWR)
        self._client.close()
        self._thread.join(timeout=5)


@contextmanager
def feed(url: str, last_event_id: int | None = None) -> Iterator[FeedReader]:
    """Open a feed for the duration of a block."""
    reader = FeedReader(url, last_event_id)
    try:
        yield reader
    finally:
        reader.close()


def with_query(url: str, **params: str) -> str:
    """Return a URL with query parameters added or replaced."""
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    query.update(params)
    return urlunsplit(parts._replace(query=urlencode(query)))
