"""The sandbox's CustomMessage trigger: the admin's handler, run as Cognito runs the Lambda.

``--custom-message-trigger PATH:EXPORT`` names a ``.py`` function or a
``.js``/``.mjs``/``.cjs`` export. Every call runs in a child process
(:mod:`console.triggers.child`): in the handler's folder, with Lambda's
environment, killed at the time limit, the file loaded afresh each time (an
edit needs no restart). Failures are Cognito's (:mod:`console.triggers.answer`,
:mod:`console.triggers.invocation`); every invocation is recorded and served
at ``GET /_sandbox/invocations``.
"""

from __future__ import annotations

from typing import Any

from console.sandbox.faults import ServiceError
from console.triggers.answer import Message
from console.triggers.child import check_loads
from console.triggers.events import CODE_PARAMETER
from console.triggers.invocation import DEFAULT_TIMEOUT_S, Invocation, InvocationLog, invoke
from console.triggers.spec import TriggerSpec, TriggerSpecError, parse_spec

__all__ = [
    "CODE_PARAMETER",
    "DEFAULT_TIMEOUT_S",
    "Message",
    "TriggerRunner",
    "TriggerSpecError",
    "render",
]


class TriggerRunner:
    """Runs one CustomMessage handler per code sent, and keeps the record of each call."""

    def __init__(
        self,
        spec: TriggerSpec,
        *,
        timeout_s: float = DEFAULT_TIMEOUT_S,
        log: InvocationLog | None = None,
    ) -> None:
        if timeout_s <= 0:
            raise ValueError("the trigger timeout must be > 0 seconds")
        self._spec = spec
        self._timeout_s = timeout_s
        self.log = log if log is not None else InvocationLog()

    @property
    def spec(self) -> TriggerSpec:
        """The handler this runner calls."""
        return self._spec

    @property
    def timeout_s(self) -> float:
        """How long one attempt may run before it is killed and retried."""
        return self._timeout_s

    @classmethod
    def from_spec(
        cls,
        spec: str,
        *,
        timeout_s: float = DEFAULT_TIMEOUT_S,
        python: str | None = None,
        env_file: str | None = None,
        region: str = "us-east-1",
    ) -> TriggerRunner:
        """Check ``PATH:EXPORT``, its runtime, and that it loads (TriggerSpecError, one line)."""
        parsed = parse_spec(spec, python=python, env_file=env_file)
        check_loads(parsed, region)
        return cls(parsed, timeout_s=timeout_s)

    def run(self, event: dict[str, Any], *, medium: str) -> tuple[Message, Invocation]:
        """Invoke the handler for a message by *medium*; ServiceError as Cognito answers.

        The invocation is recorded whatever its outcome.
        """
        record, message = invoke(self._spec, event, medium=medium, timeout_s=self._timeout_s)
        self.log.add(record)
        from console.sandbox.lambda_logs import write_invocation_logs

        write_invocation_logs(record, str(event.get("region", "us-east-1")))
        if message is None:
            raise ServiceError(
                record.error_code or "UnexpectedLambdaException", record.error_message or ""
            )
        return message, record


def render(template: str, code: str) -> str:
    """A message with the code placeholder replaced by the code."""
    return template.replace(CODE_PARAMETER, code)
