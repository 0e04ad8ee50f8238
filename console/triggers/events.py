"""The CustomMessage event Cognito sends a Lambda trigger, for each of its seven sources.

Grounded in the developer guide ("Custom message Lambda trigger" and the
shared trigger parameters) and in Powertools' models: the TypeScript parser's
``CustomMessageTriggerSchema`` (``linkParameter`` and ``usernameParameter``
nullable but always present, ``clientMetadata`` optional) and the Python
sample event ``cognitoCustomMessageEvent.json`` (``linkParameter``
``"{##Click Here##}"``). ``tests/unit/test_trigger_event_fields.py`` compares
our field sets with theirs.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = [
    "ADMIN_CLIENT",
    "CODE_PARAMETER",
    "LINK_PARAMETER",
    "SOURCES",
    "USERNAME_PARAMETER",
    "build_event",
    "event_attributes",
    "sdk_version",
]

CODE_PARAMETER = "{####}"
"""Where the code goes in a message; Cognito replaces it after the trigger answers."""
LINK_PARAMETER = "{##Click Here##}"
"""The verification-link placeholder Cognito sends in every CustomMessage event."""
USERNAME_PARAMETER = "{username}"
"""The username placeholder, sent only for ``CustomMessage_AdminCreateUser``."""
ADMIN_CLIENT = "CLIENT_ID_NOT_APPLICABLE"
"""``callerContext.clientId`` of events caused by an administrator's call."""

SOURCES: dict[str, str] = {
    "CustomMessage_SignUp": "SignUp: the confirmation code after sign-up",
    "CustomMessage_AdminCreateUser": "AdminCreateUser: the temporary password of a new user",
    "CustomMessage_ResendCode": "ResendConfirmationCode: the confirmation code again",
    "CustomMessage_ForgotPassword": "ForgotPassword: the password-reset code",
    "CustomMessage_UpdateUserAttribute": "UpdateUserAttributes: a changed email or phone's code",
    "CustomMessage_VerifyUserAttribute": "GetUserAttributeVerificationCode: a code on request",
    "CustomMessage_Authentication": "sign-in: an MFA code",
}
"""Every CustomMessage trigger source and what sends it (the developer guide's table)."""


def sdk_version(user_agent: str) -> str:
    """Cognito's ``aws-sdk-<lang>-<version>`` for the caller; boto3 says ``Boto3/1.40.0``.

    Without a recognisable user agent, ``aws-sdk-unknown-unknown`` (what
    Powertools' sample event carries).
    """
    first = user_agent.split(" ", 1)[0] if user_agent else ""
    name, slash, version = first.partition("/")
    if not slash or not name:
        return "aws-sdk-unknown-unknown"
    return f"aws-sdk-{name.lower()}-{version}"


def event_attributes(
    attributes: Mapping[str, str], *, status: str, sub: str | None = None
) -> dict[str, str]:
    """The ``userAttributes`` Cognito sends: every attribute, as strings, with the status.

    ``sub`` and ``cognito:user_status`` are always there; ``*_verified`` are
    the strings ``"true"``/``"false"``, never booleans.
    """
    out = {str(key): _as_text(value) for key, value in attributes.items()}
    if sub is not None:
        out.setdefault("sub", sub)
    out["cognito:user_status"] = status
    return out


def _as_text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def build_event(
    *,
    trigger_source: str,
    region: str,
    user_pool_id: str,
    username: str,
    client_id: str,
    user_attributes: Mapping[str, str],
    sdk_version: str,
    client_metadata: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Cognito's CustomMessage event for *trigger_source*, with the three null answers.

    *client_metadata* None means the caller sent no ClientMetadata: the key is
    then left out, as Cognito does (a handler reading
    ``event.request.clientMetadata.lang`` crashes in AWS, so it must here).
    ``usernameParameter`` is ``{username}`` for AdminCreateUser and null
    otherwise. ValueError for a source that is not a CustomMessage source.
    """
    if trigger_source not in SOURCES:
        raise ValueError(f"unknown trigger source {trigger_source!r}: one of {', '.join(SOURCES)}")
    request: dict[str, Any] = {
        "userAttributes": dict(user_attributes),
        "codeParameter": CODE_PARAMETER,
        "linkParameter": LINK_PARAMETER,
        "usernameParameter": (
            USERNAME_PARAMETER if trigger_source == "CustomMessage_AdminCreateUser" else None
        ),
    }
    if client_metadata is not None:
        request["clientMetadata"] = dict(client_metadata)
    return {
        "version": "1",
        "triggerSource": trigger_source,
        "region": region,
        "userPoolId": user_pool_id,
        "userName": username,
        "callerContext": {"awsSdkVersion": sdk_version, "clientId": client_id},
        "request": request,
        "response": {"smsMessage": None, "emailMessage": None, "emailSubject": None},
    }
