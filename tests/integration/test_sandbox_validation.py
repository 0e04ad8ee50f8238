"""Parameter checks of the sandbox's ResendConfirmationCode, over real HTTP.

Values outside the service model's lengths and patterns get Cognito's
InvalidParameterException naming the member; bodies botocore would never send
(bad JSON, wrong types, missing members) get Cognito-shaped errors too.
"""

from __future__ import annotations

import json
import urllib.request
import uuid
from typing import Any

import pytest
from botocore.exceptions import ClientError

from console.sandbox import Sandbox

PATTERN_USERNAME = r"[\p{L}\p{M}\p{S}\p{N}\p{P}]+"


def _resend_error(cognito: Any, **params: Any) -> tuple[str, str]:
    with pytest.raises(ClientError) as excinfo:
        cognito.resend_confirmation_code(**params)
    response = excinfo.value.response
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert uuid.UUID(response["ResponseMetadata"]["RequestId"])
    return response["Error"]["Code"], response["Error"]["Message"]


def _post_raw(sandbox: Sandbox, body: bytes) -> tuple[int, dict[str, Any], str]:
    request = urllib.request.Request(  # noqa: S310 - the sandbox's http URL
        sandbox.info.endpoint_url + "/",
        data=body,
        headers={
            "Content-Type": "application/x-amz-json-1.1",
            "X-Amz-Target": "AWSCognitoIdentityProviderService.ResendConfirmationCode",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310 - loopback
            return answer.status, json.loads(answer.read()), answer.headers["x-amzn-RequestId"]
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read()), error.headers["x-amzn-RequestId"]


# -- parameter validation -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (
            {"Username": "alice smith"},
            "1 validation error detected: Value at 'username' failed to satisfy constraint: "
            f"Member must satisfy regular expression pattern: {PATTERN_USERNAME}",
        ),
        (
            {"Username": "x" * 129},
            "1 validation error detected: Value at 'username' failed to satisfy constraint: "
            "Member must have length less than or equal to 128",
        ),
        (
            {"ClientId": "abc-def"},
            "1 validation error detected: Value at 'clientId' failed to satisfy constraint: "
            r"Member must satisfy regular expression pattern: [\w+]+",
        ),
        (
            {"SecretHash": "not a hash!"},
            "1 validation error detected: Value at 'secretHash' failed to satisfy constraint: "
            r"Member must satisfy regular expression pattern: [\w+=/]+",
        ),
        (
            {"AnalyticsMetadata": {"AnalyticsEndpointId": "e" * 131073}},
            "1 validation error detected: Value at 'analyticsMetadata.analyticsEndpointId' "
            "failed to satisfy constraint: Member must have length less than or equal to 131072",
        ),
        (
            {"ClientMetadata": {"k": "v" * 131073}},
            "1 validation error detected: Value at 'clientMetadata' failed to satisfy "
            "constraint: Map value must satisfy constraint: [Member must have length less "
            "than or equal to 131072, Member must have length greater than or equal to 0]",
        ),
        (
            {"UserContextData": {"EncodedData": "d" * 131073}},
            "1 validation error detected: Value at 'userContextData.encodedData' failed to "
            "satisfy constraint: Member must have length less than or equal to 131072",
        ),
    ],
    ids=["username-space", "username-long", "clientid", "secrethash", "analytics", "meta", "ctx"],
)
def test_out_of_model_parameters_name_the_member(
    sandbox: Sandbox, cognito: Any, params: dict[str, Any], message: str
) -> None:
    request = {"ClientId": sandbox.info.client("public").client_id, "Username": "alice"}
    request.update(params)
    assert _resend_error(cognito, **request) == ("InvalidParameterException", message)


def test_several_violations_are_counted(cognito: Any) -> None:
    code, message = _resend_error(cognito, ClientId="a" * 129, Username="tab\there")
    assert code == "InvalidParameterException"
    assert message.startswith("2 validation errors detected: Value at 'clientId'")
    assert "; Value at 'username' failed" in message


def test_raw_bodies_get_cognito_shaped_errors(sandbox: Sandbox) -> None:
    status, body, request_id = _post_raw(sandbox, b"{not json")
    assert status == 400
    assert body["__type"] == "SerializationException"
    assert uuid.UUID(request_id)
    status, body, _ = _post_raw(sandbox, b'{"ClientId": 5, "Username": "alice"}')
    assert (status, body["__type"]) == (400, "SerializationException")
    status, body, _ = _post_raw(sandbox, b"{}")
    assert (status, body["__type"]) == (400, "InvalidParameterException")
    assert body["message"] == (
        "2 validation errors detected: Value null at 'clientId' failed to satisfy constraint: "
        "Member must not be null; Value null at 'username' failed to satisfy constraint: "
        "Member must not be null"
    )
