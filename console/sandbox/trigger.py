"""Running an admin's CustomMessage trigger the way Cognito runs the Lambda.

The handler is loaded from ``FILE.py:FUNCTION`` and called with Cognito's
``CustomMessage_ResendCode`` event and a Lambda-like context. Like Cognito:

- a handler that raises gives UserLambdaValidationException
  ("CustomMessage failed with error <message>.");
- a response that is not the event, lacks the code placeholder or is too long
  gives InvalidLambdaResponseException;
- a handler still running after the timeout (5 s in Cognito) gives
  UnexpectedLambdaException. It runs in a daemon thread, so a stuck handler
  never stops the sandbox from serving.
"""

from __future__ import annotations

import copy
import importlib.util
import json
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any

from console.sandbox.faults import ServiceError

__all__ = [
    "CODE_PARAMETER",
    "EMAIL_MESSAGE_MAX",
    "EMAIL_SUBJECT_MAX",
    "SMS_MESSAGE_MAX",
    "CustomMessage",
    "TriggerRunner",
    "TriggerSpecError",
    "load_trigger",
]

CODE_PARAMETER = "{####}"
EMAIL_MESSAGE_MAX = 20_000
SMS_MESSAGE_MAX = 140
EMAIL_SUBJECT_MAX = 140
DEFAULT_TIMEOUT_S = 5.0

Handler = Callable[[dict[str, Any], Any], Any]


class TriggerSpecError(ValueError):
    """A ``FILE.py:FUNCTION`` spec that cannot be loaded; the message is one line."""


def load_trigger(spec: str) -> tuple[Handler, str]:
    """Import ``FILE.py:FUNCTION`` from its file path; return the handler and its name.

    Raises TriggerSpecError with a one-line message when the spec is malformed,
    the file is missing or fails to import, or the function is missing.
    """
    path_text, sep, function_name = spec.rpartition(":")
    if not sep or not path_text or not function_name:
        raise TriggerSpecError(f"trigger must be FILE.py:FUNCTION, got {spec!r}")
    if not function_name.isidentifier():
        raise TriggerSpecError(f"{function_name!r} is not a Python function name")
    path = Path(path_text).expanduser()
    if not path.is_file():
        raise TriggerSpecError(f"trigger file not found: {path_text}")
    module_name = f"_cognito_console_trigger_{uuid.uuid4().hex}"
    module_spec = importlib.util.spec_from_file_location(module_name, path)
    if module_spec is None or module_spec.loader is None:
        raise TriggerSpecError(f"cannot import {path_text}: not a Python file")
    module: ModuleType = importlib.util.module_from_spec(module_spec)
    try:
        module_spec.loader.exec_module(module)
    except BaseException as exc:  # the admin's code: anything can happen at import
        if isinstance(exc, KeyboardInterrupt):
            raise
        first_line = (str(exc).splitlines() or [""])[0]
        raise TriggerSpecError(
            f"cannot import {path_text}: {type(exc).__name__}: {first_line}"
        ) from None
    handler = getattr(module, function_name, None)
    if handler is None:
        raise TriggerSpecError(f"{path_text} has no function {function_name!r}")
    if not callable(handler):
        raise TriggerSpecError(f"{path_text}: {function_name!r} is not callable")
    return handler, function_name


@dataclass(frozen=True, slots=True)
class CustomMessage:
    """The messages a trigger produced, placeholder not yet replaced; None = default."""

    sms_message: str | None
    email_message: str | None
    email_subject: str | None


def build_event(
    *,
    region: str,
    user_pool_id: str,
    username: str,
    client_id: str,
    user_attributes: dict[str, str],
    client_metadata: dict[str, str],
    sdk_version: str,
    trigger_source: str = "CustomMessage_ResendCode",
    username_parameter: str | None = None,
) -> dict[str, Any]:
    """Cognito's CustomMessage event for *trigger_source*, with an empty response.

    *username_parameter* is ``{username}`` for AdminCreateUser, None otherwise.
    """
    return {
        "version": "1",
        "region": region,
        "userPoolId": user_pool_id,
        "userName": username,
        "callerContext": {"awsSdkVersion": sdk_version, "clientId": client_id},
        "triggerSource": trigger_source,
        "request": {
            "userAttributes": dict(user_attributes),
            "codeParameter": CODE_PARAMETER,
            "usernameParameter": username_parameter,
            "clientMetadata": dict(client_metadata),
        },
        "response": {"smsMessage": None, "emailMessage": None, "emailSubject": None},
    }


def _invalid(message: str) -> ServiceError:
    return ServiceError("InvalidLambdaResponseException", message)


