"""The table of Cognito operations the sandbox answers itself (beside ResendConfirmationCode).

Everything not listed here (and not ResendConfirmationCode, which has its own
path for faults and latency) is answered by moto. docs/sandbox.md says why
each of these is ours.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from console.sandbox.attribute_codes import AttributeCodes, UpdateAttributesWrapper
from console.sandbox.delivering import Courier
from console.sandbox.faults import ServiceError
from console.sandbox.invitation import InvitationService
from console.sandbox.moto_state import MotoDirectory, PoolRecord
from console.sandbox.moto_writes import MotoUserWriter, delete_user, reset_invitation
from console.sandbox.recovery import RecoveryService
from console.sandbox.resend import Directory
from console.sandbox.signup import SignUpService
from console.sandbox.wsgi import CallContext, MotoWrapper, Operation

if TYPE_CHECKING:
    from console.sandbox.channel_moto import MotoChannels

__all__ = ["moto_wrappers", "own_operations"]


def own_operations(
    directory: Directory, courier: Courier, channels: MotoChannels | None = None
) -> dict[str, Operation]:
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
    table: dict[str, Operation] = {
        "GetUserAttributeVerificationCode": attribute_codes.verification_code,
        "VerifyUserAttribute": attribute_codes.verify,
        "SignUp": sign_up_op,
        "ConfirmSignUp": confirm_op,
        "ForgotPassword": forgot_op,
        "ConfirmForgotPassword": confirm_forgot_op,
    }
    if channels is not None:
        table.update(_log_delivery_ops(directory, channels))
    return table


def _log_delivery_ops(directory: Directory, moto: MotoChannels) -> dict[str, Operation]:
    """Get/SetLogDeliveryConfiguration (moto has neither), kept in the sandbox's channels."""

    def pool_id(body: dict[str, Any]) -> str:
        from moto.cognitoidp.models import cognitoidp_backends

        value = str(body.get("UserPoolId") or "")
        for account in list(cognitoidp_backends.values()):
            for region, backend in list(account.items()):
                if region not in ("global", "aws") and value in backend.user_pools:
                    return value
        raise ServiceError("ResourceNotFoundException", f"User pool {value} does not exist.")

    def get_op(body: dict[str, Any], call: CallContext) -> dict[str, object]:
        found = pool_id(body)
        return {
            "LogDeliveryConfiguration": {
                "UserPoolId": found,
                "LogConfigurations": moto.channels.log_configurations(found),
            }
        }

    def set_op(body: dict[str, Any], call: CallContext) -> dict[str, object]:
        found = pool_id(body)
        configs = body.get("LogConfigurations") or []
        if not isinstance(configs, list) or len(configs) > 2:
            raise ServiceError(
                "InvalidParameterException", "LogConfigurations must hold at most 2 items."
            )
        moto.channels.set_log_configurations(found, [c for c in configs if isinstance(c, dict)])
        return get_op(body, call)

    del directory  # the pools are found in moto's state, as DescribeUserPool finds them
    return {"GetLogDeliveryConfiguration": get_op, "SetLogDeliveryConfiguration": set_op}


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


class _DescribeUserPool:
    """DescribeUserPool: moto's answer plus the pool's configuration failures (moto has none)."""

    def __init__(self, channels: MotoChannels) -> None:
        self._channels = channels

    def before(self, body: dict[str, Any], call: CallContext) -> dict[str, object] | None:
        return None

    def after(self, body: dict[str, Any], payload: dict[str, Any], call: CallContext) -> None:
        pool = payload.get("UserPool")
        if isinstance(pool, dict):
            pool.update(self._channels.describe_extras(str(body.get("UserPoolId") or "")))


def moto_wrappers(courier: Courier, channels: MotoChannels | None = None) -> dict[str, MotoWrapper]:
    """Operation name -> the work around moto's answer (a :class:`~.wsgi.MotoWrapper`)."""
    directory = MotoDirectory()
    wrappers: dict[str, MotoWrapper] = {
        "AdminCreateUser": _AdminCreateUser(courier),
        "UpdateUserAttributes": UpdateAttributesWrapper(
            AttributeCodes(directory, courier), directory
        ),
    }
    if channels is not None:
        wrappers["DescribeUserPool"] = _DescribeUserPool(channels)
    return wrappers
