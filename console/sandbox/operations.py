"""The table of Cognito operations the sandbox answers itself (beside ResendConfirmationCode).

Everything not listed here (and not ResendConfirmationCode, which has its own
path for faults and latency) is answered by moto. docs/sandbox.md says why
each of these is ours.
"""

from __future__ import annotations

from console.sandbox.delivering import Courier
from console.sandbox.moto_writes import MotoUserWriter
from console.sandbox.resend import Directory
from console.sandbox.signup import SignUpService
from console.sandbox.wsgi import CallContext, Operation

__all__ = ["own_operations"]


def own_operations(directory: Directory, courier: Courier) -> dict[str, Operation]:
    """Operation name -> handler, for :class:`~console.sandbox.wsgi.SandboxApp`."""
    sign_up = SignUpService(directory, MotoUserWriter(), courier)

    def sign_up_op(body: dict[str, object], call: CallContext) -> dict[str, object]:
        return sign_up.sign_up(body, request_id=call.request_id, user_agent=call.user_agent)

    def confirm_op(body: dict[str, object], call: CallContext) -> dict[str, object]:
        return sign_up.confirm_sign_up(body, request_id=call.request_id, user_agent=call.user_agent)

    return {"SignUp": sign_up_op, "ConfirmSignUp": confirm_op}
