"""The TUI's admin reads: which credentials each profile uses, pool facts, known users.

Resending needs no credentials; the lookup and the pool facts do. A profile
takes them from its ``aws_profile`` or botocore's standard chain, except a
profile of the embedded ``--sandbox`` (its endpoint is one of the app's
sandbox endpoints) without an ``aws_profile``: moto accepts any signature, and
an operator trying the sandbox has no AWS credentials around, so those calls
are signed with fixed dummy keys. An ``aws_profile`` set on a sandbox profile
still wins, so a test (or a demo) can point one at missing or denied keys.

Everything here is plain Python (no Textual): the blocking calls run in the
app's thread workers, the remembered users are read on the UI thread.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cache
from typing import TYPE_CHECKING, Any

from console.cognito import (
    AdminGateway,
    AdminSettings,
    LookupQuery,
    LookupResult,
    PoolFacts,
    PoolFactsCache,
    PoolFactsResult,
    UserSummary,
    admin_settings,
    credentials_found,
    fetch_pool_facts,
    find_users,
    is_loopback,
    local_gateway_for,
    static_credentials,
)

if TYPE_CHECKING:
    from console.cognito import CheckResult, DoctorReport, TriggerLogs
    from console.config import ConsoleSettings, Profile
    from console.history import History

__all__ = ["SANDBOX_ACCESS_KEY", "AdminAccess", "sandbox_admin_gateway"]

SANDBOX_ACCESS_KEY = "AKIDSANDBOX"
"""The dummy access key the sandbox profiles sign admin reads with (moto checks none)."""

_UserKey = tuple[str, str, str]


@cache
def sandbox_admin_gateway() -> AdminGateway:
    """One gateway with the dummy sandbox keys for the whole process.

    It holds no state but its clients (one per endpoint), so every app of a
    test run shares it instead of building a botocore client each.
    """
    return AdminGateway(session_factory=static_credentials(SANDBOX_ACCESS_KEY, "sandbox"))


class AdminAccess:
    """Admin gateways, the pool facts cache and the users seen in lookups, for one app."""

    def __init__(
        self,
        sandbox_endpoints: set[str],
        *,
        chain: AdminGateway | None = None,
        sandbox: AdminGateway | None = None,
    ) -> None:
        """*sandbox_endpoints* is the app's own set: endpoints added later count too."""
        self._sandbox_endpoints = sandbox_endpoints
        self._chain = chain or AdminGateway()
        self._chain_is_default = chain is None
        self._sandbox = sandbox
        self.facts = PoolFactsCache(self._chain, fetch=self._fetch_facts)
        self._known: dict[_UserKey, UserSummary] = {}

    # -- credentials -----------------------------------------------------------

    def is_sandbox(self, settings: AdminSettings) -> bool:
        """True when the call goes to our sandbox with no AWS profile named."""
        return settings.aws_profile is None and settings.endpoint_url in self._sandbox_endpoints

    def gateway_for(self, settings: AdminSettings) -> AdminGateway:
        """The dummy-key gateway for the sandbox, else the credential chain's (or, for a
        standalone sandbox on loopback while no credentials exist, dummy keys too)."""
        if self.is_sandbox(settings):
            return self._sandbox or sandbox_admin_gateway()
        if self._chain_is_default:
            local = local_gateway_for(settings)
            if local is not None:
                return local
        return self._chain

    def prefetch_worthwhile(self, profile: Profile) -> bool:
        """Whether to ask for pool facts unasked, as soon as a profile is chosen.

        Whenever credentials exist: for the sandbox, for a profile naming an
        AWS profile, for an endpoint on loopback (a standalone sandbox takes
        dummy keys: :meth:`gateway_for`), and where the standard chain finds
        keys without probing the instance metadata service (seconds that
        would hold the app at quit). Blocking (it may read the AWS files):
        call from a worker.
        """
        if profile.aws_profile is not None or profile.endpoint_url in self._sandbox_endpoints:
            return True
        return is_loopback(profile.endpoint_url) or credentials_found(None)

    def _fetch_facts(
        self, _gateway: AdminGateway, settings: AdminSettings, **kwargs: Any
    ) -> PoolFactsResult:
        # PoolFactsCache hands over its own gateway; the settings decide ours.
        return fetch_pool_facts(self.gateway_for(settings), settings, **kwargs)

    # -- calls (blocking: thread workers only) ---------------------------------

    def find(self, profile: Profile, console: ConsoleSettings, query: LookupQuery) -> LookupResult:
        """ListUsers (or AdminGetUser) for *query* in the profile's pool; never raises."""
        settings = admin_settings(profile, console)
        return find_users(self.gateway_for(settings), settings, profile.user_pool_id, query)

    def trigger_logs(
        self,
        profile: Profile,
        console: ConsoleSettings,
        function_arn: str,
        window_ms: tuple[int, int],
    ) -> TriggerLogs | None:
        """The CustomMessage trigger's CloudWatch Logs lines in *window_ms*; never raises."""
        from console.cognito import fetch_trigger_logs

        settings = admin_settings(profile, console)
        start, end = window_ms
        return fetch_trigger_logs(self.gateway_for(settings), settings, function_arn, start, end)

    def pool_facts(
        self, name: str, profile: Profile, console: ConsoleSettings, *, refresh: bool = False
    ) -> PoolFactsResult:
        """The profile's pool facts, from the cache unless *refresh*; never raises."""
        return self.facts.get(name, profile, console, refresh=refresh)

    def doctor(
        self,
        name: str,
        profile: Profile,
        console: ConsoleSettings,
        username: str,
        history: History | None,
        on_result: Callable[[CheckResult], None],
    ) -> DoctorReport:
        """Run the delivery doctor for *username*; *on_result* hears each check; never raises."""
        from console.usecases import HistoryCounts, run_doctor

        settings = admin_settings(profile, console)
        return run_doctor(
            self.gateway_for(settings),
            settings,
            profile=name,
            user_pool_id=profile.user_pool_id,
            username=username,
            history=None if history is None else HistoryCounts(history, name),
            on_result=on_result,
        )

    # -- answers already had (UI thread) ---------------------------------------

    def known_facts(self, name: str, profile: Profile) -> PoolFacts | None:
        """The cached facts for *profile*, if they are about its pool and client."""
        result = self.facts.peek(name)
        facts = result.facts if result is not None else None
        if facts is None:
            return None
        if facts.user_pool_id != profile.user_pool_id or facts.client_id != profile.client_id:
            return None  # the config changed under the same name: stale
        return facts

    @staticmethod
    def _user_key(profile: Profile, username: str) -> _UserKey:
        return (profile.endpoint_url or "", profile.user_pool_id, username)

    def remember(self, profile: Profile, users: Iterable[UserSummary]) -> None:
        """Keep what a lookup said about these users of the profile's pool."""
        for user in users:
            self._known[self._user_key(profile, user.username)] = user

    def known_user(self, profile: Profile, username: str) -> UserSummary | None:
        """What the last lookup this session said about *username*, if any."""
        return self._known.get(self._user_key(profile, username))
