"""Askers of the same profile's pool facts share the fetch in flight; a refresh wins."""

from __future__ import annotations

import threading
from typing import Any

from console.cognito import AdminGateway, PoolFacts, PoolFactsCache, PoolFactsResult
from console.config import ConsoleSettings, Profile

PROFILE = Profile(region="us-east-1", user_pool_id="us-east-1_X", client_id="c1")


def _facts(serial: int) -> PoolFactsResult:
    facts = PoolFacts(
        profile="p", user_pool_id="us-east-1_X", client_id="c1", fetched_at=float(serial)
    )
    return PoolFactsResult(facts)


class SlowFetch:
    """A fetch that waits for the test to let each call finish, in the order it chooses."""

    def __init__(self) -> None:
        self.calls = 0
        self.started = threading.Semaphore(0)
        self.release: list[threading.Event] = []
        self._lock = threading.Lock()

    def __call__(self, *_args: Any, **_kwargs: Any) -> PoolFactsResult:
        with self._lock:
            self.calls += 1
            serial = self.calls
            gate = threading.Event()
            self.release.append(gate)
        self.started.release()
        gate.wait(5)
        return _facts(serial)


def _ask(cache: PoolFactsCache, into: list[PoolFactsResult], *, refresh: bool = False) -> Any:
    def run() -> None:
        into.append(cache.get("p", PROFILE, ConsoleSettings(), refresh=refresh))

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_two_askers_share_one_fetch() -> None:
    """The prefetch and the pool facts screen asking together: one fetch, one answer."""
    fetch = SlowFetch()
    cache = PoolFactsCache(AdminGateway(), fetch=fetch)
    got: list[PoolFactsResult] = []
    first = _ask(cache, got)
    assert fetch.started.acquire(timeout=5)
    second = _ask(cache, got)
    second.join(0.2)
    assert second.is_alive()  # waiting for the fetch in flight, not fetching again
    fetch.release[0].set()
    first.join(5)
    second.join(5)
    assert fetch.calls == 1
    assert got[0] is got[1] is cache.peek("p")


def test_an_older_fetch_never_overwrites_a_refresh() -> None:
    fetch = SlowFetch()
    cache = PoolFactsCache(AdminGateway(), fetch=fetch)
    got: list[PoolFactsResult] = []
    old = _ask(cache, got)
    assert fetch.started.acquire(timeout=5)
    new = _ask(cache, got, refresh=True)
    assert fetch.started.acquire(timeout=5)
    fetch.release[1].set()
    new.join(5)
    fetch.release[0].set()
    old.join(5)
    newest = cache.peek("p")
    assert newest is not None and newest.facts is not None
    assert newest.facts.fetched_at == 2.0
