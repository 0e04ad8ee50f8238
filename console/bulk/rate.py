"""Holding a bulk run's rate: a token bucket, and the backoff after throttling.

:class:`TokenBucket` allows *rate* starts per second (a burst of 1 by
default) and can be held back for every worker at once when Cognito
throttles. Both take a clock, so unit tests move time instead of waiting.
"""

from __future__ import annotations

import math
import random
import threading
import time
from collections.abc import Callable

__all__ = [
    "DEFAULT_RATE",
    "MAX_RATE",
    "Clock",
    "TokenBucket",
    "Waiter",
    "backoff_delay",
    "default_workers",
]

DEFAULT_RATE = 5.0
"""Requests per second unless told otherwise: conservative (the quota category is unknown)."""
MAX_RATE = 1000.0

Clock = Callable[[], float]
Waiter = Callable[[float], bool]
"""Waits up to the given seconds; returns True when the run was asked to stop."""


def default_workers(rate: float) -> int:
    """Threads enough to hold *rate* while each call takes up to a quarter second."""
    return max(1, min(16, math.ceil(rate * 0.25) + 1))


def backoff_delay(
    retry: int, *, base: float = 0.25, cap: float = 8.0, rng: Callable[[], float] = random.random
) -> float:
    """Seconds to wait before throttle retry *retry* (1, 2...): exponential, half jittered."""
    ceiling = min(cap, base * 2.0 ** max(0, retry - 1))
    return ceiling / 2 + rng() * ceiling / 2


class TokenBucket:
    """At most *rate* starts per second, bursts up to *burst*; thread-safe.

    Virtual scheduling (GCRA): each :meth:`reserve` books the next free slot
    and says how long to wait for it, so waiting threads never race for
    tokens. :meth:`hold` pushes every later slot past a pause (throttling).
    """

    def __init__(self, rate: float, *, burst: float = 1.0, clock: Clock = time.monotonic) -> None:
        if not 0 < rate <= MAX_RATE or math.isnan(rate):
            raise ValueError(f"rate must be > 0 and <= {MAX_RATE:g} requests per second")
        if burst < 1:
            raise ValueError("burst must be >= 1")
        self._rate = rate
        self._interval = 1.0 / rate
        self._tolerance = (burst - 1.0) * self._interval
        self._clock = clock
        self._tat = clock()
        self._hold_until = float("-inf")
        self._lock = threading.Lock()

    @property
    def rate(self) -> float:
        """Requests per second."""
        return self._rate

    def reserve(self) -> float:
        """Book the next slot; return how many seconds until it (0 = go now)."""
        with self._lock:
            now = self._clock()
            tat = max(self._tat, now)
            start = max(now, tat - self._tolerance, self._hold_until)
            self._tat = max(tat, start) + self._interval
            return start - now

    def hold(self, seconds: float) -> None:
        """Start nothing for *seconds* from now (everyone backs off together), then no burst."""
        with self._lock:
            self._hold_until = max(self._hold_until, self._clock() + seconds)
            self._tat = max(self._tat, self._hold_until + self._tolerance)

    def acquire(self, wait: Waiter) -> bool:
        """Wait for a slot; False when *wait* reports that the run was stopped."""
        delay = self.reserve()
        if delay > 0:
            return not wait(delay)
        return True
