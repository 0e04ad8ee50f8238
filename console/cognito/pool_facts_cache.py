"""One pool-facts answer per profile for the session, and one fetch in flight per profile.

The TUI asks for a profile's facts from several places at once: the
prefetch when the profile is chosen, the pool facts screen, a send that
wants them. Two fetches of the same facts racing each other would each
store their own answer, and whichever finished last would win: the screen
could show one answer while the cache (and so the attempt log) holds
another. Here a second asker waits for the fetch already in flight and gets
the same answer; only a refresh starts a new fetch, and an older fetch that
finishes after it never overwrites the newer answer.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from console.cognito.admin_client import AdminFailure, AdminGateway, admin_settings
from console.cognito.pool_facts import PoolFactsResult, fetch_pool_facts

if TYPE_CHECKING:
    from console.config import ConsoleSettings, Profile

__all__ = ["PoolFactsCache"]

_Key = tuple[str, str, str, str | None, str | None, bool]


@dataclass
class _Fetch:
    """One fetch: its key, a serial number (newer wins), and its answer once there."""

    key: _Key
    serial: int
    done: threading.Event = field(default_factory=threading.Event)
    result: PoolFactsResult | None = None


class PoolFactsCache:
    """One :class:`PoolFactsResult` per profile for the session; ``refresh=True`` asks again.

    Keyed by profile name; a profile whose pool, client, region, endpoint or
    secret changed (a config reload) is asked again. Failures are cached too
    (asking again without credentials would cost the credential chain's
    probes each time); refresh retries. Thread-safe: askers of the same
    profile's facts share the fetch in flight.
    """

    def __init__(
        self,
        gateway: AdminGateway | None = None,
        *,
        fetch: Callable[..., PoolFactsResult] = fetch_pool_facts,
    ) -> None:
        self.gateway = gateway or AdminGateway()
        self._fetch = fetch
        self._entries: dict[str, PoolFactsResult] = {}
        self._keys: dict[str, _Key] = {}
        self._in_flight: dict[str, _Fetch] = {}
        self._stored_serial: dict[str, int] = {}
        self._serial = 0
        self._lock = threading.Lock()

    @staticmethod
    def _key(profile: Profile) -> _Key:
        return (
            profile.region,
            profile.user_pool_id,
            profile.client_id,
            profile.endpoint_url,
            profile.aws_profile,
            profile.has_secret(),
        )

    def peek(self, profile_name: str) -> PoolFactsResult | None:
        """The cached answer, without asking (None when never asked, or still asking)."""
        with self._lock:
            return self._entries.get(profile_name)

    def get(
        self,
        profile_name: str,
        profile: Profile,
        console: ConsoleSettings,
        *,
        refresh: bool = False,
    ) -> PoolFactsResult:
        """The facts for *profile*: cached, the fetch in flight's, or asked now.

        Blocking: call from a worker.
        """
        key = self._key(profile)
        with self._lock:
            cached = self._entries.get(profile_name)
            if cached is not None and self._keys.get(profile_name) == key and not refresh:
                return cached
            running = self._in_flight.get(profile_name)
            if running is not None and running.key == key and not refresh:
                mine = running
                owner = False
            else:
                self._serial += 1
                mine = _Fetch(key, self._serial)
                self._in_flight[profile_name] = mine
                owner = True
        if not owner:
            mine.done.wait()
            assert mine.result is not None
            return mine.result
        try:
            result = self._fetch(
                self.gateway,
                admin_settings(profile, console),
                profile_name=profile_name,
                user_pool_id=profile.user_pool_id,
                client_id=profile.client_id,
                profile_has_secret=profile.has_secret(),
            )
        except Exception as exc:  # the fetch never raises; a bug still answers its waiters
            failure = AdminFailure("DescribeUserPool", type(exc).__name__, "pool facts failed")
            result = PoolFactsResult(None, (failure,))
        with self._lock:
            mine.result = result
            if mine.serial > self._stored_serial.get(profile_name, 0):
                self._stored_serial[profile_name] = mine.serial
                self._entries[profile_name] = result
                self._keys[profile_name] = key
            if self._in_flight.get(profile_name) is mine:
                del self._in_flight[profile_name]
        mine.done.set()
        return result

    def invalidate(self, profile_name: str | None = None) -> None:
        """Forget one profile's facts, or every profile's."""
        with self._lock:
            if profile_name is None:
                self._entries.clear()
                self._keys.clear()
            else:
                self._entries.pop(profile_name, None)
                self._keys.pop(profile_name, None)
