"""Invoking a trigger as Cognito does (retries on timeout) and recording every call.

Cognito waits 5 seconds for a CustomMessage Lambda; a call that takes longer
is retried, 3 attempts in all, and then the operation fails with
``UnexpectedLambdaException`` "CustomMessage invocation failed due to error
Socket timeout while invoking Lambda function." (the text public reports
quote for every trigger kind, e.g. amazon-cognito-identity-dart-2#204). An
error or a bad answer is not retried.

An :class:`Invocation` keeps the exact event, the raw answer, each attempt
(duration, stdout, stderr, logging output, traceback), the outcome and the
error; :class:`InvocationLog` keeps the last 500.
"""

from __future__ import annotations

import copy
import threading
import time
import uuid
from collections import deque
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

from console.triggers.answer import Message, TriggerFailure, read_answer
from console.triggers.child import ChildRun, run_child
from console.triggers.spec import TriggerSpec

__all__ = [
    "ATTEMPTS",
    "DEFAULT_TIMEOUT_S",
    "KEEP",
    "TIMEOUT_MESSAGE",
    "Attempt",
    "Invocation",
    "InvocationLog",
    "invoke",
]

DEFAULT_TIMEOUT_S = 5.0
"""How long Cognito waits for a CustomMessage Lambda."""
ATTEMPTS = 3
"""Calls in all when each one times out."""
KEEP = 500
"""Invocations an :class:`InvocationLog` keeps."""
TIMEOUT_MESSAGE = (
    "CustomMessage invocation failed due to error Socket timeout while invoking Lambda function."
)


def _iso(seconds: float) -> str:
    stamp = datetime.fromtimestamp(seconds, UTC).isoformat(timespec="milliseconds")
    return stamp.replace("+00:00", "Z")


@dataclass(frozen=True, slots=True)
class Attempt:
    """One call of the handler."""

    number: int
    request_id: str
    time: str
    duration_ms: float
    outcome: str
    """``answered``, ``error`` (the handler failed), ``timed out`` or ``no answer``."""
    stdout: str
    stderr: str
    """Includes ``logging`` (Python) and ``console.warn``/``error`` (Node.js) lines."""
    dropped_bytes: int
    exit_code: int | None
    error_type: str | None = None
    error_message: str | None = None
    traceback: str | None = None
    log_stream: str = ""
    """The CloudWatch Logs stream Lambda would write this call to."""
    started_ms: int = 0
    """Start, milliseconds since the epoch (the log events' timestamps)."""

    def log_lines(self) -> list[str]:
        """The attempt as Lambda writes it to CloudWatch Logs: START, output, END, REPORT."""
        lines = [f"START RequestId: {self.request_id} Version: $LATEST"]
        lines += _output_lines(self.stdout) + _output_lines(self.stderr)
        if self.dropped_bytes:
            lines.append(f"[{self.dropped_bytes} bytes of output dropped]")
        if self.outcome == "timed out":
            lines.append(f"{_iso(time.time())} {self.request_id} Task timed out (killed)")
        lines.append(f"END RequestId: {self.request_id}")
        lines.append(
            f"REPORT RequestId: {self.request_id}\tDuration: {self.duration_ms:.2f} ms\t"
            "Memory Size: 128 MB"
        )
        return lines


@dataclass(slots=True)
class Invocation:
    """One trigger invocation as Cognito made it: every attempt and what came of it."""

    id: str
    time: str
    trigger_source: str
    function_name: str
    handler: str
    medium: str
    event: dict[str, Any]
    attempts: list[Attempt] = field(default_factory=list)
    response: dict[str, Any] | None = None
    """The last attempt's raw answer: ``{"result": ...}`` or Lambda's error payload."""
    outcome: str = "pending"
    """``ok`` or ``failed``."""
    error_code: str | None = None
    error_message: str | None = None
    note: str | None = None
    message: dict[str, str | None] | None = None
    """The messages used (placeholders in place), when the trigger succeeded."""
    delivery_time: str | None = None

    @property
    def duration_ms(self) -> float:
        """All attempts together."""
        return sum(a.duration_ms for a in self.attempts)

    @property
    def wrote_message(self) -> bool:
        """Whether the trigger's answer replaced part of the message for the medium sent."""
        if self.message is None:
            return False
        keys = ("emailMessage", "emailSubject") if self.medium == "EMAIL" else ("smsMessage",)
        return any(self.message.get(key) is not None for key in keys)

    @property
    def traceback(self) -> str | None:
        """The last attempt's traceback, if it failed with one."""
        return self.attempts[-1].traceback if self.attempts else None

    def to_json(self) -> dict[str, Any]:
        """The record as served at ``GET /_sandbox/invocations``."""
        data = asdict(self)
        data["duration_ms"] = round(self.duration_ms, 3)
        data["traceback"] = self.traceback
        data["wrote_message"] = self.wrote_message
        data["logs"] = [line for attempt in self.attempts for line in attempt.log_lines()]
        return data


