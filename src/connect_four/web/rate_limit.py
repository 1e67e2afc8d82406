"""A limit on how fast one client may send commands: a token bucket per address.

Reads are cheap and the live feeds stay open for long, so only requests that
change something (every method but GET, HEAD and OPTIONS) count. Each client
address has a bucket of `burst` requests that refills at `per_second`; a
request that finds its bucket empty is answered 429, with `Retry-After`,
before it reaches the app, so it stores nothing. Buckets of addresses that
have been quiet long enough to be full again are forgotten, so a flood of
addresses cannot make the table grow without bound.

The address is the TCP peer's. Behind a reverse proxy every client shares
the proxy's address; the proxy should then limit rates itself (trusting
`X-Forwarded-For` would let any client pick its own bucket).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from starlette.types import ASGIApp, Receive, Scope, Send

from connect_four.web.errors import error_response

SAFE_METHODS: Final = frozenset({"GET", "HEAD", "OPTIONS"})
MAX_CLIENTS: Final = 10_000
"""Buckets kept at most; beyond it, full (idle) buckets are dropped first."""


@dataclass(frozen=True, slots=True)
class RateLimit:
    """How many commands one address may send: a burst, then a steady rate."""

    per_second: float = 5.0
    burst: int = 30


DEFAULT_RATE_LIMIT: Final = RateLimit()
"""Far above what a person playing needs, far below what a script can send."""


@dataclass(slots=True)
class _Bucket:
    tokens: float
    updated: float


class RateLimitMiddleware:
    """Answer 429 to a client that sends commands faster than its limit."""

    def __init__(
        self,
        app: ASGIApp,
        limit: RateLimit = DEFAULT_RATE_LIMIT,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.app = app
        self.limit = limit
        self._clock = clock
        self._buckets: dict[str, _Bucket] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on, or refuse it if its client's bucket is empty."""
        if scope["type"] != "http" or scope["method"] in SAFE_METHODS:
            await self.app(scope, receive, send)
            return
        client = scope.get("client")
        wait = self.take(client[0] if client else "unknown")
        if wait == 0.0:
            await self.app(scope, receive, send)
            return
        await _refuse(scope, receive, send, wait)

    def take(self, address: str) -> float:
        """Spend one request of an address's bucket; return 0, or seconds to wait."""
        now = self._clock()
        limit = self.limit
        bucket = self._buckets.get(address)
        if bucket is None:
            if len(self._buckets) >= MAX_CLIENTS:
                self._forget_idle(now)
            bucket = self._buckets[address] = _Bucket(float(limit.burst), now)
        elapsed = max(now - bucket.updated, 0.0)
        bucket.tokens = min(
            float(limit.burst), bucket.tokens + elapsed * limit.per_second
        )
        bucket.updated = now
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            return 0.0
        return (1.0 - bucket.tokens) / limit.per_second

    def _forget_idle(self, now: float) -> None:
        refill = self.limit.burst / self.limit.per_second
        idle = [a for a, b in self._buckets.items() if now - b.updated >= refill]
        for address in idle or list(self._buckets)[: len(self._buckets) // 2]:
            del self._buckets[address]


async def _refuse(scope: Scope, receive: Receive, send: Send, wait: float) -> None:
    seconds = max(1, math.ceil(wait))
    message = f"too many requests: try again in {seconds} s"
    answer = error_response(429, "rate_limited", message)
    answer.headers["Retry-After"] = str(seconds)
    await answer(scope, receive, send)
