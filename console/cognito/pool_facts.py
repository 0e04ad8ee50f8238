"""Explaining the pool: the settings that decide what a resend does.

:func:`fetch_pool_facts` asks DescribeUserPool and DescribeUserPoolClient
for a profile and keeps only what explains a resend: which attributes are
auto-verified, who sends the email (COGNITO_DEFAULT is capped at 50 emails a
day), which CustomMessage / CustomEmailSender / CustomSMSSender function is
configured, whether the client hides unknown users, and whether it has a
secret while the profile has none. The client secret itself is never kept:
only whether there is one.

:class:`~console.cognito.pool_facts_cache.PoolFactsCache` keeps one answer
per profile for the session, with a refresh.
:func:`console.cognito.pool_explain.explain_outcome` turns an outcome plus
the facts into the lines the attempt log shows, each driven by one fact.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from console.cognito.admin_client import AdminFailure, AdminGateway, AdminSettings

if TYPE_CHECKING:
    from mypy_boto3_cognito_idp import CognitoIdentityProviderClient as CognitoClient


__all__ = [
    "COGNITO_DEFAULT_DAILY_EMAILS",
    "PoolFacts",
    "PoolFactsResult",
    "TriggerFact",
    "fetch_pool_facts",
]

COGNITO_DEFAULT_DAILY_EMAILS = 50
"""Emails a day a pool may send with Cognito's own sender (COGNITO_DEFAULT)."""


@dataclass(frozen=True, slots=True)
class TriggerFact:
    """One message-related Lambda trigger of the pool."""

    kind: str
    """``CustomMessage``, ``CustomEmailSender`` or ``CustomSMSSender``."""
    arn: str


@dataclass(frozen=True, slots=True)
class PoolFacts:
    """What DescribeUserPool and DescribeUserPoolClient say about a resend.

    ``None`` means "not known" (the call that tells it failed), never "no".
    """

    profile: str
    user_pool_id: str
    client_id: str
    pool_name: str | None = None
    auto_verified: tuple[str, ...] | None = None
    """AutoVerifiedAttributes: ``email``, ``phone_number``; empty = none (resends fail)."""
    email_sending_account: str | None = None
    """``COGNITO_DEFAULT`` or ``DEVELOPER`` (SES); Cognito's default when the pool says nothing."""
    email_source_arn: str | None = None
    """The SES identity used with DEVELOPER (or the FROM address with COGNITO_DEFAULT)."""
    triggers: tuple[TriggerFact, ...] | None = None
    username_attributes: tuple[str, ...] | None = None
    alias_attributes: tuple[str, ...] | None = None
    client_name: str | None = None
    prevent_user_existence_errors: str | None = None
    """``ENABLED`` (unknown users get a simulated success) or ``LEGACY``."""
    client_has_secret: bool | None = None
    profile_has_secret: bool = False
    fetched_at: float = 0.0
    """``time.time()`` when the facts were read."""
    problems: tuple[AdminFailure, ...] = ()
    """The calls that failed (their facts are ``None``)."""

    @property
    def complete(self) -> bool:
        """Both calls answered."""
        return not self.problems

    @property
    def hides_unknown_users(self) -> bool:
        """The client answers unknown users with a simulated success."""
        return self.prevent_user_existence_errors == "ENABLED"

    @property
    def secret_missing(self) -> bool:
        """The client has a secret and the profile has none: every resend fails."""
        return bool(self.client_has_secret) and not self.profile_has_secret

    @property
    def secret_unexpected(self) -> bool:
        """The profile has a secret but the client has none."""
        return self.client_has_secret is False and self.profile_has_secret

    @property
    def uses_cognito_default_email(self) -> bool:
        """Email goes through Cognito's own sender, capped at 50 a day."""
        return self.email_sending_account == "COGNITO_DEFAULT"

    def trigger(self, kind: str) -> TriggerFact | None:
        """The trigger of this kind, if configured."""
        for trigger in self.triggers or ():
            if trigger.kind == kind:
                return trigger
        return None

    def summary(self) -> list[str]:
        """The facts as lines for a panel or the CLI (untrusted text: show via visible())."""
        lines: list[str] = []
        if self.auto_verified is not None:
            verified = ", ".join(self.auto_verified) or "none (resends fail)"
            lines.append(f"auto-verified attributes: {verified}")
        if self.email_sending_account is not None:
            line = f"email sending account: {self.email_sending_account}"
            if self.uses_cognito_default_email:
                line += f" (capped at {COGNITO_DEFAULT_DAILY_EMAILS} emails a day)"
            elif self.email_source_arn:
                line += f" via {self.email_source_arn}"
            lines.append(line)
        if self.triggers is not None:
            if self.triggers:
                lines.extend(f"{t.kind} trigger: {t.arn}" for t in self.triggers)
            else:
                lines.append("message triggers: none (Cognito's own message templates)")
        if self.username_attributes:
            lines.append(f"sign-in with: {', '.join(self.username_attributes)} as username")
        if self.alias_attributes:
            lines.append(f"aliases: {', '.join(self.alias_attributes)}")
        if self.prevent_user_existence_errors is not None:
            line = f"PreventUserExistenceErrors: {self.prevent_user_existence_errors}"
            if self.hides_unknown_users:
                line += " (unknown users get a simulated success)"
            lines.append(line)
        if self.client_has_secret is not None:
            has = "has a secret" if self.client_has_secret else "has no secret"
            line = f"app client {self.client_name or self.client_id} {has}"
            if self.secret_missing:
                line += "; the profile has none configured (resends will fail)"
            elif self.secret_unexpected:
                line += "; the profile has one configured (remove it)"
            lines.append(line)
        lines.extend(f"unknown: {problem.message}" for problem in self.problems)
        return lines

    def warnings(self) -> list[str]:
        """The facts that deserve a warning before any resend."""
        found: list[str] = []
        if self.auto_verified == ():
            found.append("the pool auto-verifies no attribute: every resend will fail")
        if self.uses_cognito_default_email:
            found.append(
                f"the pool sends email with COGNITO_DEFAULT: capped at "
                f"{COGNITO_DEFAULT_DAILY_EMAILS} emails a day"
            )
        if self.secret_missing:
            found.append("this client has a secret and the profile has none configured")
        if self.hides_unknown_users:
            found.append("this client hides unknown users: a success may be simulated")
        return found

    def to_json(self) -> dict[str, object]:
        """A JSON-ready dict with stable keys (never the client secret)."""
        return {
            "profile": self.profile,
            "user_pool_id": self.user_pool_id,
            "client_id": self.client_id,
            "pool_name": self.pool_name,
            "auto_verified": None if self.auto_verified is None else list(self.auto_verified),
            "email_sending_account": self.email_sending_account,
            "email_source_arn": self.email_source_arn,
            "triggers": None
            if self.triggers is None
            else [{"kind": t.kind, "arn": t.arn} for t in self.triggers],
            "username_attributes": None
            if self.username_attributes is None
            else list(self.username_attributes),
            "alias_attributes": None
            if self.alias_attributes is None
            else list(self.alias_attributes),
            "client_name": self.client_name,
            "prevent_user_existence_errors": self.prevent_user_existence_errors,
            "client_has_secret": self.client_has_secret,
            "profile_has_secret": self.profile_has_secret,
            "fetched_at": self.fetched_at,
            "problems": [p.to_json() for p in self.problems],
        }


