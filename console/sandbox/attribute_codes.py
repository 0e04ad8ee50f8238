"""Codes for a changed or unverified email or phone number, sent by the signed-in user's calls.

moto answers UpdateUserAttributes without sending anything and does not
implement GetUserAttributeVerificationCode or VerifyUserAttribute; the
sandbox does what Cognito does:

- **GetUserAttributeVerificationCode** (AccessToken, AttributeName): a code
  to that attribute, through the outbox and the CustomMessage trigger
  (``CustomMessage_VerifyUserAttribute``); the masked ``CodeDeliveryDetails``.
- **UpdateUserAttributes**: moto stores the change; then, for a new email or
  phone number the pool auto-verifies, ``<attribute>_verified`` becomes
  ``false`` and a code goes to the new value (``CustomMessage_UpdateUserAttribute``);
  the answer lists ``CodeDeliveryDetailsList``.
- **VerifyUserAttribute** (AccessToken, AttributeName, Code): the current code
  marks the attribute verified; wrong, replaced or expired codes give the same
  errors as ConfirmSignUp.

An access token is found in moto's state (the pool's issued tokens); an
unknown one is ``NotAuthorizedException`` "Invalid Access Token".
"""

from __future__ import annotations

import threading
from typing import Any

from console.sandbox.codes import VERIFY_EMAIL, VERIFY_PHONE, Verdict
from console.sandbox.delivering import Courier, Sending, Target, sent_metadata
from console.sandbox.faults import ServiceError
from console.sandbox.moto_state import ClientRecord, MotoDirectory, UserRecord, user_record
from console.sandbox.signup import code_refusal
from console.sandbox.wsgi import CallContext

__all__ = ["AttributeCodes", "UpdateAttributesWrapper"]

_PURPOSES = {"email": VERIFY_EMAIL, "phone_number": VERIFY_PHONE}
_lock = threading.Lock()


def _moto_user(access_token: str) -> tuple[Any, Any, str]:
    """moto's pool, user and the token's client id; NotAuthorizedException if unknown."""
    from moto.cognitoidp.models import cognitoidp_backends

    for account in list(cognitoidp_backends.values()):
        for region, backend in list(account.items()):
            if region in ("global", "aws"):
                continue
            for pool in list(backend.user_pools.values()):
                owner = pool.access_tokens.get(access_token)
                if owner is None:
                    continue
                client_id, username = owner
                user = pool.users.get(username)
                if user is not None:
                    return pool, user, str(client_id)
    raise ServiceError("NotAuthorizedException", "Invalid Access Token")


def _text(body: dict[str, Any], name: str) -> str:
    value = body.get(name)
    if not isinstance(value, str) or not value:
        raise ServiceError("InvalidParameterException", f"{name} is required.")
    return value


def _target(user: UserRecord, attribute: str) -> Target:
    if attribute not in _PURPOSES:
        raise ServiceError(
            "InvalidParameterException",
            f"Cannot verify {attribute}: only email and phone_number can be verified.",
        )
    value = user.attributes.get(attribute)
    if not value:
        raise ServiceError("InvalidParameterException", f"User has no {attribute} to verify.")
    return Target("EMAIL" if attribute == "email" else "SMS", attribute, value)


class AttributeCodes:
    """GetUserAttributeVerificationCode and VerifyUserAttribute, answered by the sandbox."""

    def __init__(self, directory: MotoDirectory, courier: Courier) -> None:
        self._directory = directory
        self._courier = courier

    def _client(self, client_id: str) -> ClientRecord:
        client = self._directory.find_client(client_id)
        if client is None:
            raise ServiceError("NotAuthorizedException", "Invalid Access Token")
        return client

    def send(
        self,
        client: ClientRecord,
        user: UserRecord,
        attribute: str,
        source: str,
        body: dict[str, Any],
        call: CallContext,
    ) -> dict[str, str]:
        """Send a code for *attribute*; the masked CodeDeliveryDetails."""
        return self._courier.send(
            Sending(
                client=client,
                user=user,
                target=_target(user, attribute),
                purpose=_PURPOSES[attribute],
                trigger_source=source,
                request_id=call.request_id,
                user_agent=call.user_agent,
                client_metadata=sent_metadata(body),
            )
        )

    def verification_code(self, body: dict[str, Any], call: CallContext) -> dict[str, object]:
        """GetUserAttributeVerificationCode."""
        _pool, user, client_id = _moto_user(_text(body, "AccessToken"))
        attribute = _text(body, "AttributeName")
        details = self.send(
            self._client(client_id),
            user_record(user),
            attribute,
            "CustomMessage_VerifyUserAttribute",
            body,
            call,
        )
        return {"CodeDeliveryDetails": details}

    def verify(self, body: dict[str, Any], call: CallContext) -> dict[str, object]:
        """VerifyUserAttribute: the current code marks the attribute verified."""
        _pool, user, client_id = _moto_user(_text(body, "AccessToken"))
        attribute = _text(body, "AttributeName")
        _target(user_record(user), attribute)  # an attribute that cannot be verified: refused
        record = self._client(client_id).pool
        check = self._courier.codes.check(
            record.pool_id, user.username, _PURPOSES[attribute], _text(body, "Code")
        )
        if check.verdict is not Verdict.OK:
            raise code_refusal(check.verdict)
        with _lock:
            user.update_attributes([{"Name": f"{attribute}_verified", "Value": "true"}])
        return {}


class UpdateAttributesWrapper:
    """UpdateUserAttributes: moto stores the change, the sandbox sends the codes."""

    def __init__(self, codes: AttributeCodes, directory: MotoDirectory) -> None:
        self._codes = codes
        self._directory = directory

    def before(self, body: dict[str, Any], call: CallContext) -> dict[str, object] | None:
        """Nothing to change before moto (it checks the token and the attributes)."""
        return None

    def after(self, body: dict[str, Any], payload: dict[str, Any], call: CallContext) -> None:
        """Mark changed contact attributes unverified and send each a code."""
        token = body.get("AccessToken")
        if not isinstance(token, str):
            return
        _pool, user, client_id = _moto_user(token)
        client = self._directory.find_client(client_id)
        if client is None:
            return
        changed = {
            str(item.get("Name")): str(item.get("Value"))
            for item in body.get("UserAttributes") or []
            if isinstance(item, dict) and item.get("Name") in _PURPOSES
        }
        details: list[dict[str, str]] = []
        for attribute in ("phone_number", "email"):
            if attribute not in changed or attribute not in client.pool.auto_verified:
                continue
            with _lock:
                user.update_attributes([{"Name": f"{attribute}_verified", "Value": "false"}])
            details.append(
                self._codes.send(
                    client,
                    user_record(user),
                    attribute,
                    "CustomMessage_UpdateUserAttribute",
                    body,
                    call,
                )
            )
        if details:
            payload["CodeDeliveryDetailsList"] = details
