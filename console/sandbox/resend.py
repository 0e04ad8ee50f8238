"""ResendConfirmationCode as Cognito answers it, over any user directory.

The order of checks follows the service: throttling first, then the request's
shape, the app client, its secret, the pool's settings, the user, the per-user
attempt limit, and finally the CustomMessage trigger and the delivery. Every
refusal is a :class:`ServiceError`; every success lands in the outbox (or, for
an unknown user behind PreventUserExistenceErrors, is only simulated).

Message texts for the cases we cannot observe in AWS are chosen to read like
Cognito's and to name the cause.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from console.sandbox.faults import ServiceError
from console.sandbox.limits import AttemptLimiter, RateLimiter
from console.sandbox.moto_state import ClientRecord, PoolRecord, UserRecord
from console.sandbox.outbox import Delivery, Outbox, utc_now_iso
from console.sandbox.request_checks import ResendRequest, parse_request
from console.sandbox.trigger import TriggerRunner, build_event, render

__all__ = [
    "Directory",
    "ResendService",
    "mask_email",
    "mask_phone",
    "new_code",
    "secret_hash",
]

RESENDS_PER_HOUR = 5
DELIVERABLE = ("email", "phone_number")
"""Attributes a code can go to, in Cognito's order of preference."""


class Directory(Protocol):
    """Where the service finds app clients and users (moto's backends, or a fake)."""

    def find_client(self, client_id: str) -> ClientRecord | None:
        """The app client with this id, or None."""
        ...

    def find_user(self, pool_record: PoolRecord, name: str) -> UserRecord | None:
        """The user *name* refers to in the pool (username, sub or alias), or None."""
        ...


def secret_hash(username: str, client_id: str, client_secret: str) -> str:
    """Base64(HMAC-SHA256(key=client secret, msg=Username + ClientId))."""
    digest = hmac.new(
        client_secret.encode("utf-8"), (username + client_id).encode("utf-8"), hashlib.sha256
    ).digest()
    return base64.b64encode(digest).decode("ascii")


def new_code() -> str:
    """A fresh 6-digit confirmation code from a cryptographic source."""
    return f"{secrets.randbelow(1_000_000):06d}"


def mask_email(address: str) -> str:
    """Cognito-style masking: ``alice@example.com`` -> ``a***@e***.com``."""
    local, at, domain = address.rpartition("@")
    if not at or not local or not domain:
        return (address[:1] or "*") + "***"
    head, dot, tld = domain.rpartition(".")
    if not dot or not head:
        return f"{local[0]}***@{domain[0]}***"
    return f"{local[0]}***@{head[0]}***.{tld}"


def mask_phone(number: str) -> str:
    """Cognito-style masking: ``+15555550100`` -> ``+*******0100``."""
    digits = "".join(ch for ch in number if ch.isdigit())
    shown = digits[-4:]
    return "+" + "*" * max(len(digits) - len(shown), 0) + shown


@dataclass(frozen=True, slots=True)
class Target:
    """Where one code goes: medium, attribute and full destination."""

    medium: str
    attribute: str
    destination: str

    def details(self) -> dict[str, str]:
        """The masked ``CodeDeliveryDetails`` Cognito answers with."""
        if self.medium == "EMAIL":
            masked = mask_email(self.destination)
        else:
            masked = mask_phone(self.destination)
        return {
            "Destination": masked,
            "DeliveryMedium": self.medium,
            "AttributeName": self.attribute,
        }


def choose_target(pool: PoolRecord, attributes: Mapping[str, str]) -> Target:
    """The first auto-verified attribute the user has: email before phone_number."""
    for attribute in DELIVERABLE:
        value = attributes.get(attribute)
        if attribute in pool.auto_verified and value:
            medium = "EMAIL" if attribute == "email" else "SMS"
            return Target(medium, attribute, value)
    wanted = " or ".join(a for a in DELIVERABLE if a in pool.auto_verified)
    raise ServiceError(
        "InvalidParameterException",
        f"Cannot resend codes. User has no {wanted} attribute to deliver the code to.",
    )


def simulated_target(pool: PoolRecord, client_id: str, username: str) -> Target:
    """A plausible, stable destination for a user that does not exist.

    Derived from a hash of the pool, client and name so that asking twice gives
    the same answer, as a real destination would.
    """
    digest = hashlib.sha256(f"{pool.pool_id}\0{client_id}\0{username}".encode()).digest()
    letters = "abcdefghijklmnopqrstuvwxyz"
    if "email" in pool.auto_verified or "phone_number" not in pool.auto_verified:
        local = letters[digest[0] % 26]
        domain = letters[digest[1] % 26]
        return Target("EMAIL", "email", f"{local}@{domain}.com")
    digits = "".join(str(b % 10) for b in digest[2:6])
    return Target("SMS", "phone_number", f"+1555555{digits}")


def _sdk_version(user_agent: str) -> str:
    # Cognito passes the caller's SDK as "aws-sdk-<lang>-<version>"; boto3 says "Boto3/1.40.0".
    first = user_agent.split(" ", 1)[0] if user_agent else ""
    name, slash, version = first.partition("/")
    if not slash or not name:
        return "aws-sdk-unknown-unknown"
    return f"aws-sdk-{name.lower()}-{version}"


