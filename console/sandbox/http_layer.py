"""The HTTP a browser and an SDK meet: CORS, Cognito-shaped JSON answers, moto's answers tidied.

- :class:`CorsLayer` is the outermost WSGI layer: it answers every ``OPTIONS``
  preflight itself (2xx, any origin) and adds ``Access-Control-Allow-Origin``
  and ``Access-Control-Expose-Headers`` to every answer, ours and moto's,
  errors included. Browsers send a preflight before every Cognito call
  because ``X-Amz-Target`` is not a "simple" header.
- :func:`json_answer` and :func:`error_answer` write one answer the way
  Cognito does: ``Content-Type: application/x-amz-json-1.1``, an
  ``x-amzn-RequestId`` UUID and, on errors, ``x-amzn-ErrorType: <Code>:`` and
  ``x-amzn-ErrorMessage``.
- :func:`relay_to_moto` passes a request to moto and rewrites its answer into
  that shape: moto's request ids are not UUIDs, its content type is
  ``application/json``, and its failures are HTML pages (a 500 for an
  operation it does not implement), which no Cognito client can read.
"""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Callable, Iterable
from typing import Any

from console.sandbox.faults import ServiceError

__all__ = [
    "ALLOWED_HEADERS",
    "EXPOSED_HEADERS",
    "CorsLayer",
    "error_answer",
    "json_answer",
    "relay_to_moto",
]

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]

ALLOWED_HEADERS = (
    "content-type",
    "x-amz-target",
    "x-amz-user-agent",
    "cache-control",
    "authorization",
    "x-amz-date",
    "x-amz-security-token",
    "x-amz-content-sha256",
    "amz-sdk-invocation-id",
    "amz-sdk-request",
)
"""What the AWS SDKs for JavaScript (v2, v3, Amplify) send on a Cognito call."""
EXPOSED_HEADERS = ("x-amzn-RequestId", "x-amzn-ErrorType", "x-amzn-ErrorMessage", "Date")
"""What Cognito lets a page's script read: the SDKs read the error type and the request id."""
ALLOWED_METHODS = "GET, POST, DELETE, OPTIONS"
JSON_TYPE = "application/x-amz-json-1.1"
_HEADER_TOKEN = re.compile(r"^[A-Za-z0-9!#$%&'*+.^_`|~-]+$")

log = logging.getLogger("console.sandbox")


def _status_line(status: int) -> str:
    from werkzeug.http import HTTP_STATUS_CODES

    return f"{status} {HTTP_STATUS_CODES.get(status, 'Unknown')}"


def _header_text(text: str) -> str:
    # Header values travel as latin-1 and end at a line break: keep printable ASCII only.
    return "".join(ch if " " <= ch <= "~" else "?" for ch in text)[:1024]


def json_answer(
    start_response: Callable[..., Any],
    status: int,
    payload: object,
    request_id: str,
    extra_headers: Iterable[tuple[str, str]] = (),
) -> list[bytes]:
    """One JSON answer with Cognito's content type and request id."""
    body = json.dumps(payload).encode("utf-8")
    start_response(
        _status_line(status),
        [
            ("Content-Type", JSON_TYPE),
            ("Content-Length", str(len(body))),
            ("x-amzn-RequestId", request_id),
            *extra_headers,
        ],
    )
    return [body]


def error_answer(
    start_response: Callable[..., Any],
    status: int,
    code: str,
    message: str,
    request_id: str,
) -> list[bytes]:
    """A Cognito error: ``{"__type", "message"}`` plus the ``x-amzn-Error*`` headers."""
    return json_answer(
        start_response,
        status,
        {"__type": code, "message": message},
        request_id,
        [("x-amzn-ErrorType", f"{code}:"), ("x-amzn-ErrorMessage", _header_text(message))],
    )


