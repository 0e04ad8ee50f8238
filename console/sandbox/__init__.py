"""A local Cognito-compatible endpoint for trying resends without AWS.

moto is the store and engine; the sandbox answers ResendConfirmationCode,
SignUp, ConfirmSignUp, ForgotPassword and ConfirmForgotPassword itself, from
moto's state, the way Cognito does,
keeps every code it sends (so only the right one confirms) and an outbox of
what it "sent", and answers browsers' CORS preflights. Start one with
:func:`start_sandbox`, or ``cognito-console sandbox`` from the shell. What
differs from Cognito: docs/sandbox.md.

- :mod:`~console.sandbox.server`: starting, describing and stopping a sandbox;
- :mod:`~console.sandbox.wsgi`, :mod:`~console.sandbox.http_layer`,
  :mod:`~console.sandbox.shapes`: routing, CORS, Cognito-shaped answers, body checks;
- :mod:`~console.sandbox.resend`: ResendConfirmationCode as Cognito answers it;
- :mod:`~console.sandbox.signup`, :mod:`~console.sandbox.operations`: SignUp and
  ConfirmSignUp; :mod:`~console.sandbox.recovery`: ForgotPassword and
  ConfirmForgotPassword; :mod:`~console.sandbox.invitation`: AdminCreateUser's
  invitation; :mod:`~console.sandbox.codes`: the codes sent, their lifetimes;
- :mod:`~console.sandbox.delivering`: where a code goes, masking, the message;
- :mod:`~console.sandbox.constraints`, :mod:`~console.sandbox.passwords`: the
  model's bounds and the pool's password policy;
- :mod:`~console.sandbox.outbox` and :mod:`~console.sandbox.delivery`: what it "sent";
- :mod:`~console.sandbox.trigger`: running the CustomMessage trigger
  (the runner itself is :mod:`console.triggers`);
- :mod:`~console.sandbox.seed`, :mod:`~console.sandbox.moto_state`,
  :mod:`~console.sandbox.moto_writes`: the demo pool and users in moto;
  :mod:`~console.sandbox.state_file`: ``--state-dir``, the pool kept across restarts;
- :mod:`~console.sandbox.channels`, :mod:`~console.sandbox.channel_moto`,
  :mod:`~console.sandbox.channel_ops`, :mod:`~console.sandbox.aws_actions`: the
  delivery channels behind Cognito (SES, SNS, the default sender, the logs),
  their scenarios and the SES v2 / SNS / Logs operations served beside Cognito;
  :mod:`~console.sandbox.control_routes`: ``/_sandbox/faults`` and ``/_sandbox/scenario``;
- :mod:`~console.sandbox.limits`, :mod:`~console.sandbox.request_checks`,
  :mod:`~console.sandbox.denials`, :mod:`~console.sandbox.injected_faults`: rules and faults.

Stands apart from the console: it imports no UI. Importing this package is
cheap: each name loads its module on first use, and moto and werkzeug load
only when a sandbox starts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from console.lazy import load_export

if TYPE_CHECKING:
    from console.sandbox.delivery import Delivery, DeliveryFormatError
    from console.sandbox.info import SandboxClient, SandboxInfo
    from console.sandbox.injected_faults import FAULT_KINDS, Fault
    from console.sandbox.server import Sandbox, start_sandbox

_HOMES = {
    "FAULT_KINDS": "injected_faults",
    "Delivery": "delivery",
    "DeliveryFormatError": "delivery",
    "Fault": "injected_faults",
    "Sandbox": "server",
    "SandboxClient": "info",
    "SandboxInfo": "info",
    "start_sandbox": "server",
}
"""Each public name and the submodule that defines it."""

__all__ = [
    "FAULT_KINDS",
    "Delivery",
    "DeliveryFormatError",
    "Fault",
    "Sandbox",
    "SandboxClient",
    "SandboxInfo",
    "start_sandbox",
]


def __getattr__(name: str) -> Any:
    """Load a public name from its submodule on first use (see :mod:`console.lazy`)."""
    return load_export(__name__, _HOMES, name, globals())


def __dir__() -> list[str]:
    """The public names too, loaded or not (what ``dir()`` and completion show)."""
    return sorted({*globals(), *_HOMES})
