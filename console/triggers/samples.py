"""The event the sandbox would build, without a sandbox (``trigger invoke``, ``trigger event``).

The user is made up from the options (a username, an email and/or a phone
number); the status is what the user has when Cognito sends that source's
message (UNCONFIRMED for sign-up codes, FORCE_CHANGE_PASSWORD for an
invitation, CONFIRMED otherwise). Deterministic for the same options except
``sub``, which is derived from the username so repeated runs match.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from console.triggers.events import ADMIN_CLIENT, SOURCES, build_event, event_attributes

__all__ = ["STATUS_FOR_SOURCE", "sample_event", "sample_medium"]

STATUS_FOR_SOURCE = {
    "CustomMessage_SignUp": "UNCONFIRMED",
    "CustomMessage_ResendCode": "UNCONFIRMED",
    "CustomMessage_AdminCreateUser": "FORCE_CHANGE_PASSWORD",
}
"""The user's status when the source's message is sent; CONFIRMED for the others."""

_SUB_NAMESPACE = uuid.UUID("6f1c0e1e-13a0-4c6e-9a55-7d0f2a6c1313")


def sample_medium(email: str | None, phone: str | None) -> str:
    """Where the sandbox would send: SMS when there is a phone number, as Cognito prefers."""
    return "SMS" if phone and not email else "EMAIL"


def sample_event(
    trigger_source: str,
    username: str,
    *,
    email: str | None = None,
    phone: str | None = None,
    metadata: Mapping[str, str] | None = None,
    region: str = "us-east-1",
    user_pool_id: str | None = None,
    client_id: str = "sandboxclientid0000000000",
) -> dict[str, Any]:
    """The CustomMessage event for a made-up user; ValueError for an unknown source."""
    if trigger_source not in SOURCES:
        raise ValueError(f"unknown trigger source {trigger_source!r}: one of {', '.join(SOURCES)}")
    attributes: dict[str, str] = {"sub": str(uuid.uuid5(_SUB_NAMESPACE, username))}
    status = STATUS_FOR_SOURCE.get(trigger_source, "CONFIRMED")
    verified = "true" if status == "CONFIRMED" else "false"
    if email:
        attributes["email"] = email
        attributes["email_verified"] = verified
    if phone:
        attributes["phone_number"] = phone
        attributes["phone_number_verified"] = verified
    admin = trigger_source == "CustomMessage_AdminCreateUser"
    return build_event(
        trigger_source=trigger_source,
        region=region,
        user_pool_id=user_pool_id or f"{region}_sandbox01",
        username=username,
        client_id=ADMIN_CLIENT if admin else client_id,
        user_attributes=event_attributes(attributes, status=status),
        sdk_version="aws-sdk-unknown-unknown",
        client_metadata=metadata,
    )
