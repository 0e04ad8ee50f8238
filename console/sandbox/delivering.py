"""Sending one code the way Cognito does: where it goes, how it is masked, the message, the outbox.

Shared by every operation that sends a code (ResendConfirmationCode, SignUp,
ForgotPassword). :class:`Courier` composes the message (the pool's template,
or the CustomMessage trigger's for the operation's trigger source), records
the code in the :class:`~console.sandbox.codes.CodeStore` and the delivery in
the :class:`~console.sandbox.outbox.Outbox`.

Which attribute gets the code: when a user has both an email address and a
phone number and the pool auto-verifies both, Cognito sends the code by SMS
(the developer guide, "Verifying contact information at sign-up"; the CDK
docs: "If both email and phone is set, Cognito only verifies the phone
number"). Masks keep the first character of the address and of the domain,
and the top-level domain: ``e***@e***.org``; phone numbers keep the last four
digits: ``+********0123``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Protocol

from console.sandbox.codes import CodeStore
from console.sandbox.faults import ServiceError
from console.sandbox.moto_state import ClientRecord, PoolRecord, UserRecord
from console.sandbox.outbox import Delivery, Outbox, utc_now_iso
from console.sandbox.trigger import Message, TriggerRunner, render
from console.triggers.events import build_event, event_attributes
from console.triggers.events import sdk_version as sdk_version
from console.triggers.invocation import Invocation

__all__ = [
    "PREFERENCE",
    "Courier",
    "DeliveryGuard",
    "Target",
    "apply_message",
    "check_secret_hash",
    "choose_target",
    "mask_email",
    "mask_phone",
    "new_code",
    "sdk_version",
    "secret_hash",
    "sent_metadata",
    "simulated_target",
]

PREFERENCE = ("phone_number", "email")
"""Attributes a code can go to, in Cognito's order of preference (SMS first)."""
_NAMED = ("email", "phone_number")
"""The same attributes in the order error messages name them."""


def secret_hash(username: str, client_id: str, client_secret: str) -> str:
    """Base64(HMAC-SHA256(key=client secret, msg=Username + ClientId))."""
    digest = hmac.new(
        client_secret.encode("utf-8"), (username + client_id).encode("utf-8"), hashlib.sha256
    ).digest()
    return base64.b64encode(digest).decode("ascii")


def check_secret_hash(client: ClientRecord, username: str, given: str | None) -> None:
    """Refuse a call without the right SecretHash for a client with a secret (ServiceError)."""
    if client.secret is None:
        return
    if given is None:
        raise ServiceError(
            "NotAuthorizedException",
            f"Client {client.client_id} is configured with secret but SECRET_HASH was not received",
        )
    expected = secret_hash(username, client.client_id, client.secret)
    if not hmac.compare_digest(expected.encode(), given.encode()):
        raise ServiceError(
            "NotAuthorizedException", f"Unable to verify secret hash for client {client.client_id}"
        )


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


def find_target(pool: PoolRecord, attributes: Mapping[str, str]) -> Target | None:
    """The auto-verified attribute the user has that Cognito would pick, or None."""
    for attribute in PREFERENCE:
        value = attributes.get(attribute)
        if attribute in pool.auto_verified and value:
            medium = "EMAIL" if attribute == "email" else "SMS"
            return Target(medium, attribute, value)
    return None


def choose_target(pool: PoolRecord, attributes: Mapping[str, str]) -> Target:
    """Where a resent code goes (phone_number before email); ServiceError when nowhere."""
    target = find_target(pool, attributes)
    if target is not None:
        return target
    wanted = " or ".join(a for a in _NAMED if a in pool.auto_verified)
    raise ServiceError(
        "InvalidParameterException",
        f"Cannot resend codes. User has no {wanted} attribute to deliver the code to.",
    )


def simulated_target(pool: PoolRecord, client_id: str, username: str) -> Target:
    """A plausible, stable destination for a user that does not exist (or is hidden).

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


def sent_metadata(body: Mapping[str, object]) -> dict[str, str] | None:
    """The request's ClientMetadata, or None when it carried none (not even ``{}``)."""
    value = body.get("ClientMetadata")
    if not isinstance(value, dict):
        return None
    return {str(k): str(v) for k, v in value.items()}


class DeliveryGuard(Protocol):
    """Decides whether the channel behind Cognito drops a message (see ``channel_moto``)."""

    def dropped(
        self, pool: PoolRecord, username: str, target: Target, request_id: str
    ) -> str | None:
        """Why the message never arrives (and log it as Cognito would), or None."""
        ...


