"""Reading (and seeding) user pools, app clients and users in moto's backends.

moto keeps its state in process-global backends:
``cognitoidp_backends[account][region].user_pools[pool_id]``. The unsigned
ResendConfirmationCode carries no account or region, so a client is found by
scanning every backend, as moto does for its own unsigned calls. Request
threads mutate these dicts concurrently, so we iterate over snapshots
(``list(d.values())`` runs without releasing the GIL).

Everything here returns plain frozen records, so the resend logic never
touches moto objects and its unit tests need no moto at all.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from console.sandbox.passwords import PasswordPolicy

if TYPE_CHECKING:
    from moto.cognitoidp.models import CognitoIdpUser, CognitoIdpUserPool

__all__ = ["ClientRecord", "MotoDirectory", "PoolRecord", "UserRecord"]

DEFAULT_EMAIL_SUBJECT = "Your verification code"
DEFAULT_MESSAGE = "Your verification code is {####}. "
INVITE_SUBJECT = "Your temporary password"
INVITE_MESSAGE = "Your username is {username} and temporary password is {####}."
"""Cognito's default invitation (the CDK's UserInvitationConfig defaults)."""
LEGACY_RECOVERY = ("verified_phone_number", "verified_email")
"""Without an AccountRecoverySetting Cognito prefers SMS to email (the API reference)."""


@dataclass(frozen=True, slots=True)
class PoolRecord:
    """What a resend needs to know about a user pool."""

    pool_id: str
    account_id: str
    region: str
    auto_verified: tuple[str, ...]
    username_attributes: tuple[str, ...] = ()
    alias_attributes: tuple[str, ...] = ()
    case_sensitive: bool = True
    email_subject: str = DEFAULT_EMAIL_SUBJECT
    email_message: str = DEFAULT_MESSAGE
    sms_message: str = DEFAULT_MESSAGE
    password_policy: PasswordPolicy = field(default_factory=PasswordPolicy)
    recovery: tuple[str, ...] = LEGACY_RECOVERY
    """AccountRecoverySetting's mechanisms, highest priority first."""
    invite_subject: str = INVITE_SUBJECT
    invite_email: str = INVITE_MESSAGE
    invite_sms: str = INVITE_MESSAGE
    """The invitation AdminCreateUser sends (AdminCreateUserConfig.InviteMessageTemplate)."""
    email_sending_account: str = "COGNITO_DEFAULT"
    """EmailConfiguration.EmailSendingAccount: who sends the email (``DEVELOPER`` is SES)."""


@dataclass(frozen=True, slots=True)
class ClientRecord:
    """What a resend needs to know about an app client."""

    client_id: str
    secret: str | None
    prevent_user_existence_errors: bool
    propagate_user_context: bool
    pool: PoolRecord


@dataclass(frozen=True, slots=True)
class UserRecord:
    """What a resend needs to know about a user."""

    username: str
    status: str
    enabled: bool
    attributes: MappingProxyType[str, str]


def _strings(value: object) -> tuple[str, ...]:
    if isinstance(value, list | tuple):
        return tuple(str(item) for item in value)
    return ()


def pool_record(pool: CognitoIdpUserPool) -> PoolRecord:
    """A frozen copy of what we need from a moto pool."""
    config: dict[str, Any] = pool.extended_config
    template = config.get("VerificationMessageTemplate") or {}
    username_config = config.get("UsernameConfiguration") or {}
    policies = config.get("Policies") or {}
    invite = (config.get("AdminCreateUserConfig") or {}).get("InviteMessageTemplate") or {}
    return PoolRecord(
        pool_id=pool.id,
        account_id=pool.account_id,
        region=pool.region,
        auto_verified=_strings(config.get("AutoVerifiedAttributes")),
        username_attributes=_strings(config.get("UsernameAttributes")),
        alias_attributes=_strings(config.get("AliasAttributes")),
        case_sensitive=bool(username_config.get("CaseSensitive", True)),
        email_subject=template.get("EmailSubject")
        or config.get("EmailVerificationSubject")
        or DEFAULT_EMAIL_SUBJECT,
        email_message=template.get("EmailMessage")
        or config.get("EmailVerificationMessage")
        or DEFAULT_MESSAGE,
        sms_message=template.get("SmsMessage")
        or config.get("SmsVerificationMessage")
        or DEFAULT_MESSAGE,
        password_policy=PasswordPolicy.from_config(policies.get("PasswordPolicy") or {}),
        recovery=_recovery(config.get("AccountRecoverySetting")),
        invite_subject=invite.get("EmailSubject") or INVITE_SUBJECT,
        invite_email=invite.get("EmailMessage") or INVITE_MESSAGE,
        invite_sms=invite.get("SMSMessage") or INVITE_MESSAGE,
        email_sending_account=str(
            (config.get("EmailConfiguration") or {}).get("EmailSendingAccount") or "COGNITO_DEFAULT"
        ),
    )


