"""The trigger's output in moto's CloudWatch Logs, where Lambda would have written it.

Each attempt of an invocation becomes a stream (``YYYY/MM/DD/[$LATEST]<id>``)
in the group ``/aws/lambda/<function>``, holding the lines Lambda writes:
START, the handler's output, END, REPORT. The console reads real pools'
trigger logs with ``logs:FilterLogEvents`` on that group; against the sandbox
the same code path reads these.

The sandbox serves the console's reads of them (``Logs_20140328.*`` targets)
through :class:`~console.sandbox.channel_ops.ChannelService`, from the same
moto logs backend these lines are written to, behind
:func:`~console.sandbox.denials.with_denials`: a denied test key, or a
scenario denying ``logs:FilterLogEvents``, gets Logs' AccessDeniedException,
so the "missing permission" path can be tested.
"""

from __future__ import annotations

import threading

from console.triggers.invocation import Invocation

__all__ = ["write_invocation_logs"]

ACCOUNT_ID = "123456789012"
_lock = threading.Lock()


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
