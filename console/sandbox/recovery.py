"""ForgotPassword and ConfirmForgotPassword as Cognito answers them, over moto's state.

moto's ForgotPassword reports a made-up delivery and sends nothing; its
ConfirmForgotPassword accepts any code. Here ForgotPassword sends a
password-reset code (1 hour, :data:`~console.sandbox.codes.PASSWORD_RESET`)
through the :class:`~console.sandbox.delivering.Courier` (outbox, code store,
CustomMessage_ForgotPassword trigger) to the attribute Cognito picks, and
ConfirmForgotPassword checks it against the code store before setting the new
password in moto's state, so signing in with it works.

Where the code goes: the pool's AccountRecoverySetting in priority order
(``verified_phone_number``, ``verified_email``), or, without one, Cognito's
legacy order, SMS before email (the API reference: "In the absence of this
setting, Amazon Cognito uses the legacy behavior to determine the recovery
method where SMS is preferred through email"). Only a *verified* attribute
counts ("If neither a verified phone number nor a verified email exists,
Amazon Cognito responds with an InvalidParameterException error").
Choices no public source settles are listed in docs/sandbox.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from console.sandbox.codes import PASSWORD_RESET, Verdict
from console.sandbox.delivering import Courier, Sending, Target, sent_metadata, simulated_target
from console.sandbox.faults import ServiceError
from console.sandbox.moto_state import ClientRecord, PoolRecord
from console.sandbox.outbox import utc_now_iso
from console.sandbox.passwords import check_password
from console.sandbox.resend import Directory
from console.sandbox.signup import CODE_MISMATCH, checked_client, code_refusal

__all__ = ["NO_RECOVERY_DESTINATION", "PasswordWriter", "RecoveryService", "recovery_target"]

NO_RECOVERY_DESTINATION = (
    "Cannot reset password for the user as there is no registered/verified email or phone_number"
)
"""Cognito's text, as real pools answer it (aws-sdk-android#142, amazon-cognito-identity-js#678)."""
CANNOT_RESET = "User password cannot be reset in the current state."
"""What real pools answer ForgotPassword for a FORCE_CHANGE_PASSWORD user (amplify-js#1340)."""
ADMIN_ONLY = "Contact administrator to reset password."
"""Our wording (moto's) for a pool whose only recovery is admin_only: Cognito's is not published."""

_MECHANISMS = {
    "verified_phone_number": ("phone_number", "SMS"),
    "verified_email": ("email", "EMAIL"),
}


class PasswordWriter(Protocol):
    """Where a new password is stored (moto's state, or a fake)."""

    def set_password(self, pool: PoolRecord, username: str, password: str) -> None:
        """Give the user *password* (RESET_REQUIRED becomes CONFIRMED)."""
        ...


def recovery_target(pool: PoolRecord, attributes: Mapping[str, str]) -> Target | None:
    """The verified attribute a reset code goes to, by the pool's recovery order, or None.

    ServiceError (NotAuthorizedException) when the pool allows only admin recovery.
    """
    if pool.recovery and pool.recovery[0] == "admin_only":
        raise ServiceError("NotAuthorizedException", ADMIN_ONLY)
    for mechanism in pool.recovery:
        attribute, medium = _MECHANISMS.get(mechanism, ("", ""))
        value = attributes.get(attribute) if attribute else None
        if value and attributes.get(f"{attribute}_verified") == "true":
            return Target(medium, attribute, value)
    return None


class RecoveryService:
    """Answers ForgotPassword and ConfirmForgotPassword."""

    def __init__(self, directory: Directory, writer: PasswordWriter, courier: Courier) -> None:
        self._directory = directory
        self._writer = writer
        self._courier = courier

    def forgot_password(
        self, body: dict[str, Any], *, request_id: str, user_agent: str = ""
    ) -> dict[str, object]:
        """Send a password-reset code; Cognito's ForgotPassword response."""
        client, username = checked_client(self._directory, "ForgotPassword", body)
        pool = client.pool
        user = self._directory.find_user(pool, username)
        if user is None or not user.enabled:
            # "Managing user existence error responses": behind
            # PreventUserExistenceErrors an unknown or disabled user gets
            # CodeDeliveryDetails to a simulated destination.
            if client.prevent_user_existence_errors:
                return self._simulate(client, username)
            if user is None:
                raise ServiceError(
                    "UserNotFoundException", "Username/client id combination not found."
                )
            raise ServiceError("NotAuthorizedException", "User is disabled.")
        if user.status == "FORCE_CHANGE_PASSWORD":
            raise ServiceError("NotAuthorizedException", CANNOT_RESET)
        target = recovery_target(pool, user.attributes)
        if target is None:
            raise ServiceError("InvalidParameterException", NO_RECOVERY_DESTINATION)
        details = self._courier.send(
            Sending(
                client=client,
                user=user,
                target=target,
                purpose=PASSWORD_RESET,
                trigger_source="CustomMessage_ForgotPassword",
                request_id=request_id,
                user_agent=user_agent,
                client_metadata=sent_metadata(body),
                analytics_metadata=body.get("AnalyticsMetadata"),
            )
        )
        return {"CodeDeliveryDetails": details}

    def confirm_forgot_password(
        self, body: dict[str, Any], *, request_id: str, user_agent: str = ""
    ) -> dict[str, object]:
        """Check the code and the new password, then set it; Cognito's (empty) response."""
        client, username = checked_client(self._directory, "ConfirmForgotPassword", body)
        pool = client.pool
        user = self._directory.find_user(pool, username)
        if user is None or not user.enabled:
            # The developer guide: for ConfirmForgotPassword an unknown or
            # disabled user behind PreventUserExistenceErrors gets CodeMismatchException.
            if client.prevent_user_existence_errors:
                raise ServiceError("CodeMismatchException", CODE_MISMATCH)
            if user is None:
                raise ServiceError(
                    "UserNotFoundException", "Username/client id combination not found."
                )
            raise ServiceError("NotAuthorizedException", "User is disabled.")
        password = str(body["Password"])
        # Checked before the code, so a weak password does not use up an attempt.
        check_password(pool.password_policy, password)
        check = self._courier.codes.check(
            pool.pool_id, user.username, PASSWORD_RESET, str(body["ConfirmationCode"])
        )
        if check.verdict is not Verdict.OK:
            raise code_refusal(check.verdict)
        self._writer.set_password(pool, user.username, password)
        return {}

    def _simulate(self, client: ClientRecord, username: str) -> dict[str, object]:
        target = simulated_target(client.pool, client.client_id, username)
        details = target.details()
        self._courier.outbox.add_simulated(
            {
                "time": utc_now_iso(),
                "user_pool_id": client.pool.pool_id,
                "client_id": client.client_id,
                "username": username,
                "destination": details["Destination"],
                "medium": details["DeliveryMedium"],
            }
        )
        return {"CodeDeliveryDetails": details}
