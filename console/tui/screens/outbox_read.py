"""Reading a sandbox's outbox and trigger invocations over HTTP, for the outbox screen.

Any endpoint that serves ``GET /_sandbox/outbox`` will do: the embedded
sandbox, a standalone ``cognito-console sandbox``, a colleague's. Its
``/_sandbox/invocations`` is read too when it has one (an older sandbox does
not: the screen then shows messages without invocations). Both answers are
untrusted: deliveries are read into
:class:`~console.sandbox.delivery.Delivery` (a malformed entry is left out and
named), invocations into :class:`InvocationView`, whose fields fall back to
empty values when the JSON has the wrong shape.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Any

from console.sandbox import Delivery, DeliveryFormatError
from console.text import one_line

__all__ = [
    "InvocationView",
    "OutboxError",
    "OutboxRead",
    "OutboxRow",
    "fetch_outbox",
    "post_repeat",
]

MAX_ANSWER_BYTES = 32 * 1024 * 1024  # 20,000-character bodies; a thousand of them fit
TIMEOUT_S = 5.0


class OutboxError(Exception):
    """The outbox could not be read; ``str()`` is one visible line."""


def _text(data: dict[str, Any], key: str) -> str:
    value = data.get(key)
    return value if isinstance(value, str) else ""


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


@dataclass(frozen=True)
class InvocationView:
    """One trigger invocation as the screen shows it (every text untrusted)."""

    id: str
    time: str
    trigger_source: str
    user: str
    medium: str
    outcome: str
    error_code: str
    error_message: str
    note: str
    duration_ms: float | None
    attempts: list[tuple[str, str, float | None]] = field(default_factory=list)
    """(number, outcome, duration in ms) per attempt."""
    logs: list[str] = field(default_factory=list)
    traceback: str = ""
    returned: dict[str, str] = field(default_factory=dict)
    """The messages the handler returned (``emailMessage``...), whether Cognito took them or not."""

    @classmethod
    def from_json(cls, item: object) -> InvocationView | None:
        """Read one record; None when it is not an object with an id."""
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            return None
        found_event, found_attempts, found_logs = (
            item.get("event"),
            item.get("attempts"),
            item.get("logs"),
        )
        event: dict[str, Any] = found_event if isinstance(found_event, dict) else {}
        attempts: list[Any] = found_attempts if isinstance(found_attempts, list) else []
        logs: list[Any] = found_logs if isinstance(found_logs, list) else []
        return cls(
            id=_text(item, "id"),
            time=_text(item, "time"),
            trigger_source=_text(item, "trigger_source"),
            user=_text(event, "userName"),
            medium=_text(item, "medium"),
            outcome=_text(item, "outcome"),
            error_code=_text(item, "error_code"),
            error_message=_text(item, "error_message"),
            note=_text(item, "note"),
            duration_ms=_number(item.get("duration_ms")),
            attempts=[
                (str(a.get("number", "?")), _text(a, "outcome"), _number(a.get("duration_ms")))
                for a in attempts
                if isinstance(a, dict)
            ],
            logs=[line for line in logs if isinstance(line, str)],
            traceback=_text(item, "traceback"),
            returned=_returned(item.get("response")),
        )


def _returned(response: object) -> dict[str, str]:
    """``response.result.response``'s string messages, from an untrusted record."""
    result = response.get("result") if isinstance(response, dict) else None
    answer = result.get("response") if isinstance(result, dict) else None
    if not isinstance(answer, dict):
        return {}
    keys = ("emailSubject", "emailMessage", "smsMessage")
    return {key: answer[key] for key in keys if isinstance(answer.get(key), str)}


@dataclass(frozen=True)
class OutboxRow:
    """One line of the list: a delivery (with its invocation, if any) or a failed invocation."""

    time: str
    delivery: Delivery | None
    invocation: InvocationView | None


@dataclass(frozen=True)
class OutboxRead:
    """One read: the rows, newest first, and the entries left out."""

    rows: list[OutboxRow]
    rejected: list[str]
    """One line per malformed entry, e.g. ``entry 3: "code" is missing`` (oldest is 1)."""
    invocations_served: bool = True
    """False when the endpoint has no ``/_sandbox/invocations``."""

    @property
    def deliveries(self) -> list[Delivery]:
        """The deliveries, newest first."""
        return [row.delivery for row in self.rows if row.delivery is not None]


