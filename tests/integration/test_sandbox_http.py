"""The HTTP layer a browser and an SDK meet, over real HTTP: CORS, JSON errors, no HTML.

Raw requests (urllib) prove the headers a browser sees; boto3 proves that the
SDK reads the same answers as Cognito's modeled errors.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
import uuid
from typing import Any

import pytest
from botocore.exceptions import ClientError

from console.sandbox import Sandbox

TARGET = "AWSCognitoIdentityProviderService."
JSON_TYPE = "application/x-amz-json-1.1"
EXPOSED = {"x-amzn-requestid", "x-amzn-errortype", "x-amzn-errormessage"}


def _call(
    sandbox: Sandbox,
    *,
    method: str = "POST",
    body: bytes | None = b"{}",
    headers: dict[str, str] | None = None,
    path: str = "/",
) -> tuple[int, Any, bytes]:
    request = urllib.request.Request(  # noqa: S310 - the sandbox's loopback URL
        sandbox.info.endpoint_url + path, data=body, method=method, headers=headers or {}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310
            return answer.status, answer.headers, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def _post(sandbox: Sandbox, operation: str | None, body: bytes) -> tuple[int, Any, Any]:
    headers = {"Content-Type": JSON_TYPE, "Origin": "http://localhost:5173"}
    if operation is not None:
        headers["X-Amz-Target"] = TARGET + operation
    status, answer_headers, raw = _call(sandbox, body=body, headers=headers)
    return status, answer_headers, json.loads(raw)


def _assert_cognito_shaped(headers: Any) -> None:
    assert headers["Content-Type"] == JSON_TYPE
    assert uuid.UUID(headers["x-amzn-RequestId"])
    assert headers["Access-Control-Allow-Origin"] == "*"
    exposed = {h.strip().lower() for h in headers["Access-Control-Expose-Headers"].split(",")}
    assert exposed >= EXPOSED


def _assert_error(status: int, headers: Any, body: Any, code: str) -> None:
    assert (status, body["__type"]) == (400, code)
    assert isinstance(body["message"], str)
    assert headers["x-amzn-ErrorType"].split(":", 1)[0] == code
    _assert_cognito_shaped(headers)


# -- the preflight ------------------------------------------------------------------------


@pytest.mark.parametrize("origin", ["http://localhost:5173", "https://app.example.org", "null"])
def test_a_preflight_from_any_origin_is_allowed(sandbox: Sandbox, origin: str) -> None:
    asked = "content-type,x-amz-target,x-amz-user-agent,cache-control,amz-sdk-request"
    status, headers, body = _call(
        sandbox,
        method="OPTIONS",
        body=None,
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": asked,
        },
    )
    assert 200 <= status < 300
    assert body == b""
    assert headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in headers["Access-Control-Allow-Methods"]
    allowed = {h.strip().lower() for h in headers["Access-Control-Allow-Headers"].split(",")}
    assert allowed >= {
        "x-amz-target",
        "x-amz-user-agent",
        "content-type",
        "cache-control",
        "authorization",
        "x-amz-date",
        "x-amz-security-token",
        "amz-sdk-invocation-id",
        "amz-sdk-request",
    }


def test_a_preflight_never_echoes_a_malformed_header_name(sandbox: Sandbox) -> None:
    status, headers, _ = _call(
        sandbox,
        method="OPTIONS",
        body=None,
        headers={"Origin": "http://x", "Access-Control-Request-Headers": "x-ok, bad name:1"},
    )
    assert status == 200
    allowed = {h.strip() for h in headers["Access-Control-Allow-Headers"].split(",")}
    assert "x-ok" in allowed
    assert not any(" " in h or ":" in h for h in allowed)


# -- every answer, ours and moto's ---------------------------------------------------------


def test_our_answers_carry_cors(sandbox: Sandbox) -> None:
    body = json.dumps(
        {"ClientId": sandbox.info.client("public").client_id, "Username": "alice"}
    ).encode()
    status, headers, payload = _post(sandbox, "ResendConfirmationCode", body)
    assert status == 200
    assert payload["CodeDeliveryDetails"]["DeliveryMedium"] == "EMAIL"
    _assert_cognito_shaped(headers)
    assert "x-amzn-ErrorType" not in headers


def test_our_errors_carry_cors_and_the_error_type(sandbox: Sandbox) -> None:
    body = json.dumps({"ClientId": sandbox.info.client("public").client_id, "Username": "carol"})
    status, headers, payload = _post(sandbox, "ResendConfirmationCode", body.encode())
    _assert_error(status, headers, payload, "InvalidParameterException")
    assert headers["x-amzn-ErrorMessage"] == "User is already confirmed."


def test_moto_answers_are_cognito_shaped(sandbox: Sandbox) -> None:
    body = json.dumps({"UserPoolId": sandbox.info.user_pool_id}).encode()
    status, headers, payload = _post(sandbox, "DescribeUserPool", body)
    assert status == 200
    assert payload["UserPool"]["Id"] == sandbox.info.user_pool_id
    _assert_cognito_shaped(headers)
    assert headers.get_all("Access-Control-Allow-Origin") == ["*"]  # moto's own copy dropped


def test_moto_errors_are_cognito_shaped(sandbox: Sandbox) -> None:
    body = json.dumps({"UserPoolId": "us-east-1_doesnotexist"}).encode()
    status, headers, payload = _post(sandbox, "DescribeUserPool", body)
    _assert_error(status, headers, payload, "ResourceNotFoundException")


def test_boto3_reads_moto_answers_with_uuid_request_ids(sandbox: Sandbox, admin_for: Any) -> None:
    admin = admin_for(sandbox)
    answer = admin.describe_user_pool(UserPoolId=sandbox.info.user_pool_id)
    assert uuid.UUID(answer["ResponseMetadata"]["RequestId"])
    assert answer["ResponseMetadata"]["HTTPHeaders"]["access-control-allow-origin"] == "*"
    with pytest.raises(ClientError) as excinfo:
        admin.describe_user_pool(UserPoolId="us-east-1_doesnotexist")
    error = excinfo.value.response
    assert error["Error"]["Code"] == "ResourceNotFoundException"
    assert uuid.UUID(error["ResponseMetadata"]["RequestId"])
    assert error["ResponseMetadata"]["HTTPHeaders"]["x-amzn-errortype"].startswith(
        "ResourceNotFoundException"
    )


# -- bodies and targets a client should not send ---------------------------------------------


@pytest.mark.parametrize(
    ("operation", "body"),
    [
        ("SignUp", b"{not json"),
        ("ListUsers", b"\xff\xfe"),
        ("ListUsers", b"[1, 2]"),
        ("ListUsers", b'{"UserPoolId": 5}'),
        ("ListUsers", b'{"UserPoolId": "us-east-1_x", "Limit": "ten"}'),
        ("SignUp", b'{"ClientId": "c", "Username": "u", "UserAttributes": {"email": "x"}}'),
        ("SignUp", b'{"ClientId": "c", "Username": "u", "UserAttributes": [{"Name": 1}]}'),
        ("ConfirmSignUp", b'{"ClientId": "c", "Username": "u", "ForceAliasCreation": "yes"}'),
        ("ResendConfirmationCode", b"{not json"),
    ],
)
def test_a_body_of_the_wrong_shape_is_a_serialization_error(
    sandbox: Sandbox, operation: str, body: bytes
) -> None:
    status, headers, payload = _post(sandbox, operation, body)
    _assert_error(status, headers, payload, "SerializationException")


@pytest.mark.parametrize(
    "target",
    [
        TARGET + "NoSuchOperation",
        "DynamoDB_20120810.ListTables",
        "AWSCognitoIdentityProviderService",
        "garbage",
    ],
)
def test_an_unknown_target_is_unknown_operation(sandbox: Sandbox, target: str) -> None:
    status, headers, raw = _call(
        sandbox, body=b"{}", headers={"Content-Type": JSON_TYPE, "X-Amz-Target": target}
    )
    _assert_error(status, headers, json.loads(raw), "UnknownOperationException")


def test_boto3_sees_an_unknown_operation_as_its_error_code(sandbox: Sandbox, cognito: Any) -> None:
    def rename(request: Any, **_: Any) -> None:
        request.headers["X-Amz-Target"] = TARGET + "NoSuchOperation"

    cognito.meta.events.register("before-send.cognito-idp.ResendConfirmationCode", rename)
    with pytest.raises(ClientError) as excinfo:
        cognito.resend_confirmation_code(ClientId="abc", Username="alice")
    assert excinfo.value.response["Error"]["Code"] == "UnknownOperationException"
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


@pytest.mark.parametrize(("method", "body"), [("POST", b"{}"), ("POST", b""), ("GET", None)])
def test_no_target_is_a_json_400(sandbox: Sandbox, method: str, body: bytes | None) -> None:
    status, headers, raw = _call(sandbox, method=method, body=body)
    _assert_error(status, headers, json.loads(raw), "UnknownOperationException")


def test_a_known_operation_by_get_is_refused_in_json(sandbox: Sandbox) -> None:
    status, headers, raw = _call(
        sandbox, method="GET", body=None, headers={"X-Amz-Target": TARGET + "ListUserPools"}
    )
    _assert_error(status, headers, json.loads(raw), "UnknownOperationException")


def test_an_operation_moto_lacks_is_a_json_internal_error(sandbox: Sandbox, admin_for: Any) -> None:
    status, headers, raw = _call(
        sandbox,
        body=json.dumps({"UserPoolId": sandbox.info.user_pool_id}).encode(),
        headers={"Content-Type": JSON_TYPE, "X-Amz-Target": TARGET + "DescribeRiskConfiguration"},
    )
    payload = json.loads(raw)
    assert (status, payload["__type"]) == (500, "InternalErrorException")
    assert "DescribeRiskConfiguration" in payload["message"]
    _assert_cognito_shaped(headers)
    with pytest.raises(ClientError) as excinfo:
        admin_for(sandbox).describe_risk_configuration(UserPoolId=sandbox.info.user_pool_id)
    assert excinfo.value.response["Error"]["Code"] == "InternalErrorException"


@pytest.mark.parametrize("path", ["/", "/favicon.ico", "/some/page", "/_sandbox/nope"])
def test_no_html_ever_comes_back(sandbox: Sandbox, path: str) -> None:
    for method in ("GET", "POST", "PUT", "DELETE"):
        status, headers, raw = _call(
            sandbox, method=method, path=path, body=None if method == "GET" else b"x"
        )
        assert status >= 400, (method, path)
        assert headers["Content-Type"] == JSON_TYPE, (method, path)
        assert isinstance(json.loads(raw)["__type"], str)
        assert headers["Access-Control-Allow-Origin"] == "*"
