"""The trigger's output in moto's CloudWatch Logs, where Lambda would have written it.

Each attempt of an invocation becomes a stream (``YYYY/MM/DD/[$LATEST]<id>``)
in the group ``/aws/lambda/<function>``, holding the lines Lambda writes:
START, the handler's output, END, REPORT. The console reads real pools'
trigger logs with ``logs:FilterLogEvents`` on that group; against the sandbox
the same code path reads these.

:class:`LogsLayer` routes CloudWatch Logs calls (``X-Amz-Target:
Logs_20140328.*``) to moto's logs service; every other request goes on to the
Cognito layer. A call signed with a denied test key (see
:mod:`console.sandbox.denials`) gets Logs' AccessDeniedException instead, so
the "missing permission" path can be tested.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterable
from typing import Any

from console.sandbox.denials import DENIED_ACCESS_KEY_PREFIX, access_key_id
from console.sandbox.http_layer import error_answer, relay_to_moto
from console.triggers.invocation import Invocation

__all__ = ["LOGS_TARGET_PREFIX", "LogsLayer", "write_invocation_logs"]

LOGS_TARGET_PREFIX = "Logs_20140328."
ACCOUNT_ID = "123456789012"
_lock = threading.Lock()

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def write_invocation_logs(record: Invocation, region: str) -> None:
    """Put each attempt's log lines into moto's CloudWatch Logs (group made on first use)."""
    from moto.logs.models import logs_backends

    backend = logs_backends[ACCOUNT_ID][region]
    group = f"/aws/lambda/{record.function_name}"
    with _lock:
        if group not in backend.groups:
            backend.create_log_group(group, {})
        for attempt in record.attempts:
            if not attempt.log_stream:
                continue
            backend.create_log_stream(group, attempt.log_stream)
            lines = attempt.log_lines()
            last = attempt.started_ms + max(int(attempt.duration_ms), len(lines))
            events = [
                # One millisecond apart at least, so the order survives sorting by time.
                {"timestamp": min(attempt.started_ms + index, last), "message": line}
                for index, line in enumerate(lines)
            ]
            backend.put_log_events(group, attempt.log_stream, events)


class LogsLayer:
    """CloudWatch Logs calls to moto's logs service; everything else to *inner*."""

    def __init__(self, inner: WSGIApp, moto_app: WSGIApp) -> None:
        self._inner = inner
        self._moto_app = moto_app

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        target = str(environ.get("HTTP_X_AMZ_TARGET") or "")
        if not target.startswith(LOGS_TARGET_PREFIX):
            return self._inner(environ, start_response)
        request_id = str(uuid.uuid4())
        operation = target[len(LOGS_TARGET_PREFIX) :]
        key, region = access_key_id(str(environ.get("HTTP_AUTHORIZATION") or ""))
        if key is not None and key.startswith(DENIED_ACCESS_KEY_PREFIX):
            message = (
                f"User: arn:aws:iam::{ACCOUNT_ID}:user/{key} is not authorized to perform: "
                f"logs:{operation} on resource: arn:aws:logs:{region or 'us-east-1'}:"
                f"{ACCOUNT_ID}:log-group:*"
            )
            return error_answer(start_response, 400, "AccessDeniedException", message, request_id)
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        body = environ["wsgi.input"].read(min(length, 1024 * 1024)) if length > 0 else b""
        return relay_to_moto(
            self._moto_app,
            environ,
            start_response,
            body=body,
            operation=operation,
            request_id=request_id,
        )