def _opener() -> urllib.request.OpenerDirector:
    # No proxies: the sandbox is local, and an HTTP_PROXY meant for AWS must not see it.
    return urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _get(url: str, timeout: float) -> Any:
    try:
        with _opener().open(url, timeout=timeout) as answer:
            raw = answer.read(MAX_ANSWER_BYTES + 1)
    except urllib.error.HTTPError as exc:
        raise OutboxError(one_line(f"sandbox answered HTTP {exc.code} at {url}", 300)) from None
    except urllib.error.URLError as exc:
        reason = exc.reason if isinstance(exc.reason, str) else str(exc.reason)
        raise OutboxError(one_line(f"sandbox not reachable at {url}: {reason}", 300)) from None
    except (OSError, ValueError) as exc:  # timeouts, resets, a malformed URL
        raise OutboxError(one_line(f"sandbox not reachable at {url}: {exc}", 300)) from None
    if len(raw) > MAX_ANSWER_BYTES:
        raise OutboxError(f"the answer at {one_line(url)} is larger than we read")
    try:
        return json.loads(raw)
    except ValueError:
        raise OutboxError(one_line(f"{url} did not answer with JSON: is it a sandbox?")) from None


def _base(endpoint_url: str) -> str:
    base = endpoint_url.rstrip("/")
    if not base.startswith(("http://", "https://")):
        raise OutboxError(one_line(f"not a sandbox URL: {endpoint_url}", 200))
    return base


def fetch_outbox(endpoint_url: str, *, timeout: float = TIMEOUT_S) -> OutboxRead:
    """The deliveries and failed invocations, newest first. Raises :class:`OutboxError`."""
    base = _base(endpoint_url)
    url = f"{base}/_sandbox/outbox"
    payload = _get(url, timeout)
    deliveries = payload.get("deliveries") if isinstance(payload, dict) else None
    if not isinstance(deliveries, list):
        raise OutboxError(one_line(f"{url} answered without a deliveries list", 300))
    invocations: dict[str, InvocationView] = {}
    served = True
    try:
        answer = _get(f"{base}/_sandbox/invocations", timeout)
        records = answer.get("invocations") if isinstance(answer, dict) else None
        for item in records if isinstance(records, list) else []:
            view = InvocationView.from_json(item)
            if view is not None:
                invocations[view.id] = view
    except OutboxError:
        served = False  # an older sandbox: messages without their invocations
    rows: list[OutboxRow] = []
    rejected: list[str] = []
    used: set[str] = set()
    for number, item in enumerate(deliveries, start=1):
        try:
            delivery = Delivery.from_json(item)
        except DeliveryFormatError as exc:
            rejected.append(one_line(f"entry {number}: {exc}", 200))
            continue
        invocation = invocations.get(delivery.invocation_id or "")
        if invocation is not None:
            used.add(invocation.id)
        rows.append(OutboxRow(delivery.time, delivery, invocation))
    rows += [
        OutboxRow(view.time, None, view)
        for view in invocations.values()
        if view.id not in used and view.outcome != "ok"
    ]
    rows.sort(key=lambda row: row.time, reverse=True)
    return OutboxRead(rows, rejected, served)


def post_repeat(endpoint_url: str, *, timeout: float = 30.0) -> str:
    """``POST /_sandbox/repeat``: one line saying what was sent again, or why not."""
    url = f"{_base(endpoint_url)}/_sandbox/repeat"
    request = urllib.request.Request(url, data=b"{}", method="POST")  # noqa: S310 - checked
    try:
        with _opener().open(request, timeout=timeout) as answer:
            payload = json.loads(answer.read(1024 * 1024))
    except urllib.error.HTTPError as exc:
        try:
            error = json.loads(exc.read(64 * 1024))
        except ValueError:
            error = {}
        message = error.get("message") if isinstance(error, dict) else None
        code = error.get("__type") if isinstance(error, dict) else None
        return one_line(f"repeat: {code or exc.code}: {message or 'refused'}", 300)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        return one_line(f"repeat: sandbox not reachable at {url}: {exc}", 300)
    if not isinstance(payload, dict):
        return "repeat: the sandbox answered something else"
    return one_line(
        f"sent again: {payload.get('trigger_source', '?')} to {payload.get('user', '?')}", 300
    )
