"""Faults the sandbox can put into its ResendConfirmationCode answers, for tests.

A test arms a :class:`Fault` (``Sandbox.set_fault``, ``start_sandbox(fault=...)``
or ``POST /_sandbox/faults``); the next *count* resend answers (or every one,
until cleared) are then that fault instead of the service's answer. The
request body is still recorded in ``received`` first, so a test can prove
what the client sent, and the sandbox's latency still applies.

Kinds:

- ``error``: a Cognito-shaped error with a chosen code and message (status 400
  unless given): hostile server messages, unmodeled codes.
- ``internal``: 500 ``InternalErrorException``.
- ``throttle``: 400 ``TooManyRequestsException`` "Rate exceeded".
- ``html``: an HTML error page, as a proxy or web server sends (status 502
  unless given).
- ``empty``: 200 with an empty body.
- ``not-json``: 200 with a body that is not JSON.
- ``drop``: 200 headers announcing a body, part of it, then the connection is
  shut down (botocore reads the cut-off body as a 200 without a Cognito answer).
- ``reset``: the connection is shut down before any byte of the answer.
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["FAULT_KINDS", "Fault", "FaultSwitch", "fault_from_json", "serve_fault"]

FAULT_KINDS: tuple[str, ...] = (
    "error",
    "internal",
    "throttle",
    "html",
    "empty",
    "not-json",
    "drop",
    "reset",
)

_DEFAULT_STATUS = {
    "error": 400,
    "internal": 500,
    "throttle": 400,
    "html": 502,
    "empty": 200,
    "not-json": 200,
    "drop": 200,
    "reset": 200,
}

HTML_PAGE = (
    b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    b"<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n"
    b"</body>\r\n</html>\r\n"
)
NOT_JSON_BODY = b"OK: this is not JSON <br>"
DROPPED_BODY = b'{"CodeDeliveryDetails": {"Destination": "a***@e'
"""What a ``drop`` sends before shutting the connection (its Content-Length says 500)."""


@dataclass(frozen=True, slots=True)
class Fault:
    """One kind of bad answer; ``code``/``message`` only for ``error``."""

    kind: str
    code: str = ""
    message: str = ""
    status: int | None = None

    def __post_init__(self) -> None:
        if self.kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {self.kind!r}; use one of {FAULT_KINDS}")
        if self.kind == "error" and not self.code:
            raise ValueError("an 'error' fault needs a code")
        if self.status is not None and not 100 <= self.status <= 599:
            raise ValueError(f"not an HTTP status: {self.status}")

    @property
    def http_status(self) -> int:
        """The status the answer carries."""
        return self.status if self.status is not None else _DEFAULT_STATUS[self.kind]

    def to_json(self) -> dict[str, object]:
        """The fault as the ``/_sandbox/faults`` route shows it."""
        return {
            "kind": self.kind,
            "code": self.code,
            "message": self.message,
            "status": self.http_status,
        }


class FaultSwitch:
    """The armed fault and how many answers it still applies to (None: all). Thread-safe."""

    def __init__(self, fault: Fault | None = None, count: int | None = None) -> None:
        self._lock = threading.Lock()
        self._fault: Fault | None = None
        self._remaining: int | None = None
        self.set(fault, count)

    def set(self, fault: Fault | None, count: int | None = None) -> None:
        """Arm *fault* for the next *count* answers (None: until cleared); None clears."""
        if count is not None and count < 1:
            raise ValueError("count must be >= 1 (or None for every answer)")
        with self._lock:
            self._fault = fault
            self._remaining = count if fault is not None else None

    def take(self) -> Fault | None:
        """The fault for this answer, if one is armed; uses up one of its count."""
        with self._lock:
            fault = self._fault
            if fault is None:
                return None
            if self._remaining is not None:
                self._remaining -= 1
                if self._remaining <= 0:
                    self._fault, self._remaining = None, None
            return fault

    def state(self) -> dict[str, object]:
        """What is armed: ``{"fault": {...} | None, "remaining": N | None}``."""
        with self._lock:
            return {
                "fault": None if self._fault is None else self._fault.to_json(),
                "remaining": self._remaining,
            }


def fault_from_json(payload: object) -> tuple[Fault | None, int | None]:
    """The fault and count a ``POST /_sandbox/faults`` body asks for; ValueError if bad.

    ``{"kind": "error", "code": "X", "message": "...", "status": 400, "count": 2}``;
    ``{"kind": null}`` (or ``{}``) clears.
    """
    if not isinstance(payload, Mapping):
        raise ValueError("expected a JSON object")
    unknown = set(payload) - {"kind", "code", "message", "status", "count"}
    if unknown:
        raise ValueError(f"unknown keys: {', '.join(sorted(unknown))}")
    count = payload.get("count")
    if count is not None and (isinstance(count, bool) or not isinstance(count, int)):
        raise ValueError("count must be a whole number or null")
    kind = payload.get("kind")
    if kind is None:
        return None, None
    status = payload.get("status")
    if status is not None and (isinstance(status, bool) or not isinstance(status, int)):
        raise ValueError("status must be a whole number or null")
    code, message = payload.get("code", ""), payload.get("message", "")
    if not isinstance(kind, str) or not isinstance(code, str) or not isinstance(message, str):
        raise ValueError("kind, code and message must be strings")
    return Fault(kind, code, message, status), count


def _error_body(fault: Fault) -> bytes:
    code, message = {
        "internal": ("InternalErrorException", "Internal server error."),
        "throttle": ("TooManyRequestsException", "Rate exceeded"),
    }.get(fault.kind, (fault.code, fault.message))
    # ensure_ascii: a lone surrogate in a hostile message stays a \\ud800 escape.
    return json.dumps({"__type": code, "message": message}).encode("ascii")


def _shut(environ: Mapping[str, Any]) -> None:
    connection = environ.get("werkzeug.socket")
    if isinstance(connection, socket.socket):
        with contextlib.suppress(OSError):  # the client went away first
            connection.shutdown(socket.SHUT_RDWR)


def serve_fault(
    fault: Fault,
    environ: Mapping[str, Any],
    start_response: Callable[..., Any],
    request_id: str,
) -> Iterator[bytes]:
    """The WSGI answer for *fault* (a generator: ``drop`` acts after the first chunk)."""
    from werkzeug.http import HTTP_STATUS_CODES

    status = fault.http_status
    status_line = f"{status} {HTTP_STATUS_CODES.get(status, 'Unknown')}"
    json_type = ("Content-Type", "application/x-amz-json-1.1")
    if fault.kind in ("error", "internal", "throttle"):
        body = _error_body(fault)
        code = json.loads(body)["__type"]
        # Header values must be latin-1: a hostile code stays in the body only.
        error_type = (
            [("x-amzn-ErrorType", f"{code}:")] if code.isascii() and code.isprintable() else []
        )
        headers = [json_type, ("x-amzn-RequestId", request_id), *error_type]
    elif fault.kind == "html":
        body, headers = HTML_PAGE, [("Content-Type", "text/html")]
    elif fault.kind == "empty":
        body, headers = b"", [json_type, ("x-amzn-RequestId", request_id)]
    elif fault.kind == "not-json":
        body, headers = NOT_JSON_BODY, [("Content-Type", "text/plain")]
    elif fault.kind == "drop":
        start_response(status_line, [json_type, ("Content-Length", "500")])
        yield DROPPED_BODY
        # werkzeug has written the headers and the partial body by now.
        _shut(environ)
        return
    else:  # reset
        start_response(status_line, [json_type, ("Content-Length", "500")])
        _shut(environ)
        # werkzeug writes the headers with this first chunk: on a shut socket
        # that is a BrokenPipeError, which it treats as a dropped connection.
        yield b""
        return
    start_response(status_line, [*headers, ("Content-Length", str(len(body)))])
    yield body
