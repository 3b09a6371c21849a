"""Per-user flood control: a token bucket per pseudonym (in memory).

Hand-written: aiolimiter (already installed for PTB's rate limiter) waits for capacity, but a
flooding user must be told "slow down" at once and their extra messages dropped, not queued.
"""

from __future__ import annotations

import enum
import time
from collections.abc import Callable
from dataclasses import dataclass


class Verdict(enum.Enum):
    ALLOW = "allow"  # answer the message
    WARN = "warn"  # the first message over the limit: say "please slow down"
    DROP = "drop"  # further messages over the limit: ignore until the bucket refills


@dataclass
class _Bucket:
    tokens: float
    updated: float
    warned: bool = False


class Throttle:
    """Allows `burst` messages at once and `per_minute` on average, per key."""

    def __init__(self, burst: int, per_minute: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.burst, self.rate, self.clock = burst, per_minute / 60.0, clock
        self._buckets: dict[str, _Bucket] = {}

    def check(self, key: str) -> Verdict:
        now = self.clock()
        bucket = self._buckets.setdefault(key, _Bucket(float(self.burst), now))
        bucket.tokens = min(float(self.burst), bucket.tokens + (now - bucket.updated) * self.rate)
        bucket.updated = now
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            bucket.warned = False
            return Verdict.ALLOW
        if bucket.warned:
            return Verdict.DROP
        bucket.warned = True
        return Verdict.WARN

    def forget(self, key: str) -> None:
        self._buckets.pop(key, None)

    def drop_idle(self, idle_seconds: float) -> None:
        """Forget buckets untouched for `idle_seconds` (they would be full again anyway)."""
        cutoff = self.clock() - idle_seconds
        for key in [k for k, b in self._buckets.items() if b.updated < cutoff]:
            del self._buckets[key]
