"""The WSGI layer in front of moto: routing, our operations and the /_sandbox routes.

- ``/_sandbox/...``: the outbox, the trigger's invocations, info, received
  bodies, simulated answers and injected faults (``POST``/``DELETE
  /_sandbox/faults`` arm and clear a fault, see
  :mod:`console.sandbox.injected_faults`).
- A request without ``X-Amz-Target``, or naming an operation cognito-idp does
  not have, gets 400 ``UnknownOperationException`` (never moto's S3 listing
  or its 404 page).
- ``ResendConfirmationCode`` is answered by
  :class:`~console.sandbox.resend.ResendService` (with the received log,
  faults and latency); the operations passed in (SignUp, ConfirmSignUp...)
  by their handlers; everything else by moto, through
  :func:`~console.sandbox.http_layer.relay_to_moto`. Bodies are checked first:
  not JSON, or a member of the wrong type, is 400 ``SerializationException``.

Every answer of ours is Cognito-shaped (see :mod:`console.sandbox.http_layer`);
an injected proxy-style fault may not be, on purpose.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from console.sandbox.aws_actions import request_action
from console.sandbox.control_routes import faults_route, repeat_route, scenario_route
from console.sandbox.faults import ServiceError
from console.sandbox.http_layer import error_answer, json_answer, relay_to_moto
from console.sandbox.injected_faults import serve_fault
from console.sandbox.resend import ResendService
from console.sandbox.shapes import SERVICE_PREFIX, check_types, is_operation

if TYPE_CHECKING:
    from console.sandbox.channel_ops import ChannelService
    from console.sandbox.info import SandboxInfo
    from console.sandbox.injected_faults import Fault
    from console.sandbox.seed import DemoPool

__all__ = [
    "RESEND_TARGET",
    "CallContext",
    "MotoWrapper",
    "Operation",
    "SandboxApp",
    "SandboxControls",
    "quiet_request_handler",
    "shared_moto_app",
]

RESEND_TARGET = "AWSCognitoIdentityProviderService.ResendConfirmationCode"
MAX_BODY_BYTES = 16 * 1024 * 1024
"""Largest request body we read: well above any sane ClientMetadata."""


class SandboxControls(Protocol):
    """What the WSGI layer asks of the running sandbox (:class:`console.sandbox.server.Sandbox`).

    A protocol, not the class: the server builds this layer, so this layer
    must not import the server.
    """

    demo: DemoPool

    @property
    def info(self) -> SandboxInfo:
        """Where the sandbox listens and what it seeded."""

    def outbox(self) -> list[dict[str, object]]:
        """What the sandbox delivered, oldest first."""

    def invocations(self) -> list[dict[str, object]]:
        """The trigger's invocations, oldest first."""

    def repeat_last(self, request_id: str) -> dict[str, object]:
        """Send the last code again (ServiceError if nothing was sent or the trigger fails)."""

    def received(self) -> list[dict[str, object]]:
        """The resend request bodies received, oldest first."""

    def simulated(self) -> list[dict[str, object]]:
        """The successes made up for clients that hide unknown users."""

    def record_received(self, body: object) -> None:
        """Keep a resend request body for ``/_sandbox/received``."""

    def arm_fault(self, fault: Fault | None, count: int | None = None) -> None:
        """Answer the next *count* resends (all, when None) with *fault*."""

    def clear_fault(self) -> None:
        """Answer resends normally again."""

    def take_fault(self) -> Fault | None:
        """The fault for this resend, if one is armed (one use taken)."""

    def fault_state(self) -> dict[str, object]:
        """The armed fault and the latency, as JSON."""

    def wait_latency(self, started: float) -> None:
        """Sleep out the configured latency, counted from *started*."""

    def scenario(self) -> dict[str, object]:
        """The delivery channels' setup, as JSON (``GET /_sandbox/scenario``)."""

    def apply_scenario(self, body: object) -> None:
        """Change the channels' setup (ValueError naming the key when *body* is wrong)."""


log = logging.getLogger("console.sandbox")

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


@dataclass(frozen=True, slots=True)
class CallContext:
    """What an operation of ours may know about its HTTP request."""

    request_id: str
    user_agent: str = ""


Operation = Callable[[dict[str, Any], CallContext], dict[str, object]]
"""One operation we answer: the type-checked body in, the response out (or ServiceError)."""


class MotoWrapper(Protocol):
    """An operation moto answers, with work of ours around it (AdminCreateUser's invitation)."""

    def before(self, body: dict[str, Any], call: CallContext) -> dict[str, object] | None:
        """Adjust *body* in place for moto, or return the answer (moto is then not asked)."""

    def after(self, body: dict[str, Any], payload: dict[str, Any], call: CallContext) -> None:
        """moto answered *payload* with success; a ServiceError replaces that answer."""