def _attempt(number: int, run: ChildRun) -> Attempt:
    payload = run.payload or {}
    error_type = payload.get("errorType") if isinstance(payload.get("errorType"), str) else None
    trace = payload.get("stackTrace", payload.get("trace"))
    if run.timed_out:
        outcome = "timed out"
    elif run.payload is None:
        outcome = "no answer"
    elif error_type is not None:
        outcome = "error"
    else:
        outcome = "answered"
    return Attempt(
        number=number,
        request_id=run.request_id,
        time=_iso(run.started),
        duration_ms=round(run.duration_ms, 3),
        outcome=outcome,
        stdout=run.stdout,
        stderr=run.stderr,
        dropped_bytes=run.dropped_bytes,
        exit_code=run.exit_code,
        error_type=error_type,
        error_message=str(payload["errorMessage"]) if "errorMessage" in payload else None,
        traceback=_traceback(trace, error_type, payload.get("errorMessage")),
        log_stream=run.log_stream,
        started_ms=int(run.started * 1000),
    )


def _traceback(trace: object, error_type: str | None, message: object) -> str | None:
    """Lambda's ``stackTrace`` (Python: frames) or ``trace`` (Node.js: the stack) as text."""
    if not isinstance(trace, list) or not trace:
        return None
    text = "".join(line if line.endswith("\n") else line + "\n" for line in map(str, trace))
    if text.lstrip().startswith("File "):
        return f"Traceback (most recent call last):\n{text}{error_type}: {message}\n"
    return text


def invoke(
    spec: TriggerSpec,
    event: dict[str, Any],
    *,
    medium: str,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    attempts: int = ATTEMPTS,
) -> tuple[Invocation, Message | None]:
    """Call the handler on *event* as Cognito would; the record and the usable messages.

    The messages are None when the invocation failed: ``record.error_code``
    and ``record.error_message`` then say what Cognito answers.
    """
    record = Invocation(
        id=str(uuid.uuid4()),
        time=_iso(time.time()),
        trigger_source=str(event.get("triggerSource", "")),
        function_name=spec.function_name,
        handler=spec.describe(),
        medium=medium,
        event=copy.deepcopy(event),
    )
    region = str(event.get("region", "us-east-1"))
    run: ChildRun | None = None
    for number in range(1, attempts + 1):
        run = run_child(spec, copy.deepcopy(event), region=region, timeout_s=timeout_s)
        record.attempts.append(_attempt(number, run))
        if not run.timed_out:
            break
    assert run is not None
    record.response = run.payload
    try:
        if run.timed_out:
            raise TriggerFailure("UnexpectedLambdaException", TIMEOUT_MESSAGE)
        if run.payload is None:
            raise TriggerFailure(
                "UserLambdaValidationException",
                f"CustomMessage failed with error RequestId: {run.request_id} Error: "
                f"Runtime exited with error: exit status {run.exit_code}.",
            )
        message = read_answer(run.payload, medium=medium, trigger_source=record.trigger_source)
    except TriggerFailure as failure:
        record.outcome = "failed"
        record.error_code, record.error_message = failure.code, failure.message
        return record, None
    record.outcome = "ok"
    record.note = message.note
    record.message = {
        "smsMessage": message.sms_message,
        "emailMessage": message.email_message,
        "emailSubject": message.email_subject,
    }
    return record, message


class InvocationLog:
    """The last :data:`KEEP` invocations, oldest first; thread-safe."""

    def __init__(self, keep: int = KEEP) -> None:
        self._lock = threading.Lock()
        self._items: deque[Invocation] = deque(maxlen=keep)

    def add(self, record: Invocation) -> None:
        """Keep *record* (the oldest goes when full)."""
        with self._lock:
            self._items.append(record)

    def to_json(self) -> list[dict[str, Any]]:
        """Every kept invocation, oldest first, as JSON-ready dicts."""
        with self._lock:
            items = list(self._items)
        return [item.to_json() for item in items]


def _output_lines(text: str) -> list[str]:
    """The child's output as Lambda splits it into log lines: at ``\n`` only.

    Not ``str.splitlines``, which also splits at CR, U+2028 and other
    separators: a handler's ``"a\rb"`` is one line that holds a CR (shown
    escaped), not two lines the handler never printed.
    """
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines
