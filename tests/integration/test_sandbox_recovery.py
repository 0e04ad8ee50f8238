"""ForgotPassword and ConfirmForgotPassword over real HTTP: the outbox code resets the password.

boto3 for the SDK's view (modeled errors by code AND message), raw urllib for
the wire. One sandbox has an injected clock, so reset codes expire without waiting.
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

from console.sandbox import Sandbox, start_sandbox
from console.sandbox.codes import MAX_FAILED_ATTEMPTS
from console.sandbox.resend import secret_hash
from tests.helpers.cognito_answers import cognito_error, last_code
from tests.helpers.triggers import TriggerCopy

NEW_PASSWORD = "N3w-Passw0rd!"
MISMATCH = ("CodeMismatchException", "Invalid verification code provided, please try again.")
EXPIRED = ("ExpiredCodeException", "Invalid code provided, please request a code again.")
NO_DESTINATION = (
    "InvalidParameterException",
    "Cannot reset password for the user as there is no registered/verified email or phone_number",
)


def _sign_in(cognito: Any, client_id: str, user: str, password: str) -> dict[str, Any]:
    answer: dict[str, Any] = cognito.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": user, "PASSWORD": password},
    )
    return answer


def test_forgot_read_the_code_reset_sign_in(
    sandbox: Sandbox, cognito: Any, fresh_user: Callable[..., str]
) -> None:
    user = fresh_user(confirmed=True)
    client_id = sandbox.info.client("public").client_id
    answer = cognito.forgot_password(ClientId=client_id, Username=user)
    assert answer["CodeDeliveryDetails"] == {
        "Destination": f"{user[0]}***@e***.com",
        "DeliveryMedium": "EMAIL",
        "AttributeName": "email",
    }
    [delivery] = [d for d in sandbox.outbox() if d["user"] == user]
    assert (delivery["medium"], delivery["destination"]) == ("EMAIL", f"{user}@example.com")
    code = delivery["code"]
    assert code in delivery["body"]
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    confirm = {"ClientId": client_id, "Username": user}
    assert (
        cognito_error(
            lambda: cognito.confirm_forgot_password(
                **confirm, ConfirmationCode=wrong, Password=NEW_PASSWORD
            )
        )
        == MISMATCH
    )
    assert cognito_error(
        lambda: cognito.confirm_forgot_password(
            **confirm, ConfirmationCode=code, Password="weakpassword"
        )
    ) == (
        "InvalidPasswordException",
        "Password did not conform with policy: Password must have uppercase characters",
    )
    cognito.confirm_forgot_password(**confirm, ConfirmationCode=code, Password=NEW_PASSWORD)
    tokens = _sign_in(cognito, client_id, user, NEW_PASSWORD)["AuthenticationResult"]
    assert tokens["AccessToken"]
    assert cognito_error(lambda: _sign_in(cognito, client_id, user, "Not-the-0ne!"))[0] == (
        "NotAuthorizedException"
    )
    # A code resets once.
    assert (
        cognito_error(
            lambda: cognito.confirm_forgot_password(
                **confirm, ConfirmationCode=code, Password=NEW_PASSWORD
            )
        )
        == MISMATCH
    )


def test_both_verified_goes_by_sms(sandbox: Sandbox, cognito: Any) -> None:
    user = f"r-{uuid.uuid4().hex[:10]}"
    sandbox.add_user(
        user, email=f"{user}@example.org", phone_number="+447700900123", confirmed=True
    )
    answer = cognito.forgot_password(
        ClientId=sandbox.info.client("public").client_id, Username=user
    )
    assert answer["CodeDeliveryDetails"] == {
        "Destination": "+********0123",
        "DeliveryMedium": "SMS",
        "AttributeName": "phone_number",
    }
    assert sandbox.outbox()[-1]["destination"] == "+447700900123"


def test_an_unverified_user_cannot_reset(
    sandbox: Sandbox, cognito: Any, fresh_user: Callable[..., str]
) -> None:
    user = fresh_user()  # UNCONFIRMED, email_verified false
    before = len(sandbox.outbox())
    assert (
        cognito_error(
            lambda: cognito.forgot_password(
                ClientId=sandbox.info.client("public").client_id, Username=user
            )
        )
        == NO_DESTINATION
    )
    assert len(sandbox.outbox()) == before


def test_an_admin_created_user_cannot_reset(sandbox: Sandbox, cognito: Any, admin_for: Any) -> None:
    user = f"inv-{uuid.uuid4().hex[:10]}"
    admin_for(sandbox).admin_create_user(
        UserPoolId=sandbox.info.user_pool_id,
        Username=user,
        MessageAction="SUPPRESS",
        UserAttributes=[
            {"Name": "email", "Value": f"{user}@example.com"},
            {"Name": "email_verified", "Value": "true"},
        ],
    )
    assert cognito_error(
        lambda: cognito.forgot_password(
            ClientId=sandbox.info.client("public").client_id, Username=user
        )
    ) == ("NotAuthorizedException", "User password cannot be reset in the current state.")


def test_unknown_and_disabled_users(
    sandbox: Sandbox, cognito: Any, fresh_user: Callable[..., str]
) -> None:
    public = sandbox.info.client("public").client_id
    assert cognito_error(
        lambda: cognito.forgot_password(ClientId=public, Username="nobody-here")
    ) == (
        "UserNotFoundException",
        "Username/client id combination not found.",
    )
    assert cognito_error(
        lambda: cognito.confirm_forgot_password(
            ClientId=public,
            Username="nobody-here",
            ConfirmationCode="123456",
            Password=NEW_PASSWORD,
        )
    ) == ("UserNotFoundException", "Username/client id combination not found.")
    disabled = fresh_user(confirmed=True, enabled=False)
    assert cognito_error(lambda: cognito.forgot_password(ClientId=public, Username=disabled)) == (
        "NotAuthorizedException",
        "User is disabled.",
    )
    confidential = sandbox.info.client("confidential")
    assert confidential.client_secret is not None
    secret = confidential.client_secret
    before = len(sandbox.outbox())
    for name in ("nobody-here", disabled):
        hashed = secret_hash(name, confidential.client_id, secret)
        answer = cognito.forgot_password(
            ClientId=confidential.client_id, Username=name, SecretHash=hashed
        )
        assert answer["CodeDeliveryDetails"]["DeliveryMedium"] in {"EMAIL", "SMS"}
        assert name in [s["username"] for s in sandbox.simulated()]
        assert (
            cognito_error(
                lambda name=name, hashed=hashed: cognito.confirm_forgot_password(
                    ClientId=confidential.client_id,
                    Username=name,
                    SecretHash=hashed,
                    ConfirmationCode="123456",
                    Password=NEW_PASSWORD,
                )
            )
            == MISMATCH
        )
    assert len(sandbox.outbox()) == before


@pytest.mark.parametrize("operation", ["forgot_password", "confirm_forgot_password"])
def test_secret_hash_is_required_and_checked(
    sandbox: Sandbox, cognito: Any, operation: str
) -> None:
    confidential = sandbox.info.client("confidential")
    user = "carol"
    params: dict[str, Any] = {"ClientId": confidential.client_id, "Username": user}
    if operation == "confirm_forgot_password":
        params.update(ConfirmationCode="123456", Password=NEW_PASSWORD)
    call = getattr(cognito, operation)
    assert cognito_error(lambda: call(**params)) == (
        "NotAuthorizedException",
        f"Client {confidential.client_id} is configured with secret but SECRET_HASH was not "
        "received",
    )
    wrong = secret_hash(user, confidential.client_id, "not-the-secret")
    assert cognito_error(lambda: call(**params, SecretHash=wrong)) == (
        "NotAuthorizedException",
        f"Unable to verify secret hash for client {confidential.client_id}",
    )


def test_the_confidential_reset_with_secret_hash(
    sandbox: Sandbox, cognito: Any, fresh_user: Callable[..., str]
) -> None:
    confidential = sandbox.info.client("confidential")
    assert confidential.client_secret is not None
    user = fresh_user(confirmed=True)
    right = secret_hash(user, confidential.client_id, confidential.client_secret)
    cognito.forgot_password(ClientId=confidential.client_id, Username=user, SecretHash=right)
    cognito.confirm_forgot_password(
        ClientId=confidential.client_id,
        Username=user,
        SecretHash=right,
        ConfirmationCode=last_code(sandbox, user),
        Password=NEW_PASSWORD,
    )


def test_repeated_wrong_codes_lock_until_a_new_code(
    sandbox: Sandbox, cognito: Any, fresh_user: Callable[..., str]
) -> None:
    user = fresh_user(confirmed=True)
    client_id = sandbox.info.client("public").client_id
    cognito.forgot_password(ClientId=client_id, Username=user)
    code = last_code(sandbox, user)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"

    def confirm(value: str) -> tuple[str, str]:
        return cognito_error(
            lambda: cognito.confirm_forgot_password(
                ClientId=client_id, Username=user, ConfirmationCode=value, Password=NEW_PASSWORD
            )
        )

    assert [confirm(wrong) for _ in range(MAX_FAILED_ATTEMPTS)] == [MISMATCH] * MAX_FAILED_ATTEMPTS
    assert confirm(code) == ("TooManyFailedAttemptsException", "Too many failed attempts.")
    cognito.forgot_password(ClientId=client_id, Username=user)
    assert confirm(code) == EXPIRED
    cognito.confirm_forgot_password(
        ClientId=client_id,
        Username=user,
        ConfirmationCode=last_code(sandbox, user),
        Password=NEW_PASSWORD,
    )


class Clock:
    def __init__(self) -> None:
        self.now = 2_000_000_000.0

    def __call__(self) -> float:
        return self.now


def test_a_reset_code_expires_after_an_hour(cognito_for: Callable[..., Any]) -> None:
    clock = Clock()
    with start_sandbox(clock=clock) as timed:
        client = cognito_for(timed)
        client_id = timed.info.client("public").client_id
        early, late = (f"t-{uuid.uuid4().hex[:8]}" for _ in range(2))
        for name in (early, late):
            timed.add_user(name, email=f"{name}@example.com", confirmed=True)
            client.forgot_password(ClientId=client_id, Username=name)
        clock.now += 3600 - 1
        client.confirm_forgot_password(
            ClientId=client_id,
            Username=early,
            ConfirmationCode=last_code(timed, early),
            Password=NEW_PASSWORD,
        )
        clock.now += 1
        assert (
            cognito_error(
                lambda: client.confirm_forgot_password(
                    ClientId=client_id,
                    Username=late,
                    ConfirmationCode=last_code(timed, late),
                    Password=NEW_PASSWORD,
                )
            )
            == EXPIRED
        )


def test_forgot_password_runs_the_custom_message_trigger(
    tmp_path: Path, cognito_for: Callable[..., Any]
) -> None:
    trigger = TriggerCopy("python", tmp_path)
    with start_sandbox(
        custom_message_trigger=trigger.spec, trigger_env_file=str(trigger.env_file)
    ) as running:
        cognito_for(running).forgot_password(
            ClientId=running.info.client("public").client_id,
            Username="carol",
            ClientMetadata={"lang": "en"},
        )
        [delivery] = running.outbox()
    event = trigger.seen("carol")["event"]
    assert event["triggerSource"] == "CustomMessage_ForgotPassword"
    assert event["request"]["clientMetadata"] == {"lang": "en"}
    assert event["request"]["userAttributes"]["email_verified"] == "true"
    assert delivery["trigger"] is True
    assert delivery["body"] == f"Hello from Python carol, your code is {delivery['code']}."


# -- raw HTTP ----------------------------------------------------------------------------------


def _post(sandbox: Sandbox, operation: str, body: object) -> tuple[int, dict[str, Any], Any]:
    request = urllib.request.Request(  # noqa: S310 - the sandbox's loopback URL
        sandbox.info.endpoint_url + "/",
        data=json.dumps(body).encode(),
        headers={
            "Content-Type": "application/x-amz-json-1.1",
            "X-Amz-Target": f"AWSCognitoIdentityProviderService.{operation}",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310
            assert answer.headers["Content-Type"] == "application/x-amz-json-1.1"
            return answer.status, json.loads(answer.read()), answer.headers
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read()), error.headers


def test_the_reset_over_raw_http(sandbox: Sandbox, fresh_user: Callable[..., str]) -> None:
    user = fresh_user(confirmed=True)
    client_id = sandbox.info.client("public").client_id
    status, answer, headers = _post(
        sandbox, "ForgotPassword", {"ClientId": client_id, "Username": user}
    )
    assert status == 200
    assert uuid.UUID(headers["x-amzn-RequestId"])
    assert answer["CodeDeliveryDetails"]["DeliveryMedium"] == "EMAIL"
    with urllib.request.urlopen(  # noqa: S310 - loopback
        sandbox.info.endpoint_url + "/_sandbox/outbox", timeout=10
    ) as outbox:
        deliveries = json.loads(outbox.read())["deliveries"]
    code = [d["code"] for d in deliveries if d["user"] == user][-1]
    confirm = {"ClientId": client_id, "Username": user, "Password": NEW_PASSWORD}
    wrong = "000000" if code != "000000" else "111111"
    status, answer, headers = _post(
        sandbox, "ConfirmForgotPassword", {**confirm, "ConfirmationCode": wrong}
    )
    assert (status, answer["__type"]) == (400, "CodeMismatchException")
    assert headers["x-amzn-ErrorType"] == "CodeMismatchException:"
    status, answer, _ = _post(sandbox, "ConfirmForgotPassword", {**confirm, "ConfirmationCode": 7})
    assert (status, answer["__type"]) == (400, "SerializationException")
    assert _post(sandbox, "ConfirmForgotPassword", {**confirm, "ConfirmationCode": code})[:2] == (
        200,
        {},
    )
    status, answer, _ = _post(
        sandbox,
        "InitiateAuth",
        {
            "ClientId": client_id,
            "AuthFlow": "USER_PASSWORD_AUTH",
            "AuthParameters": {"USERNAME": user, "PASSWORD": NEW_PASSWORD},
        },
    )
    assert status == 200
    assert answer["AuthenticationResult"]["AccessToken"]
