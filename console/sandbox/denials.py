"""Emulating an IAM denial of the admin reads, so the "missing permission" path can be tested.

Real Cognito answers a signed call whose credentials lack the IAM action with
HTTP 400 and ``{"__type": "AccessDeniedException", "message": "User: arn:...
is not authorized to perform: cognito-idp:ListUsers on resource: ..."}``.
moto accepts any credentials, so :class:`DenyingApp` sits in front of the
sandbox's WSGI app and answers that way for the admin reads (ListUsers,
AdminGetUser, DescribeUserPool, DescribeUserPoolClient) when the request is
signed with an access key id starting with :data:`DENIED_ACCESS_KEY_PREFIX`
(read from the ``Authorization`` header's ``Credential=``); those keys are
also refused every CloudWatch Logs call (:data:`DENIED_SERVICES`), so the
trigger-logs reader's "missing permission" path can be tested. It also refuses
the IAM actions a scenario denies (``POST /_sandbox/scenario`` with
``{"deny": ["ses:GetAccount"]}``) to every signed caller, in each service's
protocol. Every other request passes through untouched.

Wiring it into the sandbox is one line around the app::

    app = with_denials(SandboxApp(moto_app, service, sandbox))
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable, Iterable
from typing import Any

from console.sandbox.aws_actions import Action, request_action, signing_scope
from console.sandbox.channel_ops import denied_answer

__all__ = [
    "DENIED_ACCESS_KEY_ID",
    "DENIED_ACCESS_KEY_PREFIX",
    "DENIED_OPERATIONS",
    "DENIED_SERVICES",
    "DenyingApp",
    "access_key_id",
    "with_denials",
]

DENIED_ACCESS_KEY_PREFIX = "AKIDDENIED"
"""Access key ids starting with this are denied the admin reads."""
DENIED_ACCESS_KEY_ID = "AKIDDENIEDHELPDESK01"
"""A ready-made denied key for tests and demos."""
DENIED_OPERATIONS = frozenset(
    {
        "ListUsers",
        "AdminGetUser",
        "DescribeUserPool",
        "DescribeUserPoolClient",
        "GetLogDeliveryConfiguration",
    }
)
DENIED_SERVICES = frozenset({"logs"})
"""Services whose every call is denied to those keys (the trigger's CloudWatch Logs reads)."""
_TARGET_PREFIX = "AWSCognitoIdentityProviderService."
_CREDENTIAL_RE = re.compile(r"Credential=([^/,\s]+)(?:/[^/]*/([^/,\s]+))?")
_POOL_ID_RE = re.compile(r"^[\w-]+_[0-9a-zA-Z]+$")
_ACCOUNT_ID = "123456789012"
_MAX_BODY = 64 * 1024

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def access_key_id(authorization: str) -> tuple[str | None, str | None]:
    """(access key id, region) from a SigV4 ``Authorization`` header, or (None, None)."""
    found = _CREDENTIAL_RE.search(authorization or "")
    if found is None:
        return None, None
    return found.group(1), found.group(2)


def _pool_id(environ: dict[str, Any]) -> str | None:
    """The request's UserPoolId, if its (small) JSON body names a valid one."""
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None
    if not 0 < length <= _MAX_BODY:
        return None
    try:
        body = json.loads(environ["wsgi.input"].read(length))
    except (ValueError, OSError, KeyError):
        return None
    pool_id = body.get("UserPoolId") if isinstance(body, dict) else None
    return pool_id if isinstance(pool_id, str) and _POOL_ID_RE.match(pool_id) else None


class DenyingApp:
    """WSGI middleware: deny *operations* to access keys starting with *prefix*."""

    def __init__(
        self,
        app: WSGIApp,
        *,
        prefix: str = DENIED_ACCESS_KEY_PREFIX,
        operations: frozenset[str] = DENIED_OPERATIONS,
        services: frozenset[str] = DENIED_SERVICES,
        principal: str = f"arn:aws:iam::{_ACCOUNT_ID}:user/helpdesk",
        denied_actions: Callable[[], frozenset[str]] | None = None,
    ) -> None:
        self.app = app
        self.prefix = prefix
        self.operations = operations
        self.services = services
        self.principal = principal
        self.denied_actions = denied_actions
        """IAM actions (``ses:GetAccount``) denied to every signed caller (the scenario's)."""

    def denied_operation(self, environ: dict[str, Any]) -> str | None:
        """The operation this request is denied, or None to pass it through."""
        target = str(environ.get("HTTP_X_AMZ_TARGET") or "")
        if not target.startswith(_TARGET_PREFIX):
            return None
        operation = target[len(_TARGET_PREFIX) :]
        if operation not in self.operations:
            return None
        key, _region = access_key_id(str(environ.get("HTTP_AUTHORIZATION") or ""))
        if key is None or not key.startswith(self.prefix):
            return None
        return operation

    def _denied_service(self, environ: dict[str, Any]) -> Action | None:
        """A call to a denied service (CloudWatch Logs) signed with a denied key."""
        key, _region = access_key_id(str(environ.get("HTTP_AUTHORIZATION") or ""))
        if key is None or not key.startswith(self.prefix):
            return None
        action = request_action(environ)
        return action if action is not None and action.service in self.services else None

    def _denied_action(self, environ: dict[str, Any]) -> Action | None:
        """A non-Cognito action (or any action) the scenario denies to signed callers."""
        if self.denied_actions is None:
            return None
        denied = self.denied_actions()
        if not denied:
            return None
        key, _region, _service = signing_scope(environ)
        action = request_action(environ)
        if key is None or action is None or action.iam_action not in denied:
            return None
        return action

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        operation = self.denied_operation(environ)
        if operation is None:
            scenario_denied = self._denied_action(environ) or self._denied_service(environ)
            if scenario_denied is None:
                return self.app(environ, start_response)
            if scenario_denied.service != "cognito-idp":
                _key, region, _service = signing_scope(environ)
                where = f"arn:aws:{scenario_denied.service}:{region or 'us-east-1'}:{_ACCOUNT_ID}:"
                where += "log-group:*" if scenario_denied.service == "logs" else "*"
                return denied_answer(start_response, scenario_denied, self.principal, where)
            operation = scenario_denied.operation
        _key, region = access_key_id(str(environ.get("HTTP_AUTHORIZATION") or ""))
        pool_id = _pool_id(environ) or "*"
        resource = f"arn:aws:cognito-idp:{region or 'us-east-1'}:{_ACCOUNT_ID}:userpool/{pool_id}"
        action = f"cognito-idp:{operation}"
        payload = {
            "__type": "AccessDeniedException",
            "message": f"User: {self.principal} is not authorized to perform: {action} "
            f"on resource: {resource} because no identity-based policy allows the "
            f"{action} action",
        }
        body = json.dumps(payload).encode("utf-8")
        start_response(
            "400 Bad Request",
            [
                ("Content-Type", "application/x-amz-json-1.1"),
                ("Content-Length", str(len(body))),
                ("x-amzn-RequestId", str(uuid.uuid4())),
                ("x-amzn-ErrorType", "AccessDeniedException:"),
            ],
        )
        return [body]


def with_denials(app: WSGIApp, **options: Any) -> DenyingApp:
    """*app* behind :class:`DenyingApp` (options: ``prefix``, ``operations``, ``services``,
    ``principal``, ``denied_actions``)."""
    return DenyingApp(app, **options)
