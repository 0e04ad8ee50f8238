"""SignUp and ConfirmSignUp as Cognito answers them, over moto's state.

moto's own versions are wrong for an app developer: its SignUp reports a
delivery that never happened (always SMS, a made-up number) and its
ConfirmSignUp accepts any code. Here SignUp creates the user in moto's state,
sends the code where Cognito would (through the
:class:`~console.sandbox.delivering.Courier`: outbox, code store,
CustomMessage_SignUp trigger), and ConfirmSignUp checks the code against the
:class:`~console.sandbox.codes.CodeStore`.

Checks, in order: the model's bounds, the app client, its SecretHash, then
the operation's own rules. Choices no public source settles are listed in
docs/sandbox.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from console.sandbox.codes import SIGN_UP, Verdict
from console.sandbox.constraints import check_constraints
from console.sandbox.delivering import (
    Courier,
    Sending,
    check_secret_hash,
    find_target,
    sent_metadata,
)
from console.sandbox.faults import ServiceError
from console.sandbox.moto_state import ClientRecord, PoolRecord, UserRecord
from console.sandbox.passwords import check_password
from console.sandbox.resend import Directory

__all__ = [
    "CODE_MISMATCH",
    "EXPIRED_CODE",
    "TOO_MANY_FAILURES",
    "SignUpService",
    "UserWriter",
    "checked_client",
    "code_refusal",
]

CODE_MISMATCH = "Invalid verification code provided, please try again."
EXPIRED_CODE = "Invalid code provided, please request a code again."
TOO_MANY_FAILURES = "Too many failed attempts."
"""Our wording: Cognito's TooManyFailedAttemptsException text for this case is not published."""


class UserWriter(Protocol):
    """Where users are created and confirmed (moto's state, or a fake)."""

    def create_user(
        self, pool: PoolRecord, username: str, password: str, attributes: Mapping[str, str]
    ) -> UserRecord:
        """Create an UNCONFIRMED user; ServiceError if the name is taken."""
        ...

    def confirm_user(self, pool: PoolRecord, username: str, verified: str | None) -> None:
        """Mark the user CONFIRMED and *verified* (an attribute name) verified."""
        ...

    def delete_user(self, pool: PoolRecord, username: str) -> None:
        """Remove a user."""
        ...


def _text(body: Mapping[str, Any], name: str) -> str | None:
    value = body.get(name)
    return value if isinstance(value, str) else None


def checked_client(
    directory: Directory, operation: str, body: dict[str, Any]
) -> tuple[ClientRecord, str]:
    """The model's bounds, the app client and its SecretHash: every client call's first checks.

    Returns the client and the Username as sent; ServiceError on the first failure.
    """
    check_constraints(operation, body)
    client_id = str(body["ClientId"])
    username = str(body["Username"])
    client = directory.find_client(client_id)
    if client is None:
        raise ServiceError(
            "ResourceNotFoundException", f"User pool client {client_id} does not exist."
        )
    check_secret_hash(client, username, _text(body, "SecretHash"))
    return client, username


class SignUpService:
    """Answers SignUp and ConfirmSignUp."""

    def __init__(self, directory: Directory, writer: UserWriter, courier: Courier) -> None:
        self._directory = directory
        self._writer = writer
        self._courier = courier

    def _client(self, operation: str, body: dict[str, Any]) -> tuple[ClientRecord, str]:
        return checked_client(self._directory, operation, body)

    def sign_up(
        self, body: dict[str, Any], *, request_id: str, user_agent: str = ""
    ) -> dict[str, object]:
        """Create the user and send its code; Cognito's SignUp response."""
        client, username = self._client("SignUp", body)
        pool = client.pool
        password = _text(body, "Password")
        if password is None:
            raise ServiceError(
                "InvalidParameterException",
                "A password is required: the sandbox's pools have no passwordless sign-in.",
            )
        check_password(pool.password_policy, password)
        attributes = {
            str(item["Name"]): str(item.get("Value") or "")
            for item in body.get("UserAttributes") or []
            if isinstance(item, dict) and isinstance(item.get("Name"), str)
        }
        user = self._writer.create_user(pool, username, password, attributes)
        answer: dict[str, object] = {
            "UserConfirmed": False,
            "UserSub": user.attributes.get("sub", ""),
        }
        target = find_target(pool, user.attributes)
        if target is None:
            # No auto-verified attribute: Cognito sends nothing; an admin confirms.
            return answer
        try:
            answer["CodeDeliveryDetails"] = self._courier.send(
                Sending(
                    client=client,
                    user=user,
                    target=target,
                    purpose=SIGN_UP,
                    trigger_source="CustomMessage_SignUp",
                    request_id=request_id,
                    user_agent=user_agent,
                    client_metadata=sent_metadata(body),
                    analytics_metadata=body.get("AnalyticsMetadata"),
                )
            )
        except BaseException:
            # The code never left: undo the sign-up so the caller can simply retry.
            self._writer.delete_user(pool, user.username)
            raise
        return answer

    def confirm_sign_up(
        self, body: dict[str, Any], *, request_id: str, user_agent: str = ""
    ) -> dict[str, object]:
        """Check the code and confirm the user; Cognito's (empty) ConfirmSignUp response."""
        client, username = self._client("ConfirmSignUp", body)
        pool = client.pool
        hide = client.prevent_user_existence_errors
        user = self._directory.find_user(pool, username)
        if user is None:
            # "Managing user existence error responses": a code that cannot match
            # is CodeMismatchException, so an unknown user looks like a wrong code.
            if hide:
                raise ServiceError("CodeMismatchException", CODE_MISMATCH)
            raise ServiceError("UserNotFoundException", "Username/client id combination not found.")
        if not user.enabled:
            if hide:
                raise ServiceError("CodeMismatchException", CODE_MISMATCH)
            raise ServiceError("NotAuthorizedException", "User is disabled.")
        if user.status != "UNCONFIRMED":
            raise ServiceError(
                "NotAuthorizedException",
                f"User cannot be confirmed. Current status is {user.status}",
            )
        check = self._courier.codes.check(
            pool.pool_id, user.username, SIGN_UP, str(body["ConfirmationCode"])
        )
        if check.verdict is Verdict.OK:
            self._writer.confirm_user(pool, user.username, check.attribute)
            return {}
        raise code_refusal(check.verdict)


def code_refusal(verdict: Verdict) -> ServiceError:
    """Cognito's error for a code that did not confirm (any verdict but OK)."""
    if verdict is Verdict.EXPIRED:
        return ServiceError("ExpiredCodeException", EXPIRED_CODE)
    if verdict is Verdict.TOO_MANY:
        return ServiceError("TooManyFailedAttemptsException", TOO_MANY_FAILURES)
    return ServiceError("CodeMismatchException", CODE_MISMATCH)
