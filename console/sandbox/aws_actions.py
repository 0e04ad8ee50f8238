"""Which AWS service and operation an HTTP request is: the sandbox's router and its IAM denials.

The sandbox serves four services on one loopback port, each in its own
protocol: Cognito and CloudWatch Logs (JSON with ``X-Amz-Target``), SNS (the
query protocol: a form body with ``Action=``), and SES v2 (REST: the method
and the path). :func:`request_action` names the request's IAM action
(``ses:GetAccount``) so the denial layer and the router agree.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

__all__ = ["Action", "request_action", "signing_scope"]

_CREDENTIAL_RE = re.compile(r"Credential=([^/,\s]+)/[^/]*/([^/,\s]+)/([^/,\s]+)/")
_MAX_FORM = 64 * 1024
_SESV2_ROUTES: tuple[tuple[str, re.Pattern[str], str], ...] = (
    ("GET", re.compile(r"^/v2/email/account/?$"), "GetAccount"),
    ("GET", re.compile(r"^/v2/email/suppression/addresses/?$"), "ListSuppressedDestinations"),
    ("PUT", re.compile(r"^/v2/email/suppression/addresses/?$"), "PutSuppressedDestination"),
    ("GET", re.compile(r"^/v2/email/suppression/addresses/[^/]+$"), "GetSuppressedDestination"),
    (
        "DELETE",
        re.compile(r"^/v2/email/suppression/addresses/[^/]+$"),
        "DeleteSuppressedDestination",
    ),
    ("GET", re.compile(r"^/v2/email/identities/[^/]+$"), "GetEmailIdentity"),
    ("POST", re.compile(r"^/v2/email/identities/?$"), "CreateEmailIdentity"),
    ("GET", re.compile(r"^/v2/email/identities/?$"), "ListEmailIdentities"),
)


@dataclass(frozen=True, slots=True)
class Action:
    """One request's service (its IAM prefix), operation and protocol."""

    service: str
    """``cognito-idp``, ``logs``, ``sns`` or ``ses``."""
    operation: str
    protocol: str
    """``json``, ``query`` or ``rest-json``: how errors must be shaped."""

    @property
    def iam_action(self) -> str:
        """``ses:GetAccount``."""
        return f"{self.service}:{self.operation}"


def signing_scope(environ: dict[str, Any]) -> tuple[str | None, str | None, str | None]:
    """(access key id, region, service) from a SigV4 ``Authorization`` header."""
    found = _CREDENTIAL_RE.search(str(environ.get("HTTP_AUTHORIZATION") or ""))
    if found is None:
        return None, None, None
    return found.group(1), found.group(2), found.group(3)


def form_body(environ: dict[str, Any]) -> dict[str, str]:
    """A small form body's fields; the body is put back for whoever reads it next."""
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if not 0 < length <= _MAX_FORM:
        return {}
    raw = environ["wsgi.input"].read(length)
    environ["wsgi.input"] = io.BytesIO(raw)
    try:
        fields = parse_qs(raw.decode("utf-8"), keep_blank_values=True)
    except UnicodeDecodeError:
        return {}
    return {key: values[0] for key, values in fields.items() if values}


def request_action(environ: dict[str, Any]) -> Action | None:
    """The request's action, or None when it is none of the services the sandbox serves."""
    target = str(environ.get("HTTP_X_AMZ_TARGET") or "")
    prefix, _dot, operation = target.partition(".")
    if prefix == "AWSCognitoIdentityProviderService" and operation:
        return Action("cognito-idp", operation, "json")
    if prefix == "Logs_20140328" and operation:
        return Action("logs", operation, "json")
    path = str(environ.get("PATH_INFO") or "")
    method = str(environ.get("REQUEST_METHOD") or "")
    if path.startswith("/v2/email/"):
        for route_method, pattern, name in _SESV2_ROUTES:
            if method == route_method and pattern.match(path):
                return Action("ses", name, "rest-json")
        return Action("ses", "Unknown", "rest-json")
    _key, _region, service = signing_scope(environ)
    if service == "sns" and method == "POST":
        name = form_body(environ).get("Action", "")
        return Action("sns", name or "Unknown", "query")
    return None