@dataclass(frozen=True, slots=True)
class Sending:
    """One code to send: for whom, why, and what the request carried."""

    client: ClientRecord
    user: UserRecord
    target: Target
    purpose: str
    trigger_source: str
    request_id: str
    user_agent: str = ""
    client_metadata: Mapping[str, str] | None = None
    """None when the request carried no ClientMetadata (the event then has none)."""
    analytics_metadata: Mapping[str, str] | None = None


class Courier:
    """Composes, records and "delivers" codes into the outbox."""

    def __init__(
        self,
        outbox: Outbox,
        codes: CodeStore,
        *,
        trigger: TriggerRunner | None = None,
        guard: DeliveryGuard | None = None,
    ) -> None:
        self.outbox = outbox
        self.codes = codes
        self._trigger = trigger
        self._guard = guard
        self._last: Sending | None = None

    @property
    def trigger(self) -> TriggerRunner | None:
        """The CustomMessage trigger, if the sandbox runs one."""
        return self._trigger

    def send(self, sending: Sending) -> dict[str, str]:
        """Send one code (ServiceError if the trigger fails); the masked CodeDeliveryDetails."""
        self._last = sending
        code = new_code()
        subject, body, invocation = self._compose(sending)
        pool, user, target = sending.client.pool, sending.user, sending.target
        self.codes.issue(pool.pool_id, user.username, sending.purpose, code, target.attribute)
        # Cognito answers success either way: a dropped message is only marked in the outbox.
        reason = (
            None
            if self._guard is None
            else self._guard.dropped(pool, user.username, target, sending.request_id)
        )
        self.outbox.add_delivery(
            Delivery(
                time=utc_now_iso(),
                user_pool_id=pool.pool_id,
                user=user.username,
                client_id=sending.client.client_id,
                medium=target.medium,
                destination=target.destination,
                attribute=target.attribute,
                subject=subject,
                body=render(body, code),
                code=code,
                client_metadata=dict(sending.client_metadata or {}),
                analytics_metadata=(
                    None if sending.analytics_metadata is None else dict(sending.analytics_metadata)
                ),
                trigger=invocation is not None and invocation.wrote_message,
                request_id=sending.request_id,
                invocation_id=None if invocation is None else invocation.id,
                status="delivered" if reason is None else "dropped",
                dropped_reason=reason,
            )
        )
        return target.details()

    def repeat(self, request_id: str) -> dict[str, object]:
        """Send the last code again, the same way (``POST /_sandbox/repeat``).

        A new code, a new trigger invocation, a new outbox entry, for the same
        user, medium and trigger source: after editing a handler, one call
        shows its new message. ServiceError when nothing was sent yet, or when
        the trigger fails (the invocation is recorded all the same).
        """
        last = self._last
        if last is None:
            raise ServiceError(
                "ResourceNotFoundException", "Nothing was sent yet: there is no request to repeat."
            )
        details = self.send(replace(last, request_id=request_id))
        return {
            "CodeDeliveryDetails": details,
            "user": last.user.username,
            "trigger_source": last.trigger_source,
        }

    def _compose(self, sending: Sending) -> tuple[str | None, str, Invocation | None]:
        """Subject (None for SMS), body template and the trigger's invocation, if one ran."""
        pool = sending.client.pool
        email = sending.target.medium == "EMAIL"
        subject: str | None = pool.email_subject if email else None
        body = pool.email_message if email else pool.sms_message
        if self._trigger is None:
            return subject, body, None
        event = build_event(
            trigger_source=sending.trigger_source,
            region=pool.region,
            user_pool_id=pool.pool_id,
            username=sending.user.username,
            client_id=sending.client.client_id,
            user_attributes=event_attributes(sending.user.attributes, status=sending.user.status),
            client_metadata=sending.client_metadata,
            sdk_version=sdk_version(sending.user_agent),
        )
        produced, invocation = self._trigger.run(event, medium=sending.target.medium)
        return (*apply_message(produced, email, subject, body), invocation)


def apply_message(
    produced: Message, email: bool, subject: str | None, body: str
) -> tuple[str | None, str]:
    """The trigger's subject and body where it gave them, the defaults elsewhere."""
    custom_body = produced.email_message if email else produced.sms_message
    custom_subject = produced.email_subject if email else None
    return (
        custom_subject if custom_subject is not None else subject,
        custom_body if custom_body is not None else body,
    )