class ResendService:
    """Answers ResendConfirmationCode from a directory; records into an outbox."""

    def __init__(
        self,
        directory: Directory,
        outbox: Outbox,
        *,
        trigger: TriggerRunner | None = None,
        rate_limit: float | None = None,
        attempts: AttemptLimiter | None = None,
    ) -> None:
        self._directory = directory
        self._outbox = outbox
        self._trigger = trigger
        self._rate = RateLimiter(rate_limit) if rate_limit is not None else None
        self._attempts = attempts or AttemptLimiter(RESENDS_PER_HOUR, 3600.0)

    def handle(self, body: object, *, request_id: str, user_agent: str = "") -> dict[str, object]:
        """Answer one parsed request body: the response object, or raise ServiceError."""
        if self._rate is not None and not self._rate.allow():
            raise ServiceError("TooManyRequestsException", "Rate exceeded")
        request = parse_request(body)
        client = self._directory.find_client(request.client_id)
        if client is None:
            raise ServiceError(
                "ResourceNotFoundException", f"User pool client {request.client_id} does not exist."
            )
        self._check_context(request, client)
        self._check_secret(request, client)
        pool = client.pool
        if not any(a in pool.auto_verified for a in DELIVERABLE):
            raise ServiceError(
                "InvalidParameterException", "Cannot resend codes. Auto verification not turned on."
            )
        user = self._directory.find_user(pool, request.username)
        if user is None:
            if not client.prevent_user_existence_errors:
                raise ServiceError(
                    "UserNotFoundException", "Username/client id combination not found."
                )
            return self._simulate(request, client)
        if not user.enabled:
            raise ServiceError("NotAuthorizedException", "User is disabled.")
        if user.status != "UNCONFIRMED":
            # Admin-created users (FORCE_CHANGE_PASSWORD) count as confirmed too.
            raise ServiceError("InvalidParameterException", "User is already confirmed.")
        target = choose_target(pool, user.attributes)
        return self._deliver(request, client, user, target, request_id, user_agent)

    def _check_context(self, request: ResendRequest, client: ClientRecord) -> None:
        if request.ip_address is not None and not client.propagate_user_context:
            raise ServiceError(
                "InvalidParameterException",
                "UserContextData.IpAddress is only accepted when the app client has "
                "EnablePropagateAdditionalUserContextData turned on.",
            )

    def _check_secret(self, request: ResendRequest, client: ClientRecord) -> None:
        if client.secret is None:
            return
        if request.secret_hash is None:
            raise ServiceError(
                "NotAuthorizedException",
                f"Client {client.client_id} is configured with secret but SECRET_HASH was "
                "not received",
            )
        expected = secret_hash(request.username, request.client_id, client.secret)
        if not hmac.compare_digest(expected.encode(), request.secret_hash.encode()):
            raise ServiceError(
                "NotAuthorizedException",
                f"Unable to verify secret hash for client {client.client_id}",
            )

    def _limit_key(self, pool: PoolRecord, username: str) -> tuple[str, str, str]:
        return (pool.account_id, pool.pool_id, username)

    def _reserve(self, key: tuple[str, str, str]) -> float:
        token = self._attempts.reserve(key)
        if token is None:
            raise ServiceError(
                "LimitExceededException", "Attempt limit exceeded, please try after some time."
            )
        return token

    def _simulate(self, request: ResendRequest, client: ClientRecord) -> dict[str, object]:
        # Unknown users are limited like real ones, or the limit would reveal them.
        self._reserve(self._limit_key(client.pool, request.username))
        target = simulated_target(client.pool, client.client_id, request.username)
        details = target.details()
        self._outbox.add_simulated(
            {
                "time": utc_now_iso(),
                "user_pool_id": client.pool.pool_id,
                "client_id": client.client_id,
                "username": request.username,
                "destination": details["Destination"],
                "medium": details["DeliveryMedium"],
            }
        )
        return {"CodeDeliveryDetails": details}

    def _deliver(
        self,
        request: ResendRequest,
        client: ClientRecord,
        user: UserRecord,
        target: Target,
        request_id: str,
        user_agent: str,
    ) -> dict[str, object]:
        pool = client.pool
        key = self._limit_key(pool, user.username)
        token = self._reserve(key)
        try:
            code = new_code()
            subject, body, from_trigger = self._compose(
                request, client, user, target, _sdk_version(user_agent)
            )
        except BaseException:
            self._attempts.release(key, token)
            raise
        self._outbox.add_delivery(
            Delivery(
                time=utc_now_iso(),
                user_pool_id=pool.pool_id,
                user=user.username,
                client_id=client.client_id,
                medium=target.medium,
                destination=target.destination,
                attribute=target.attribute,
                subject=subject,
                body=render(body, code),
                code=code,
                client_metadata=dict(request.client_metadata),
                analytics_metadata=(
                    None if request.analytics_metadata is None else dict(request.analytics_metadata)
                ),
                trigger=from_trigger,
                request_id=request_id,
            )
        )
        return {"CodeDeliveryDetails": target.details()}

    def _compose(
        self,
        request: ResendRequest,
        client: ClientRecord,
        user: UserRecord,
        target: Target,
        sdk_version: str,
    ) -> tuple[str | None, str, bool]:
        """Subject (None for SMS), body template and whether the trigger wrote them."""
        pool = client.pool
        email = target.medium == "EMAIL"
        subject: str | None = pool.email_subject if email else None
        body = pool.email_message if email else pool.sms_message
        if self._trigger is None:
            return subject, body, False
        attributes = dict(user.attributes)
        attributes["cognito:user_status"] = user.status
        event = build_event(
            region=pool.region,
            user_pool_id=pool.pool_id,
            username=user.username,
            client_id=client.client_id,
            user_attributes=attributes,
            client_metadata=request.client_metadata,
            sdk_version=sdk_version,
        )
        produced = self._trigger.run(event)
        custom_body = produced.email_message if email else produced.sms_message
        custom_subject = produced.email_subject if email else None
        from_trigger = custom_body is not None or custom_subject is not None
        return (
            custom_subject if custom_subject is not None else subject,
            custom_body if custom_body is not None else body,
            from_trigger,
        )
