"""AdminCreateUser's invitation over real HTTP: the temporary password lands in the outbox.

boto3 (signed, dummy keys) for the SDK's view, raw urllib for the wire.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError

from console.sandbox import Sandbox, start_sandbox
from tests.helpers.triggers import TriggerCopy

INVITE = "Your username is {user} and temporary password is {password}. "


def _name() -> str:
    return f"i-{uuid.uuid4().hex[:10]}"


def _deliveries(sandbox: Sandbox, user: str) -> list[dict[str, Any]]:
    return [d for d in sandbox.outbox() if d["user"] == user]


def _create(admin: Any, sandbox: Sandbox, user: str, **extra: Any) -> dict[str, Any]:
    attributes = extra.pop("attributes", {"email": f"{user}@example.com"})
    answer: dict[str, Any] = admin.admin_create_user(
        UserPoolId=sandbox.info.user_pool_id,
        Username=user,
        UserAttributes=[{"Name": k, "Value": v} for k, v in attributes.items()],
        **extra,
    )
    return answer


def test_the_invitation_carries_the_temporary_password(
    sandbox: Sandbox, admin_for: Callable[..., Any], cognito: Any
) -> None:
    user = _name()
    answer = _create(admin_for(sandbox), sandbox, user)
    assert answer["User"]["UserStatus"] == "FORCE_CHANGE_PASSWORD"
    [delivery] = _deliveries(sandbox, user)
    password = delivery["code"]
    assert (delivery["medium"], delivery["destination"]) == ("EMAIL", f"{user}@example.com")
    assert delivery["subject"] == "Your temporary password"
    # moto's pools carry Cognito's template, trailing space included.
    assert delivery["body"] == INVITE.format(user=user, password=password)
    assert delivery["client_id"] == "CLIENT_ID_NOT_APPLICABLE"
    # The temporary password from the outbox signs in, as Cognito's would.
    challenge = cognito.initiate_auth(
        ClientId=sandbox.info.client("public").client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": user, "PASSWORD": password},
    )
    assert challenge["ChallengeName"] == "NEW_PASSWORD_REQUIRED"


def test_suppress_sends_nothing(sandbox: Sandbox, admin_for: Callable[..., Any]) -> None:
    user = _name()
    _create(admin_for(sandbox), sandbox, user, MessageAction="SUPPRESS")
    assert _deliveries(sandbox, user) == []


def test_desired_delivery_mediums(sandbox: Sandbox, admin_for: Callable[..., Any]) -> None:
    user = _name()
    _create(
        admin_for(sandbox),
        sandbox,
        user,
        attributes={"email": f"{user}@example.com", "phone_number": "+447700900123"},
        DesiredDeliveryMediums=["EMAIL", "SMS"],
        TemporaryPassword="Temp-Passw0rd!",
    )
    deliveries = _deliveries(sandbox, user)
    assert [(d["medium"], d["subject"]) for d in deliveries] == [
        ("EMAIL", "Your temporary password"),
        ("SMS", None),
    ]
    assert {d["code"] for d in deliveries} == {"Temp-Passw0rd!"}


def test_a_weak_temporary_password_is_refused(
    sandbox: Sandbox, admin_for: Callable[..., Any]
) -> None:
    user = _name()
    with pytest.raises(ClientError) as excinfo:
        _create(admin_for(sandbox), sandbox, user, TemporaryPassword="weak")
    error = excinfo.value.response["Error"]
    assert (error["Code"], error["Message"]) == (
        "InvalidPasswordException",
        "Password did not conform with policy: Password not long enough",
    )


def test_resend_sends_a_new_temporary_password(
    sandbox: Sandbox, admin_for: Callable[..., Any]
) -> None:
    admin = admin_for(sandbox)
    user = _name()
    first = _create(admin, sandbox, user)["User"]
    again = admin.admin_create_user(
        UserPoolId=sandbox.info.user_pool_id, Username=user, MessageAction="RESEND"
    )["User"]
    assert again["Username"] == user
    assert again["UserStatus"] == "FORCE_CHANGE_PASSWORD"
    assert again["Attributes"] == first["Attributes"]  # the same user, sub included
    old, new = _deliveries(sandbox, user)
    assert old["code"] != new["code"]
    assert new["destination"] == f"{user}@example.com"
    with pytest.raises(ClientError) as excinfo:
        admin.admin_create_user(
            UserPoolId=sandbox.info.user_pool_id, Username="carol", MessageAction="RESEND"
        )
    assert excinfo.value.response["Error"]["Code"] == "UnsupportedUserStateException"
    with pytest.raises(ClientError) as excinfo:
        admin.admin_create_user(
            UserPoolId=sandbox.info.user_pool_id, Username="nobody-here", MessageAction="RESEND"
        )
    assert excinfo.value.response["Error"]["Code"] == "UserNotFoundException"


def test_the_trigger_writes_the_invitation(tmp_path: Path, admin_for: Callable[..., Any]) -> None:
    trigger = TriggerCopy("python", tmp_path)
    with start_sandbox(
        custom_message_trigger=trigger.spec, trigger_env_file=str(trigger.env_file)
    ) as running:
        user = _name()
        _create(admin_for(running), running, user)
        [delivery] = running.outbox()
    event = trigger.seen(user)["event"]
    assert event["triggerSource"] == "CustomMessage_AdminCreateUser"
    assert event["request"]["usernameParameter"] == "{username}"
    assert event["callerContext"]["clientId"] == "CLIENT_ID_NOT_APPLICABLE"
    assert delivery["trigger"] is True
    assert delivery["body"] == (
        f"Hello from Python {user}, your code is {delivery['code']}. User: {user}"
    )


def test_the_invitation_over_raw_http(sandbox: Sandbox) -> None:
    user = _name()

    def post(body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        request = urllib.request.Request(  # noqa: S310 - the sandbox's loopback URL
            sandbox.info.endpoint_url + "/",
            data=json.dumps(body).encode(),
            headers={
                "Content-Type": "application/x-amz-json-1.1",
                "X-Amz-Target": "AWSCognitoIdentityProviderService.AdminCreateUser",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310
                assert uuid.UUID(answer.headers["x-amzn-RequestId"])
                return answer.status, json.loads(answer.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())

    status, answer = post(
        {
            "UserPoolId": sandbox.info.user_pool_id,
            "Username": user,
            "UserAttributes": [{"Name": "phone_number", "Value": "+15555550142"}],
        }
    )
    assert status == 200
    assert answer["User"]["Username"] == user
    with urllib.request.urlopen(  # noqa: S310 - loopback
        sandbox.info.endpoint_url + "/_sandbox/outbox", timeout=10
    ) as outbox:
        [delivery] = [d for d in json.loads(outbox.read())["deliveries"] if d["user"] == user]
    assert (delivery["medium"], delivery["destination"]) == ("SMS", "+15555550142")
    assert delivery["code"] in delivery["body"]
    status, answer = post({"UserPoolId": "us-east-1_nope", "Username": user})
    assert (status, answer["__type"]) == (400, "ResourceNotFoundException")


def test_a_body_without_the_pool_gets_the_models_message(sandbox: Sandbox) -> None:
    request = urllib.request.Request(  # noqa: S310 - the sandbox's loopback URL
        sandbox.info.endpoint_url + "/",
        data=json.dumps({"Username": "x"}).encode(),
        headers={
            "Content-Type": "application/x-amz-json-1.1",
            "X-Amz-Target": "AWSCognitoIdentityProviderService.AdminCreateUser",
        },
    )
    with pytest.raises(urllib.error.HTTPError) as excinfo:
        urllib.request.urlopen(request, timeout=10)  # noqa: S310
    answer = json.loads(excinfo.value.read())
    assert excinfo.value.code == 400
    assert answer["__type"] == "InvalidParameterException"
    assert "userPoolId" in answer["message"]
    assert "\n" not in answer["message"]
