"""A local Cognito-compatible endpoint for trying resends without AWS.

moto answers every cognito-idp call except ResendConfirmationCode; the
sandbox answers that one itself, from moto's state, the way Cognito does, and
keeps an outbox of what it "sent". Start one with :func:`start_sandbox`, or
``cognito-console sandbox`` from the shell. Importing this package is cheap:
moto and werkzeug load only when a sandbox starts.
"""

from console.sandbox.injected_faults import FAULT_KINDS, Fault
from console.sandbox.server import Sandbox, SandboxClient, SandboxInfo, start_sandbox
from console.sandbox.trigger import TriggerSpecError

__all__ = [
    "FAULT_KINDS",
    "Fault",
    "Sandbox",
    "SandboxClient",
    "SandboxInfo",
    "TriggerSpecError",
    "start_sandbox",
]