class CorsLayer:
    """Outermost WSGI layer: answers preflights, and lets any origin read every answer."""

    def __init__(self, app: WSGIApp) -> None:
        self._app = app

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") == "OPTIONS":
            return self._preflight(environ, start_response)

        def with_cors(status: str, headers: list[tuple[str, str]], *exc_info: Any) -> Any:
            # moto adds its own Allow-Origin (flask-cors): one copy of each header only.
            kept = [(k, v) for k, v in headers if not k.lower().startswith("access-control-")]
            return start_response(status, kept + self._cors_headers(), *exc_info)

        return self._app(environ, with_cors)

    @staticmethod
    def _cors_headers() -> list[tuple[str, str]]:
        return [
            ("Access-Control-Allow-Origin", "*"),
            ("Access-Control-Expose-Headers", ", ".join(EXPOSED_HEADERS)),
        ]

    def _preflight(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> list[bytes]:
        import uuid

        # Grant what the browser asks for too (an SDK may add a header we did not
        # list), but only well-formed header names: the value is echoed back.
        asked = str(environ.get("HTTP_ACCESS_CONTROL_REQUEST_HEADERS") or "")
        extra = [h.strip().lower() for h in asked.split(",") if _HEADER_TOKEN.match(h.strip())]
        allowed = list(dict.fromkeys([*ALLOWED_HEADERS, *extra]))
        start_response(
            _status_line(200),
            [
                ("Content-Length", "0"),
                ("x-amzn-RequestId", str(uuid.uuid4())),
                *self._cors_headers(),
                ("Access-Control-Allow-Methods", ALLOWED_METHODS),
                ("Access-Control-Allow-Headers", ", ".join(allowed)),
                ("Access-Control-Max-Age", "600"),
            ],
        )
        return [b""]


def relay_to_moto(
    moto_app: WSGIApp,
    environ: dict[str, Any],
    start_response: Callable[..., Any],
    *,
    body: bytes,
    operation: str,
    request_id: str,
    after: Callable[[dict[str, Any]], None] | None = None,
) -> list[bytes]:
    """Let moto answer *operation* (its body already read), in Cognito's shape.

    *after*, if given, sees moto's successful answer before it is sent; a
    ServiceError it raises is answered instead.

    A JSON answer keeps its status and body; an error gets the ``x-amzn-Error*``
    headers and a string message; anything else (an HTML page, an empty body,
    an exception inside moto) becomes a JSON InternalErrorException.
    """
    forwarded = dict(environ)
    forwarded["wsgi.input"] = io.BytesIO(body)
    forwarded["CONTENT_LENGTH"] = str(len(body))
    captured: dict[str, Any] = {}

    def capture(status: str, headers: list[tuple[str, str]], *exc_info: Any) -> Any:
        captured["status"] = int(status.split(" ", 1)[0])
        return lambda _data: None

    try:
        chunks = moto_app(forwarded, capture)
        try:
            raw = b"".join(chunks)
        finally:
            close = getattr(chunks, "close", None)
            if close is not None:
                close()
    except NotImplementedError:
        # moto's answer for an operation it lacks; werkzeug would make it an HTML page.
        log.warning("sandbox: moto does not implement %s", operation)
        return _moto_failed(start_response, operation, request_id, "does not implement it")
    except Exception:
        log.warning("sandbox: moto failed on %s", operation, exc_info=True)
        return _moto_failed(start_response, operation, request_id)
    status = int(captured.get("status", 500))
    try:
        payload = json.loads(raw) if raw else ({} if status < 400 else None)
    except ValueError:
        payload = None
    if not isinstance(payload, dict):
        log.warning("sandbox: moto answered %s with HTTP %s and no JSON", operation, status)
        return _moto_failed(start_response, operation, request_id)
    if status < 400:
        if after is not None:
            try:
                after(payload)
            except ServiceError as error:
                return error_answer(
                    start_response, error.status, error.code, error.message, request_id
                )
        return json_answer(start_response, status, payload, request_id)
    code = payload.get("__type")
    message = payload.get("message", payload.get("Message"))
    return error_answer(
        start_response,
        status,
        str(code) if isinstance(code, str) and code else "InternalErrorException",
        message if isinstance(message, str) else ("" if message is None else str(message)),
        request_id,
    )


def _moto_failed(
    start_response: Callable[..., Any],
    operation: str,
    request_id: str,
    why: str = "failed (see the sandbox's log)",
) -> list[bytes]:
    return error_answer(
        start_response,
        500,
        "InternalErrorException",
        f"The sandbox could not answer {operation}: moto, its engine, {why}.",
        request_id,
    )