def check_response(returned: object) -> CustomMessage:
    """Validate what a handler returned, like Cognito does; raise ServiceError if unusable."""
    try:
        # A Lambda's return value travels as JSON: what cannot be serialized never arrives.
        returned = json.loads(json.dumps(returned))
    except (TypeError, ValueError):
        raise _invalid("Invalid lambda response: the response is not JSON.") from None
    if not isinstance(returned, dict):
        raise _invalid("Invalid lambda response: the event was not returned.")
    response = returned.get("response")
    if not isinstance(response, dict):
        raise _invalid("Invalid lambda response: 'response' is missing or not an object.")
    fields: dict[str, str | None] = {}
    for key in ("smsMessage", "emailMessage", "emailSubject"):
        value = response.get(key)
        if value is not None and not isinstance(value, str):
            raise _invalid(f"Invalid lambda response: {key} must be a string or null.")
        fields[key] = value
    sms, email, subject = fields["smsMessage"], fields["emailMessage"], fields["emailSubject"]
    for key, value, limit in (
        ("smsMessage", sms, SMS_MESSAGE_MAX),
        ("emailMessage", email, EMAIL_MESSAGE_MAX),
    ):
        if value is None:
            continue
        if CODE_PARAMETER not in value:
            raise _invalid(
                f"Invalid lambda response: {key} does not contain the code parameter "
                f"{CODE_PARAMETER}."
            )
        if len(value) > limit:
            raise _invalid(
                f"Invalid lambda response: {key} is {len(value)} characters, "
                f"more than the {limit} allowed."
            )
    if subject is not None and len(subject) > EMAIL_SUBJECT_MAX:
        raise _invalid(
            f"Invalid lambda response: emailSubject is {len(subject)} characters, "
            f"more than the {EMAIL_SUBJECT_MAX} allowed."
        )
    return CustomMessage(sms_message=sms, email_message=email, email_subject=subject)


class TriggerRunner:
    """Calls one CustomMessage handler per resend, with Cognito's time limit."""

    def __init__(
        self, handler: Handler, *, name: str = "CustomMessage", timeout_s: float = DEFAULT_TIMEOUT_S
    ) -> None:
        if timeout_s <= 0:
            raise ValueError("timeout_s must be > 0")
        self._handler = handler
        self._name = name
        self._timeout_s = timeout_s

    @property
    def timeout_s(self) -> float:
        """How long a call may run before UnexpectedLambdaException."""
        return self._timeout_s

    @classmethod
    def from_spec(cls, spec: str, *, timeout_s: float = DEFAULT_TIMEOUT_S) -> TriggerRunner:
        """Load ``FILE.py:FUNCTION`` (TriggerSpecError if it cannot be loaded)."""
        handler, name = load_trigger(spec)
        return cls(handler, name=name, timeout_s=timeout_s)

    def _context(self, region: str, deadline: float) -> SimpleNamespace:
        def remaining_ms() -> int:
            return max(0, int((deadline - time.monotonic()) * 1000))

        return SimpleNamespace(
            function_name=self._name,
            function_version="$LATEST",
            invoked_function_arn=f"arn:aws:lambda:{region}:123456789012:function:{self._name}",
            memory_limit_in_mb="128",
            aws_request_id=str(uuid.uuid4()),
            log_group_name=f"/aws/lambda/{self._name}",
            log_stream_name="sandbox",
            get_remaining_time_in_millis=remaining_ms,
        )

    def run(self, event: dict[str, Any]) -> CustomMessage:
        """Call the handler with a copy of *event*; return its messages or raise ServiceError."""
        region = str(event.get("region", "us-east-1"))
        deadline = time.monotonic() + self._timeout_s
        context = self._context(region, deadline)
        outcome: dict[str, Any] = {}
        done = threading.Event()
        payload = copy.deepcopy(event)

        def call() -> None:
            try:
                outcome["value"] = self._handler(payload, context)
            except BaseException as exc:  # the admin's code: report whatever it raised
                outcome["error"] = exc
            finally:
                done.set()

        worker = threading.Thread(target=call, name=f"trigger-{self._name}", daemon=True)
        worker.start()
        if not done.wait(self._timeout_s):
            raise ServiceError(
                "UnexpectedLambdaException",
                f"CustomMessage invocation failed due to error Task timed out after "
                f"{self._timeout_s:.2f} seconds.",
            )
        if "error" in outcome:
            error = outcome["error"]
            message = str(error) or type(error).__name__
            raise ServiceError(
                "UserLambdaValidationException", f"CustomMessage failed with error {message}."
            )
        return check_response(outcome.get("value"))


def render(template: str, code: str) -> str:
    """A message with the code placeholder replaced by the code."""
    return template.replace(CODE_PARAMETER, code)
