"""The two limits Cognito puts on resends, kept per sandbox.

- A per-user attempt limit: 5 resends per user per hour (the 6th answers
  LimitExceededException). Reserved before delivery and released when the
  delivery fails, so concurrent calls can never get past the limit.
- A request-rate limit across all users (TooManyRequestsException), a token
  bucket: bursts up to the rate, refilled at the rate per second.

Both take a clock so unit tests can move time instead of waiting.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Hashable

__all__ = ["AttemptLimiter", "RateLimiter"]

Clock = Callable[[], float]


class AttemptLimiter:
    """At most *limit* attempts per key within a sliding *window_s* seconds."""

    def __init__(
        self, limit: int = 5, window_s: float = 3600.0, clock: Clock = time.monotonic
    ) -> None:
        if limit < 1 or window_s <= 0:
            raise ValueError("limit must be >= 1 and window_s > 0")
        self._limit = limit
        self._window_s = window_s
        self._clock = clock
        self._lock = threading.Lock()
        self._attempts: dict[Hashable, deque[float]] = {}

    def _live(self, key: Hashable, now: float) -> deque[float]:
        stamps = self._attempts.setdefault(key, deque())
        while stamps and now - stamps[0] >= self._window_s:
            stamps.popleft()
        return stamps

    def reserve(self, key: Hashable) -> float | None:
        """Take one attempt for *key*: its token, or None when the limit is reached."""
        with self._lock:
            now = self._clock()
            stamps = self._live(key, now)
            if len(stamps) >= self._limit:
                return None
            stamps.append(now)
            return now

    def release(self, key: Hashable, token: float) -> None:
        """Give back an attempt taken by :meth:`reserve` (the delivery did not happen)."""
        with self._lock:
            stamps = self._attempts.get(key)
            if stamps is not None and token in stamps:
                stamps.remove(token)

    def used(self, key: Hashable) -> int:
        """How many attempts *key* has used in the current window."""
        with self._lock:
            return len(self._live(key, self._clock()))


class RateLimiter:
    """A token bucket allowing *rate* requests per second on average."""

    def __init__(self, rate: float, clock: Clock = time.monotonic) -> None:
        if not rate > 0:
            raise ValueError("rate must be > 0")
        self._rate = rate
        # A burst of at least one request, so rates below 1/s still let calls through.
        self._capacity = max(1.0, rate)
        self._tokens = self._capacity
        self._clock = clock
        self._stamp = clock()
        self._lock = threading.Lock()

    @property
    def rate(self) -> float:
        """Requests per second."""
        return self._rate

    def allow(self) -> bool:
        """Take a token if one is available."""
        with self._lock:
            now = self._clock()
            elapsed = max(0.0, now - self._stamp)
            self._stamp = now
            self._tokens = min(self._capacity, self._tokens + elapsed * self._rate)
            if self._tokens >= 1.0:
                self._tokens -= 1.0
                return True
            return False
