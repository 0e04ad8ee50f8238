"""AdminCreateUser's invitation, with the temporary password, in the outbox.

moto creates the user but sends nothing. The sandbox wraps moto's answer:
before it, a missing TemporaryPassword is generated (Cognito makes one; moto
would leave the user without any) and a given one is checked against the
pool's policy; after it, unless ``MessageAction=SUPPRESS``, the invitation
goes to the outbox, one :class:`~console.sandbox.delivery.Delivery` per
medium, whose ``code`` is the temporary password. ``MessageAction=RESEND`` is
answered here entirely (moto would replace the user): a new temporary
password for a FORCE_CHANGE_PASSWORD user, and the invitation again.

The message is the pool's ``AdminCreateUserConfig.InviteMessageTemplate``
(Cognito's default: "Your username is {username} and temporary password is
{####}.", subject "Your temporary password"), or the CustomMessage
trigger's, with ``triggerSource`` ``CustomMessage_AdminCreateUser``,
``usernameParameter`` ``{username}`` and ``clientId``
``CLIENT_ID_NOT_APPLICABLE`` (what admin calls carry). Choices: docs/sandbox.md.
"""

from __future__ import annotations

import secrets
import string
from collections.abc import Mapping
from typing import Any, Protocol

from console.sandbox.constraints import check_constraints
from console.sandbox.delivering import Courier, Target, apply_message, sent_metadata
from console.sandbox.faults import ServiceError
from console.sandbox.moto_state import PoolRecord, UserRecord
from console.sandbox.outbox import Delivery, utc_now_iso
from console.sandbox.passwords import PasswordPolicy, check_password
from console.sandbox.trigger import render
from console.triggers.events import (
    ADMIN_CLIENT,
    USERNAME_PARAMETER,
    build_event,
    event_attributes,
    sdk_version,
)
from console.triggers.invocation import Invocation

__all__ = ["InvitationService", "Invitations", "invitation_targets", "temporary_password"]

_MEDIA = {"EMAIL": "email", "SMS": "phone_number"}


class Invitations(Protocol):
    """The moto state an invitation needs (MotoDirectory and moto_writes, or fakes)."""

    def find_pool(self, pool_id: str) -> PoolRecord | None:
        """The pool with this id, or None."""
        ...

    def find_user(self, pool_record: PoolRecord, name: str) -> UserRecord | None:
        """The user *name* refers to, or None."""
        ...

    def reset_invitation(self, pool: PoolRecord, username: str, password: str) -> dict[str, object]:
        """A new temporary password for a FORCE_CHANGE_PASSWORD user; its UserType."""
        ...

    def delete_user(self, pool: PoolRecord, username: str) -> None:
        """Remove a user whose invitation could not be sent."""
        ...


def temporary_password(policy: PasswordPolicy) -> str:
    """A random password that meets *policy* (one of each class, then letters and digits)."""
    alphabet = string.ascii_letters + string.digits
    length = max(policy.minimum_length, 12)
    chars = [
        secrets.choice(string.ascii_lowercase),
        secrets.choice(string.ascii_uppercase),
        secrets.choice(string.digits),
        secrets.choice("^$*.!@#%&-_=+"),
    ]
    chars += [secrets.choice(alphabet) for _ in range(length - len(chars))]
    secrets.SystemRandom().shuffle(chars)
    return "".join(chars)


def invitation_targets(attributes: Mapping[str, str], mediums: object) -> list[Target]:
    """Where the invitation goes: each requested medium the user has an attribute for.

    Without DesiredDeliveryMediums: SMS when the user has a phone number, else
    EMAIL when it has an address (our choice, see docs/sandbox.md).
    """
    wanted = [m for m in mediums if m in _MEDIA] if isinstance(mediums, list) else []
    if not wanted:
        wanted = ["SMS"] if attributes.get("phone_number") else ["EMAIL"]
    targets = []
    for medium in dict.fromkeys(wanted):
        value = attributes.get(_MEDIA[medium])
        if value:
            targets.append(Target(medium, _MEDIA[medium], value))
    return targets


