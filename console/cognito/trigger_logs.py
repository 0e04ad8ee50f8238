"""A CustomMessage trigger's CloudWatch Logs around one attempt, for the attempt's detail.

The trigger is known from the pool facts (``LambdaConfig.CustomMessage``, an
ARN); Lambda writes to ``/aws/lambda/<function>``. One
``logs:FilterLogEvents`` call reads the lines in the attempt's time window. A
denial names the missing permission, as the lookups do; a group that does
not exist means the function never logged (never ran, or logs elsewhere).
Against the sandbox the same call reads what the sandbox wrote for its
trigger (:mod:`console.sandbox.lambda_logs`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from console.cognito.admin_client import AdminFailure, AdminGateway, AdminSettings
from console.text import plural

__all__ = ["MAX_LINES", "TriggerLogs", "fetch_trigger_logs", "function_name"]

MAX_LINES = 200
"""Lines read per attempt (one page of FilterLogEvents)."""


def function_name(arn: str) -> str | None:
    """``arn:aws:lambda:r:acct:function:NAME[:alias]`` -> ``NAME``; None if not a function ARN."""
    _, found, rest = arn.partition(":function:")
    name = rest.split(":", 1)[0]
    return name if found and name else None


@dataclass(frozen=True, slots=True)
class TriggerLogs:
    """The trigger's log lines in a window, or why they could not be read."""

    group: str
    lines: tuple[str, ...] = ()
    failure: AdminFailure | None = None
    note: str | None = None
    """e.g. the group does not exist, or more lines than were read."""

    def summary(self) -> list[str]:
        """The lines to show under the attempt (untrusted: show via visible())."""
        if self.failure is not None:
            return [f"trigger logs ({self.group}): {self.failure.message}"]
        head = f"trigger logs ({self.group}): {plural(len(self.lines), 'line')}"
        if self.note:
            head += f"; {self.note}"
        return [head, *(f"  {line}" for line in self.lines)]


def fetch_trigger_logs(
    gateway: AdminGateway,
    settings: AdminSettings,
    function_arn: str,
    start_ms: int,
    end_ms: int,
) -> TriggerLogs | None:
    """The trigger's log lines from *start_ms* to *end_ms* (None: *function_arn* is no function)."""
    name = function_name(function_arn)
    if name is None:
        return None
    group = f"/aws/lambda/{name}"

    def invoke(client: Any) -> Any:
        return client.filter_log_events(
            logGroupName=group, startTime=start_ms, endTime=end_ms, limit=MAX_LINES
        )

    response, failure = gateway.call(settings, "FilterLogEvents", invoke, service="logs")
    if failure is not None:
        if failure.code == "ResourceNotFoundException":
            return TriggerLogs(group, note="no such log group: the function has not logged here")
        return TriggerLogs(group, failure=failure)
    events = response.get("events", []) if isinstance(response, dict) else []
    lines = tuple(
        str(event.get("message", "")).rstrip("\n") for event in events if isinstance(event, dict)
    )
    note = "more lines in the window than were read" if response.get("nextToken") else None
    return TriggerLogs(group, lines, note=note)