class SandboxApp:
    """The WSGI layer: our operations and /_sandbox routes, moto for the rest of cognito-idp."""

    def __init__(
        self,
        moto_app: WSGIApp,
        service: ResendService,
        sandbox: SandboxControls,
        operations: Mapping[str, Operation] | None = None,
        wrapped: Mapping[str, MotoWrapper] | None = None,
        channel_service: ChannelService | None = None,
    ) -> None:
        self._moto_app = moto_app
        self._channel_service = channel_service
        self._service = service
        self._sandbox = sandbox
        self._operations = dict(operations or {})
        self._wrapped = dict(wrapped or {})

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        self._sandbox.demo.ensure_attached()
        path = environ.get("PATH_INFO", "")
        if path.startswith("/_sandbox/"):
            return self._sandbox_route(environ, start_response, path)
        if self._channel_service is not None:
            action = request_action(environ)
            if action is not None and action.service != "cognito-idp":
                return self._channel_service(environ, start_response, action)
        request_id = str(uuid.uuid4())
        target = str(environ.get("HTTP_X_AMZ_TARGET") or "")
        prefix, _dot, operation = target.partition(".")
        if not target or prefix != SERVICE_PREFIX or not is_operation(operation):
            # What AWS's JSON services answer for a target they do not know; an
            # empty message, as theirs. A missing target gets a hint instead.
            message = "" if target else "The request has no X-Amz-Target header."
            return error_answer(
                start_response, 400, "UnknownOperationException", message, request_id
            )
        if environ["REQUEST_METHOD"] != "POST":
            return error_answer(
                start_response,
                400,
                "UnknownOperationException",
                "Cognito operations are called with POST.",
                request_id,
            )
        if operation == RESEND_TARGET.rpartition(".")[2]:
            return self._resend(environ, start_response, request_id)
        return self._operation(environ, start_response, operation, request_id)

    def _operation(
        self,
        environ: dict[str, Any],
        start_response: Callable[..., Any],
        operation: str,
        request_id: str,
    ) -> Iterable[bytes]:
        """Any operation but ResendConfirmationCode: checked here, answered by us or by moto."""
        try:
            raw = _read_body(environ)
            body = check_types(operation, _parse_json(raw))
            handler = self._operations.get(operation)
            context = CallContext(request_id, str(environ.get("HTTP_USER_AGENT", "")))
            if handler is None:
                return self._relay(environ, start_response, operation, raw, body, context)
            payload = handler(body, context)
        except ServiceError as error:
            return error_answer(start_response, error.status, error.code, error.message, request_id)
        except Exception:
            log.exception("sandbox: %s failed unexpectedly", operation)
            return _internal_error(start_response, request_id)
        return json_answer(start_response, 200, payload, request_id)

    def _relay(
        self,
        environ: dict[str, Any],
        start_response: Callable[..., Any],
        operation: str,
        raw: bytes,
        body: dict[str, Any],
        context: CallContext,
    ) -> Iterable[bytes]:
        """moto's answer, with a wrapper's work around it when the operation has one."""
        wrapper = self._wrapped.get(operation)
        after = None
        if wrapper is not None:
            answer = wrapper.before(body, context)
            if answer is not None:
                return json_answer(start_response, 200, answer, context.request_id)
            raw = json.dumps(body).encode("utf-8")

            def after(payload: dict[str, Any]) -> None:
                wrapper.after(body, payload, context)

        return relay_to_moto(
            self._moto_app,
            environ,
            start_response,
            body=raw,
            operation=operation,
            request_id=context.request_id,
            after=after,
        )

    def _sandbox_route(
        self, environ: dict[str, Any], start_response: Callable[..., Any], path: str
    ) -> list[bytes]:
        request_id = str(uuid.uuid4())
        if path.rstrip("/") == "/_sandbox/faults" and environ["REQUEST_METHOD"] != "GET":
            return faults_route(self._sandbox, environ, start_response, request_id)
        if path.rstrip("/") == "/_sandbox/scenario" and environ["REQUEST_METHOD"] == "POST":
            return scenario_route(self._sandbox, environ, start_response, request_id)
        if path.rstrip("/") == "/_sandbox/repeat" and environ["REQUEST_METHOD"] == "POST":
            return repeat_route(self._sandbox, start_response, request_id)
        if environ["REQUEST_METHOD"] != "GET":
            return error_answer(
                start_response, 405, "MethodNotAllowedException", "only GET", request_id
            )
        routes: dict[str, Callable[[], object]] = {
            "/_sandbox/outbox": lambda: {"deliveries": self._sandbox.outbox()},
            "/_sandbox/invocations": lambda: {"invocations": self._sandbox.invocations()},
            "/_sandbox/info": lambda: self._sandbox.info.to_json(),
            "/_sandbox/received": lambda: {"received": self._sandbox.received()},
            "/_sandbox/simulated": lambda: {"simulated": self._sandbox.simulated()},
            "/_sandbox/faults": lambda: self._sandbox.fault_state(),
            "/_sandbox/scenario": lambda: self._sandbox.scenario(),
        }
        route = routes.get(path.rstrip("/"))
        if route is None:
            return error_answer(
                start_response, 404, "ResourceNotFoundException", "not found", request_id
            )
        return json_answer(start_response, 200, route(), request_id)

    def _resend(
        self, environ: dict[str, Any], start_response: Callable[..., Any], request_id: str
    ) -> Iterable[bytes]:
        started = time.monotonic()
        try:
            raw = _read_body(environ)
            try:
                body: object = json.loads(raw or b"{}")
            except (ValueError, UnicodeDecodeError):
                self._sandbox.record_received(raw.decode("utf-8", "replace"))
                raise ServiceError(
                    "SerializationException", "The request body is not valid JSON."
                ) from None
            self._sandbox.record_received(body)
            fault = self._sandbox.take_fault()
            if fault is not None:
                self._sandbox.wait_latency(started)
                return serve_fault(fault, environ, start_response, request_id)
            payload = self._service.handle(
                body, request_id=request_id, user_agent=environ.get("HTTP_USER_AGENT", "")
            )
        except ServiceError as error:
            self._sandbox.wait_latency(started)
            return error_answer(start_response, error.status, error.code, error.message, request_id)
        except Exception:
            log.exception("sandbox: ResendConfirmationCode failed unexpectedly")
            self._sandbox.wait_latency(started)
            return _internal_error(start_response, request_id)
        self._sandbox.wait_latency(started)
        return json_answer(start_response, 200, payload, request_id)