class InvitationService:
    """Wraps moto's AdminCreateUser: the temporary password and the invitation."""

    def __init__(self, state: Invitations, courier: Courier) -> None:
        self._state = state
        self._courier = courier

    def _pool(self, body: Mapping[str, Any]) -> PoolRecord:
        pool_id = body.get("UserPoolId")
        pool = self._state.find_pool(pool_id) if isinstance(pool_id, str) else None
        if pool is None:
            raise ServiceError("ResourceNotFoundException", f"User pool {pool_id} does not exist.")
        return pool

    def before(
        self, body: dict[str, Any], request_id: str, user_agent: str
    ) -> dict[str, Any] | None:
        """Prepare *body* for moto (in place), or answer RESEND here; ServiceError on refusal."""
        check_constraints("AdminCreateUser", body)
        pool = self._pool(body)
        given = body.get("TemporaryPassword")
        if isinstance(given, str):
            check_password(pool.password_policy, given)
        else:
            body["TemporaryPassword"] = temporary_password(pool.password_policy)
        if body.get("MessageAction") != "RESEND":
            return None
        user_type = self._state.reset_invitation(
            pool, str(body.get("Username")), body["TemporaryPassword"]
        )
        user = self._state.find_user(pool, str(user_type["Username"]))
        if user is not None:
            self._invite(pool, user, body, request_id, user_agent)
        return {"User": user_type}

    def after(
        self, body: dict[str, Any], payload: Mapping[str, Any], request_id: str, user_agent: str
    ) -> None:
        """moto created the user: send the invitation unless SUPPRESS (ServiceError undoes it)."""
        if body.get("MessageAction") == "SUPPRESS":
            return
        pool = self._pool(body)
        created = payload.get("User")
        name = created.get("Username") if isinstance(created, dict) else None
        user = self._state.find_user(pool, name) if isinstance(name, str) else None
        if user is None:
            return
        try:
            self._invite(pool, user, body, request_id, user_agent)
        except BaseException:
            # The invitation never left: undo the creation so the call can be retried.
            self._state.delete_user(pool, user.username)
            raise

    def _invite(
        self,
        pool: PoolRecord,
        user: UserRecord,
        body: Mapping[str, Any],
        request_id: str,
        user_agent: str,
    ) -> None:
        password = str(body["TemporaryPassword"])
        client_metadata = sent_metadata(body)
        for target in invitation_targets(user.attributes, body.get("DesiredDeliveryMediums")):
            subject, template, invocation = self._compose(
                pool, user, target, client_metadata, user_agent
            )
            self._courier.outbox.add_delivery(
                Delivery(
                    time=utc_now_iso(),
                    user_pool_id=pool.pool_id,
                    user=user.username,
                    client_id=ADMIN_CLIENT,
                    medium=target.medium,
                    destination=target.destination,
                    attribute=target.attribute,
                    subject=subject,
                    body=render(template.replace(USERNAME_PARAMETER, user.username), password),
                    code=password,
                    client_metadata=client_metadata or {},
                    analytics_metadata=None,
                    trigger=invocation is not None and invocation.wrote_message,
                    request_id=request_id,
                    invocation_id=None if invocation is None else invocation.id,
                )
            )

    def _compose(
        self,
        pool: PoolRecord,
        user: UserRecord,
        target: Target,
        client_metadata: dict[str, str] | None,
        user_agent: str,
    ) -> tuple[str | None, str, Invocation | None]:
        email = target.medium == "EMAIL"
        subject = pool.invite_subject if email else None
        template = pool.invite_email if email else pool.invite_sms
        trigger = self._courier.trigger
        if trigger is None:
            return subject, template, None
        produced, invocation = trigger.run(
            build_event(
                trigger_source="CustomMessage_AdminCreateUser",
                region=pool.region,
                user_pool_id=pool.pool_id,
                username=user.username,
                client_id=ADMIN_CLIENT,
                user_attributes=event_attributes(user.attributes, status=user.status),
                client_metadata=client_metadata,
                sdk_version=sdk_version(user_agent),
            ),
            medium=target.medium,
        )
        return (*apply_message(produced, email, subject, template), invocation)
