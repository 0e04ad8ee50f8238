"""The sandbox's IAM-denial emulation, called as a WSGI app (no server)."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest

from console.sandbox.denials import DENIED_ACCESS_KEY_ID, DenyingApp, access_key_id, with_denials

AUTH = (
    "AWS4-HMAC-SHA256 Credential={key}/20250131/eu-west-1/cognito-idp/aws4_request, "
    "SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=abc123"
)


def environ(operation: str, key: str | None, body: dict[str, Any] | None = None) -> dict[str, Any]:
    raw = json.dumps(body or {}).encode()
    env: dict[str, Any] = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/",
        "HTTP_X_AMZ_TARGET": f"AWSCognitoIdentityProviderService.{operation}",
        "CONTENT_LENGTH": str(len(raw)),
        "wsgi.input": io.BytesIO(raw),
    }
    if key is not None:
        env["HTTP_AUTHORIZATION"] = AUTH.format(key=key)
    return env


class Recorder:
    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        self.calls += 1
        start_response("200 OK", [("Content-Type", "application/x-amz-json-1.1")])
        return [b"{}"]


def call(app: DenyingApp, env: dict[str, Any]) -> tuple[str, dict[str, str], bytes]:
    seen: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]]) -> None:
        seen["status"], seen["headers"] = status, dict(headers)

    body = b"".join(app(env, start_response))
    return seen["status"], seen["headers"], body


def test_access_key_id_from_the_authorization_header() -> None:
    assert access_key_id(AUTH.format(key="AKIDX")) == ("AKIDX", "eu-west-1")
    assert access_key_id("") == (None, None)
    assert access_key_id("Bearer token") == (None, None)


@pytest.mark.parametrize(
    "operation", ["ListUsers", "AdminGetUser", "DescribeUserPool", "DescribeUserPoolClient"]
)
def test_denied_key_gets_access_denied(operation: str) -> None:
    inner = Recorder()
    app = with_denials(inner)
    status, headers, body = call(
        app, environ(operation, DENIED_ACCESS_KEY_ID, {"UserPoolId": "eu-west-1_Pool1"})
    )
    assert inner.calls == 0
    assert status == "400 Bad Request"
    assert headers["Content-Type"] == "application/x-amz-json-1.1"
    assert headers["x-amzn-RequestId"]
    payload = json.loads(body)
    assert payload["__type"] == "AccessDeniedException"
    assert payload["message"].startswith(
        "User: arn:aws:iam::123456789012:user/helpdesk is not authorized to perform: "
        f"cognito-idp:{operation} on resource: "
        "arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_Pool1"
    )


@pytest.mark.parametrize(
    ("operation", "key"),
    [
        ("ListUsers", "AKIDALLOWED"),
        ("ListUsers", None),  # unsigned
        ("ResendConfirmationCode", DENIED_ACCESS_KEY_ID),  # not an admin read
        ("AdminCreateUser", DENIED_ACCESS_KEY_ID),
    ],
)
def test_everything_else_passes_through(operation: str, key: str | None) -> None:
    inner = Recorder()
    status, _, body = call(with_denials(inner), environ(operation, key))
    assert inner.calls == 1 and status == "200 OK" and body == b"{}"


def test_a_hostile_pool_id_is_not_echoed() -> None:
    app = DenyingApp(Recorder(), operations=frozenset({"ListUsers"}))
    _, _, body = call(app, environ("ListUsers", DENIED_ACCESS_KEY_ID, {"UserPoolId": "x\x1b[2J_1"}))
    assert "userpool/*" in json.loads(body)["message"]