@dataclass(frozen=True, slots=True)
class PoolFactsResult:
    """Facts (possibly partial) and the failures; ``facts`` is None only when nothing answered."""

    facts: PoolFacts | None
    failures: tuple[AdminFailure, ...] = ()

    @property
    def ok(self) -> bool:
        """Both calls answered."""
        return self.facts is not None and not self.failures


def _strings(value: object) -> tuple[str, ...]:
    if isinstance(value, list | tuple):
        return tuple(str(v) for v in value)
    return ()


def _triggers(lambda_config: Mapping[str, Any]) -> tuple[TriggerFact, ...]:
    found: list[TriggerFact] = []
    message = lambda_config.get("CustomMessage")
    if isinstance(message, str) and message:
        found.append(TriggerFact("CustomMessage", message))
    for kind in ("CustomEmailSender", "CustomSMSSender"):
        sender = lambda_config.get(kind)
        if isinstance(sender, Mapping) and sender.get("LambdaArn"):
            found.append(TriggerFact(kind, str(sender["LambdaArn"])))
    return tuple(found)


def _pool_fields(pool: Mapping[str, Any]) -> dict[str, Any]:
    email = pool.get("EmailConfiguration") or {}
    lambda_config = pool.get("LambdaConfig") or {}
    return {
        "pool_name": str(pool["Name"]) if pool.get("Name") else None,
        "auto_verified": _strings(pool.get("AutoVerifiedAttributes")),
        # A pool that was never given an EmailConfiguration sends with Cognito's account.
        "email_sending_account": str(email.get("EmailSendingAccount") or "COGNITO_DEFAULT"),
        "email_source_arn": str(email["SourceArn"]) if email.get("SourceArn") else None,
        "triggers": _triggers(lambda_config if isinstance(lambda_config, Mapping) else {}),
        "username_attributes": _strings(pool.get("UsernameAttributes")),
        "alias_attributes": _strings(pool.get("AliasAttributes")),
    }


def _client_fields(client: Mapping[str, Any]) -> dict[str, Any]:
    # Only whether a secret exists: the secret itself is dropped here.
    has_secret = bool(client.get("ClientSecret")) or bool(client.get("ClientSecretArn"))
    return {
        "client_name": str(client["ClientName"]) if client.get("ClientName") else None,
        # Cognito's default for clients made before the setting existed is LEGACY.
        "prevent_user_existence_errors": str(client.get("PreventUserExistenceErrors") or "LEGACY"),
        "client_has_secret": has_secret,
    }


def fetch_pool_facts(
    gateway: AdminGateway,
    settings: AdminSettings,
    *,
    profile_name: str,
    user_pool_id: str,
    client_id: str,
    profile_has_secret: bool,
) -> PoolFactsResult:
    """DescribeUserPool and DescribeUserPoolClient; never raises.

    When one call fails the other's facts are still returned, with the
    failure in :attr:`PoolFacts.problems`.
    """

    def describe_pool(client: CognitoClient) -> Any:
        return client.describe_user_pool(UserPoolId=user_pool_id)

    def describe_client(client: CognitoClient) -> Any:
        return client.describe_user_pool_client(UserPoolId=user_pool_id, ClientId=client_id)

    pool_response, pool_failure = gateway.call(settings, "DescribeUserPool", describe_pool)
    client_response, client_failure = gateway.call(
        settings, "DescribeUserPoolClient", describe_client
    )
    failures = tuple(f for f in (pool_failure, client_failure) if f is not None)
    if pool_failure is not None and client_failure is not None:
        return PoolFactsResult(None, failures)
    values: dict[str, Any] = {}
    if pool_response is not None:
        values.update(_pool_fields(pool_response.get("UserPool") or {}))
    if client_response is not None:
        values.update(_client_fields(client_response.get("UserPoolClient") or {}))
    facts = PoolFacts(
        profile=profile_name,
        user_pool_id=user_pool_id,
        client_id=client_id,
        profile_has_secret=profile_has_secret,
        fetched_at=time.time(),
        problems=failures,
        **values,
    )
    return PoolFactsResult(facts, failures)