def _recovery(setting: object) -> tuple[str, ...]:
    """The recovery mechanisms' names by priority; Cognito's legacy order when none are set."""
    mechanisms = setting.get("RecoveryMechanisms") if isinstance(setting, dict) else None
    if not isinstance(mechanisms, list) or not mechanisms:
        return LEGACY_RECOVERY
    named = [m for m in mechanisms if isinstance(m, dict) and isinstance(m.get("Name"), str)]

    def priority(mechanism: dict[str, Any]) -> int:
        value = mechanism.get("Priority")
        return value if isinstance(value, int) else 99

    named.sort(key=priority)
    return tuple(str(m["Name"]) for m in named) or LEGACY_RECOVERY


def user_record(user: CognitoIdpUser) -> UserRecord:
    """A frozen copy of a moto user."""
    attributes = {str(a["Name"]): str(a["Value"]) for a in list(user.attributes)}
    status = user.status
    return UserRecord(
        username=user.username,
        status=str(getattr(status, "value", status)),
        enabled=bool(user.enabled),
        attributes=MappingProxyType(attributes),
    )


class MotoDirectory:
    """Finds clients and users in moto's process-global cognito-idp backends."""

    def _pools(self) -> Iterator[CognitoIdpUserPool]:
        from moto.cognitoidp.models import cognitoidp_backends

        for account_backends in list(cognitoidp_backends.values()):
            for region, backend in list(account_backends.items()):
                if region in ("global", "aws"):
                    continue
                yield from list(backend.user_pools.values())

    def _pool(self, record: PoolRecord) -> CognitoIdpUserPool | None:
        from moto.cognitoidp.models import cognitoidp_backends

        backend = cognitoidp_backends[record.account_id][record.region]
        return backend.user_pools.get(record.pool_id)

    def find_client(self, client_id: str) -> ClientRecord | None:
        """The app client with this id in any account and region, or None."""
        for pool in self._pools():
            client = pool.clients.get(client_id)
            if client is None:
                continue
            config: dict[str, Any] = client.extended_config
            return ClientRecord(
                client_id=client.id,
                secret=client.secret if client.generate_secret else None,
                prevent_user_existence_errors=config.get("PreventUserExistenceErrors") == "ENABLED",
                propagate_user_context=bool(config.get("EnablePropagateAdditionalUserContextData")),
                pool=pool_record(pool),
            )
        return None

    def find_pool(self, pool_id: str) -> PoolRecord | None:
        """The user pool with this id in any account and region, or None."""
        for pool in self._pools():
            if pool.id == pool_id:
                return pool_record(pool)
        return None

    def find_user(self, pool_record: PoolRecord, name: str) -> UserRecord | None:
        """The user *name* refers to: its username, its ``sub``, or an alias.

        Order: the username itself, then UsernameAttributes (email or phone
        as the sign-in name, as moto's ``_get_user`` does, over a snapshot),
        then the ``sub``, then AliasAttributes;
        an email or phone alias only counts once verified, as in Cognito.
        """
        pool = self._pool(pool_record)
        if pool is None:
            return None
        users = list(pool.users.values())
        found = pool.users.get(name)
        if found is None and not pool_record.case_sensitive:
            folded = name.casefold()
            found = next((u for u in users if u.username.casefold() == folded), None)
        if found is None:
            # UsernameAttributes: the email or phone number is the sign-in name.
            for attribute in pool_record.username_attributes:
                found = next((u for u in users if u.attribute_lookup.get(attribute) == name), None)
                if found is not None:
                    break
        if found is None:
            found = next((u for u in users if u.attribute_lookup.get("sub") == name), None)
        if found is None:
            for alias in pool_record.alias_attributes:
                verified_key = f"{alias}_verified"
                for user in users:
                    attrs = user.attribute_lookup
                    if attrs.get(alias) != name:
                        continue
                    if alias in ("email", "phone_number") and attrs.get(verified_key) != "true":
                        continue
                    found = user
                    break
                if found is not None:
                    break
        return None if found is None else user_record(found)
