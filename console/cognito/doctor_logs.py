"""The doctor's look at Cognito's own delivery error logs (``delivery-logs``).

GetLogDeliveryConfiguration says where the pool sends its ``userNotification``
errors; FilterLogEvents reads the last 24 hours of that CloudWatch Logs group.
An event names its user in ``message.userName`` (the sandbox does; *which
field names the user in real events is not published*): events for this
user are shown, and make the check ``blocking`` unless this console's
history has an attempt after the latest of them (then ``warn``: an earlier
attempt failed, the last may not have); events that name no user are
counted for the pool.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from console.cognito.doctor_context import DoctorContext, quote, unknown_from
from console.cognito.doctor_model import CheckResult, CheckStatus

__all__ = ["check_delivery_logs"]

WINDOW_MS = 24 * 3600 * 1000
MAX_EVENTS = 500
"""Read at most this many events (a few pages): enough to show the latest errors."""
_SHOWN = 5


def _log_group(config: dict[str, Any]) -> str | None:
    for entry in config.get("LogConfigurations") or []:
        if not isinstance(entry, dict) or entry.get("EventSource") != "userNotification":
            continue
        arn = str((entry.get("CloudWatchLogsConfiguration") or {}).get("LogGroupArn") or "")
        if ":log-group:" in arn:
            return arn.split(":log-group:", 1)[1].removesuffix(":*")
    return None


def _event_user(message: str) -> tuple[str | None, str]:
    """(the user the event names, if any; one line of what failed)."""
    try:
        event = json.loads(message)
    except ValueError:
        return None, " ".join(message.split())[:200]
    if not isinstance(event, dict):
        return None, " ".join(message.split())[:200]
    body = event.get("message")
    if isinstance(body, dict):
        name = body.get("userName") or body.get("username")
        details = body.get("details") or json.dumps(body)
        return (str(name) if name else None), " ".join(str(details).split())[:200]
    return None, " ".join(str(body).split())[:200]


_SKEW_MS = 2000
"""Cognito logs a delivery error a moment after the attempt that caused it started."""


def _attempted_since(ctx: DoctorContext, latest_error_ms: int) -> bool:
    """True when this console's history has an attempt after the user's latest logged error.

    Then that error belongs to an earlier attempt: shown, but not what stops
    the code now. Without history (or no attempt since), the latest error counts.
    """
    if ctx.history is None or ctx.username is None:
        return False
    last = ctx.history.attempts(ctx.user_pool_id, ctx.username).last_at
    if not last:
        return False
    try:
        started = datetime.fromisoformat(last.replace("Z", "+00:00"))
    except ValueError:
        return False
    return started.timestamp() * 1000 > latest_error_ms + _SKEW_MS


def _errors(count: int) -> str:
    return f"{count} delivery error{'s' if count != 1 else ''}"


def _filter(params: dict[str, Any]) -> Callable[[Any], Any]:
    def invoke(client: Any) -> Any:
        return client.filter_log_events(**params)

    return invoke


def check_delivery_logs(ctx: DoctorContext) -> CheckResult:
    """``delivery-logs``: the delivery errors Cognito logged in the last 24 hours."""
    title = "Cognito's delivery error log"
    pool_arg = f"--user-pool-id {quote(ctx.user_pool_id)} --region {quote(ctx.region)}"
    answer, failure = ctx.call(
        "cognito-idp",
        "GetLogDeliveryConfiguration",
        lambda c: c.get_log_delivery_configuration(UserPoolId=ctx.user_pool_id),
    )
    if failure is not None:
        return unknown_from("delivery-logs", title, failure)
    group = _log_group(answer.get("LogDeliveryConfiguration") or {})
    if group is None:
        return CheckResult(
            "delivery-logs",
            title,
            CheckStatus.WARN,
            "the pool sends no userNotification logs: Cognito's delivery errors go nowhere",
            f"aws cognito-idp set-log-delivery-configuration {pool_arg} --log-configurations "
            "'LogLevel=ERROR,EventSource=userNotification,CloudWatchLogsConfiguration="
            "{LogGroupArn=LOG_GROUP_ARN}'",
        )
    start = int(time.time() * 1000) - WINDOW_MS
    events: list[dict[str, Any]] = []
    token: str | None = None
    while len(events) < MAX_EVENTS:
        params: dict[str, Any] = {"logGroupName": group, "startTime": start}
        if token:
            params["nextToken"] = token
        page, failure = ctx.call("logs", "FilterLogEvents", _filter(params))
        if failure is not None:
            return unknown_from("delivery-logs", title, failure)
        events.extend(page.get("events") or [])
        token = page.get("nextToken")
        if not token:
            break
    mine: list[str] = []
    latest = 0
    anonymous = 0
    for event in events:
        name, what = _event_user(str(event.get("message") or ""))
        stamp_ms = int(event.get("timestamp") or 0)
        stamp = datetime.fromtimestamp(stamp_ms / 1000, UTC)
        line = f"{stamp:%Y-%m-%d %H:%M:%S} UTC: {what}"
        if ctx.username is not None and name == ctx.username:
            mine.append(line)
            latest = max(latest, stamp_ms)
        elif name is None or ctx.username is None:
            anonymous += 1
            if ctx.username is None:
                mine.append(f"{name or 'a user'}: {line}" if name else line)
    command = (
        f"aws logs filter-log-events --log-group-name {quote(group)} --start-time {start} "
        f"--region {quote(ctx.region)}"
    )
    if ctx.username is None:
        if not events:
            evidence = f"no errors in 24 h in {group}"
            return CheckResult("delivery-logs", title, CheckStatus.OK, evidence)
        return CheckResult(
            "delivery-logs",
            title,
            CheckStatus.WARN,
            f"{_errors(len(events))} in 24 h in {group}",
            f"read them: {command}",
            details=tuple(mine[-_SHOWN:]),
        )
    if mine:
        evidence = (
            f"{_errors(len(mine))} for {ctx.username} in 24 h; latest: "
            f"{mine[-1].partition(': ')[2]}"
        )
        if _attempted_since(ctx, latest):
            return CheckResult(
                "delivery-logs",
                title,
                CheckStatus.WARN,
                f"{evidence}; none since the last attempt",
                f"read them: {command}",
                details=tuple(mine[-_SHOWN:]),
            )
        return CheckResult(
            "delivery-logs",
            title,
            CheckStatus.BLOCKING,
            evidence,
            f"fix the cause the error names; read them all: {command}",
            details=tuple(mine[-_SHOWN:]),
        )
    if anonymous:
        return CheckResult(
            "delivery-logs",
            title,
            CheckStatus.WARN,
            f"none names {ctx.username}, but {_errors(anonymous)} in 24 h name no user",
            f"read them: {command}",
        )
    return CheckResult(
        "delivery-logs", title, CheckStatus.OK, f"no errors for {ctx.username} in 24 h in {group}"
    )
