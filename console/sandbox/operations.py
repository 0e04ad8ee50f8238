"""The table of Cognito operations the sandbox answers itself (beside ResendConfirmationCode).

Everything not listed here (and not ResendConfirmationCode, which has its own
path for faults and latency) is answered by moto. docs/sandbox.md says why
each of these is ours.
"""

from __future__ import annotations

from typing import Any

from console.sandbox.attribute_codes import AttributeCodes, UpdateAttributesWrapper
from console.sandbox.delivering import Courier
from console.sandbox.invitation import InvitationService
from console.sandbox.moto_state import MotoDirectory, PoolRecord
from console.sandbox.moto_writes import MotoUserWriter, delete_user, reset_invitation
from console.sandbox.recovery import RecoveryService
from console.sandbox.resend import Directory
from console.sandbox.signup import SignUpService
from console.sandbox.wsgi import CallContext, MotoWrapper, Operation

__all__ = ["moto_wrappers", "own_operations"]


def own_operations(directory: Directory, courier: Courier) -> dict[str, Operation]:
    """Operation name -> handler, for :class:`~console.sandbox.wsgi.SandboxApp`."""
    writer = MotoUserWriter()
    sign_up = SignUpService(directory, writer, courier)
    recovery = RecoveryService(directory, writer, courier)

    def sign_up_op(body: dict[str, object], call: CallContext) -> dict[str, object]:
        return sign_up.sign_up(body, request_id=call.request_id, user_agent=call.user_agent)

    def confirm_op(body: dict[str, object], call: CallContext) -> dict[str, object]:
        return sign_up.confirm_sign_up(body, request_id=call.request_id, user_agent=call.user_agent)

    def forgot_op(body: dict[str, object], call: CallContext) -> dict[str, object]:
        return recovery.forgot_password(
            body, request_id=call.request_id, user_agent=call.user_agent
        )

    def confirm_forgot_op(body: dict[str, object], call: CallContext) -> dict[str, object]:
        return recovery.confirm_forgot_password(
            body, request_id=call.request_id, user_agent=call.user_agent
        )

    attribute_codes = AttributeCodes(MotoDirectory(), courier)
    return {
        "GetUserAttributeVerificationCode": attribute_codes.verification_code,
        "VerifyUserAttribute": attribute_codes.verify,
        "SignUp": sign_up_op,
        "ConfirmSignUp": confirm_op,
        "ForgotPassword": forgot_op,
        "ConfirmForgotPassword": confirm_forgot_op,
    }


class _MotoInvitations(MotoDirectory):
    """moto's state as :class:`~console.sandbox.invitation.Invitations` needs it."""

    def reset_invitation(self, pool: PoolRecord, username: str, password: str) -> dict[str, object]:
        """See :func:`~console.sandbox.moto_writes.reset_invitation`."""
        return reset_invitation(pool, username, password)

    def delete_user(self, pool: PoolRecord, username: str) -> None:
        """See :func:`~console.sandbox.moto_writes.delete_user`."""
        delete_user(pool, username)


class _AdminCreateUser:
    """AdminCreateUser: moto creates the user, the invitation goes to the outbox."""

    def __init__(self, courier: Courier) -> None:
        self._service = InvitationService(_MotoInvitations(), courier)

    def before(self, body: dict[str, Any], call: CallContext) -> dict[str, object] | None:
        return self._service.before(body, call.request_id, call.user_agent)

    def after(self, body: dict[str, Any], payload: dict[str, Any], call: CallContext) -> None:
        self._service.after(body, payload, call.request_id, call.user_agent)


def moto_wrappers(courier: Courier) -> dict[str, MotoWrapper]:
    """Operation name -> the work around moto's answer (a :class:`~.wsgi.MotoWrapper`)."""
    directory = MotoDirectory()
    return {
        "AdminCreateUser": _AdminCreateUser(courier),
        "UpdateUserAttributes": UpdateAttributesWrapper(
            AttributeCodes(directory, courier), directory
        ),
    }