def _read_body(environ: dict[str, Any]) -> bytes:
    from werkzeug.exceptions import RequestEntityTooLarge
    from werkzeug.wrappers import Request

    request = Request(environ)
    request.max_content_length = MAX_BODY_BYTES
    try:
        return request.get_data(cache=False)
    except RequestEntityTooLarge:
        raise ServiceError(
            "InvalidParameterException", "The request body is too large.", 413
        ) from None


def _parse_json(raw: bytes) -> object:
    try:
        return json.loads(raw or b"{}")
    except (ValueError, UnicodeDecodeError):
        raise ServiceError(
            "SerializationException", "The request body is not valid JSON."
        ) from None


def _internal_error(start_response: Callable[..., Any], request_id: str) -> list[bytes]:
    return error_answer(
        start_response,
        500,
        "InternalErrorException",
        "The sandbox failed internally; see its log.",
        request_id,
    )


_moto_app_lock = threading.Lock()
_moto_app: WSGIApp | None = None


def shared_moto_app() -> WSGIApp:
    """One moto dispatcher for every sandbox in the process, its cognito-idp app warmed up.

    moto's state is process-global anyway; sharing the dispatcher saves building
    the Flask app (a quarter of a second) per sandbox.
    """
    global _moto_app
    with _moto_app_lock:
        if _moto_app is None:
            from moto.moto_server.werkzeug_app import (
                DomainDispatcherApplication,
                create_backend_app,
            )

            app = DomainDispatcherApplication(create_backend_app)
            app.get_application(
                {
                    "PATH_INFO": "/",
                    "REQUEST_METHOD": "POST",
                    "CONTENT_TYPE": "application/x-amz-json-1.1",
                    "HTTP_X_AMZ_TARGET": "AWSCognitoIdentityProviderService.ListUserPools",
                }
            )
            _moto_app = app
        return _moto_app


def quiet_request_handler() -> type[Any]:
    from moto.moto_server.werkzeug_app import MotoRequestHandler

    class QuietHandler(MotoRequestHandler):
        """moto's handler, with werkzeug's per-request lines sent to our log at DEBUG.

        stdout carries only the ready line; request logs would break that.
        """

        def log(self, type: str, message: str, *args: Any) -> None:
            level = logging.DEBUG if type == "info" else logging.WARNING
            log.log(level, "%s %s", self.address_string(), message % args)

    return QuietHandler
