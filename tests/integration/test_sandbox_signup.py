"""The sign-up flow over real HTTP: SignUp, the code read from the outbox, ConfirmSignUp.

boto3 for the SDK's view (modeled errors by code AND message), raw urllib for
the wire. The clock of one sandbox is injected, so codes expire without waiting.
"""

from __future__ import annotations

import json
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from console.sandbox import Sandbox, start_sandbox
from console.sandbox.codes import MAX_FAILED_ATTEMPTS
from console.sandbox.resend import secret_hash
from tests.helpers.cognito_answers import cognito_error, last_code
from tests.helpers.triggers import TriggerCopy

PASSWORD = "Passw0rd!x"
MISMATCH = ("CodeMismatchException", "Invalid verification code provided, please try again.")
EXPIRED = ("ExpiredCodeException", "Invalid code provided, please request a code again.")


def _name(prefix: str = "s") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def _sign_up(sandbox: Sandbox, client: Any, user: str, **attributes: str) -> Any:
    return client.sign_up(
        ClientId=sandbox.info.client("public").client_id,
        Username=user,
        Password=PASSWORD,
        UserAttributes=[{"Name": k, "Value": v} for k, v in attributes.items()],
    )


def _status(sandbox: Sandbox, admin: Any, user: str) -> tuple[str, dict[str, str]]:
    got = admin.admin_get_user(UserPoolId=sandbox.info.user_pool_id, Username=user)
    return got["UserStatus"], {a["Name"]: a["Value"] for a in got["UserAttributes"]}


# -- the journey --------------------------------------------------------------------------------


def test_sign_up_read_the_code_confirm(sandbox: Sandbox, cognito: Any, admin_for: Any) -> None:
    user = _name()
    answer = _sign_up(sandbox, cognito, user, email="eve@example.org", phone_number="+447700900123")
    # Both attributes auto-verified: the code goes by SMS, masked as Cognito masks.
    assert answer["CodeDeliveryDetails"] == {
        "Destination": "+********0123",
        "DeliveryMedium": "SMS",
        "AttributeName": "phone_number",
    }
    assert answer["UserConfirmed"] is False
    admin = admin_for(sandbox)
    status, attributes = _status(sandbox, admin, user)
    assert status == "UNCONFIRMED"
    assert answer["UserSub"] == attributes["sub"]
    [delivery] = [d for d in sandbox.outbox() if d["user"] == user]
    assert (delivery["medium"], delivery["destination"]) == ("SMS", "+447700900123")
    assert delivery["code"] in delivery["body"]
    client_id = sandbox.info.client("public").client_id
    cognito.confirm_sign_up(ClientId=client_id, Username=user, ConfirmationCode=delivery["code"])
    status, attributes = _status(sandbox, admin, user)
    assert status == "CONFIRMED"
    assert attributes["phone_number_verified"] == "true"
    assert attributes.get("email_verified") != "true"
    assert cognito_error(
        lambda: cognito.confirm_sign_up(
            ClientId=client_id, Username=user, ConfirmationCode=delivery["code"]
        )
    ) == ("NotAuthorizedException", "User cannot be confirmed. Current status is CONFIRMED")


def test_an_email_only_user_gets_email_and_email_verified(
    sandbox: Sandbox, cognito: Any, admin_for: Any
) -> None:
    user = _name()
    answer = _sign_up(sandbox, cognito, user, email="eve@example.org")
    assert answer["CodeDeliveryDetails"] == {
        "Destination": "e***@e***.org",
        "DeliveryMedium": "EMAIL",
        "AttributeName": "email",
    }
    cognito.confirm_sign_up(
        ClientId=sandbox.info.client("public").client_id,
        Username=user,
        ConfirmationCode=last_code(sandbox, user),
    )
    assert _status(sandbox, admin_for(sandbox), user)[1]["email_verified"] == "true"


def test_the_journey_over_raw_http(sandbox: Sandbox) -> None:
    user = _name("raw")
    client_id = sandbox.info.client("public").client_id

    def post(operation: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
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
                assert uuid.UUID(answer.headers["x-amzn-RequestId"])
                return answer.status, json.loads(answer.read())
        except urllib.error.HTTPError as error:
            assert error.headers["x-amzn-ErrorType"].startswith(json.loads(error.read())["__type"])
            return error.code, {}

    status, answer = post(
        "SignUp",
        {
            "ClientId": client_id,
            "Username": user,
            "Password": PASSWORD,
            "UserAttributes": [{"Name": "email", "Value": f"{user}@example.com"}],
        },
    )
    assert status == 200
    assert answer["CodeDeliveryDetails"]["DeliveryMedium"] == "EMAIL"
    base = sandbox.info.endpoint_url
    with urllib.request.urlopen(base + "/_sandbox/outbox", timeout=10) as outbox:  # noqa: S310
        deliveries = json.loads(outbox.read())["deliveries"]
    code = [d["code"] for d in deliveries if d["user"] == user][-1]
    wrong = "000000" if code != "000000" else "111111"
    confirm = {"ClientId": client_id, "Username": user}
    assert post("ConfirmSignUp", {**confirm, "ConfirmationCode": wrong})[0] == 400
    assert post("ConfirmSignUp", {**confirm, "ConfirmationCode": code}) == (200, {})


# -- codes that mean something --------------------------------------------------------------------


def test_a_wrong_code_is_a_mismatch_and_repeated_ones_lock(sandbox: Sandbox, cognito: Any) -> None:
    user = _name()
    _sign_up(sandbox, cognito, user, email=f"{user}@example.com")
    code = last_code(sandbox, user)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    client_id = sandbox.info.client("public").client_id

    def confirm(value: str) -> tuple[str, str]:
        return cognito_error(
            lambda: cognito.confirm_sign_up(
                ClientId=client_id, Username=user, ConfirmationCode=value
            )
        )

    assert [confirm(wrong) for _ in range(MAX_FAILED_ATTEMPTS)] == [MISMATCH] * MAX_FAILED_ATTEMPTS
    assert confirm(code) == ("TooManyFailedAttemptsException", "Too many failed attempts.")
    # A new code lifts the lock; the replaced one no longer confirms.
    cognito.resend_confirmation_code(ClientId=client_id, Username=user)
    assert confirm(code) == EXPIRED
    cognito.confirm_sign_up(
        ClientId=client_id, Username=user, ConfirmationCode=last_code(sandbox, user)
    )


def test_a_seeded_user_never_sent_a_code_gets_a_mismatch(sandbox: Sandbox, cognito: Any) -> None:
    client_id = sandbox.info.client("public").client_id
    assert (
        cognito_error(
            lambda: cognito.confirm_sign_up(
                ClientId=client_id, Username="alice", ConfirmationCode="123456"
            )
        )
        == MISMATCH
    )


class Clock:
    def __init__(self) -> None:
        self.now = 2_000_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
def clock() -> Clock:
    return Clock()


@pytest.fixture(scope="module")
def timed(clock: Clock) -> Iterator[Sandbox]:
    with start_sandbox(clock=clock) as running:
        yield running


def test_a_code_expires_after_24_hours(
    timed: Sandbox, clock: Clock, cognito_for: Callable[..., Any]
) -> None:
    client = cognito_for(timed)
    client_id = timed.info.client("public").client_id
    early, late = _name(), _name()
    _sign_up(timed, client, early, email=f"{early}@example.com")
    _sign_up(timed, client, late, email=f"{late}@example.com")
    clock.now += 24 * 3600 - 1
    client.confirm_sign_up(
        ClientId=client_id, Username=early, ConfirmationCode=last_code(timed, early)
    )
    clock.now += 1
    assert (
        cognito_error(
            lambda: client.confirm_sign_up(
                ClientId=client_id, Username=late, ConfirmationCode=last_code(timed, late)
            )
        )
        == EXPIRED
    )
    client.resend_confirmation_code(ClientId=client_id, Username=late)
    client.confirm_sign_up(
        ClientId=client_id, Username=late, ConfirmationCode=last_code(timed, late)
    )


# -- users, clients and secrets -----------------------------------------------------------------


def test_unknown_user_on_confirm(sandbox: Sandbox, cognito: Any) -> None:
    public = sandbox.info.client("public")
    assert cognito_error(
        lambda: cognito.confirm_sign_up(
            ClientId=public.client_id, Username="nobody-here", ConfirmationCode="123456"
        )
    ) == ("UserNotFoundException", "Username/client id combination not found.")
    confidential = sandbox.info.client("confidential")
    assert confidential.client_secret is not None
    # PreventUserExistenceErrors: an unknown user looks like a wrong code.
    assert (
        cognito_error(
            lambda: cognito.confirm_sign_up(
                ClientId=confidential.client_id,
                Username="nobody-here",
                ConfirmationCode="123456",
                SecretHash=secret_hash(
                    "nobody-here", confidential.client_id, confidential.client_secret
                ),
            )
        )
        == MISMATCH
    )


def test_a_duplicate_username(sandbox: Sandbox, cognito: Any) -> None:
    assert cognito_error(lambda: _sign_up(sandbox, cognito, "alice", email="a@example.com")) == (
        "UsernameExistsException",
        "User already exists",
    )


@pytest.mark.parametrize(
    ("password", "rule"),
    [
        ("Sh0rt!", "Password not long enough"),
        ("Passw0rdxx", "Password must have symbol characters"),
    ],
)
def test_the_pools_password_policy(
    sandbox: Sandbox, cognito: Any, password: str, rule: str
) -> None:
    user = _name()
    assert cognito_error(
        lambda: cognito.sign_up(
            ClientId=sandbox.info.client("public").client_id, Username=user, Password=password
        )
    ) == ("InvalidPasswordException", f"Password did not conform with policy: {rule}")
    assert user not in {d["user"] for d in sandbox.outbox()}


def test_bounds_are_checked_like_cognito(sandbox: Sandbox, cognito: Any) -> None:
    code, message = cognito_error(
        lambda: cognito.sign_up(
            ClientId=sandbox.info.client("public").client_id,
            Username="has space",
            Password=PASSWORD,
        )
    )
    assert code == "InvalidParameterException"
    assert message.startswith("1 validation error detected: Value at 'username' failed")


@pytest.mark.parametrize("operation", ["sign_up", "confirm_sign_up"])
def test_secret_hash_is_required_and_checked(
    sandbox: Sandbox, cognito: Any, operation: str
) -> None:
    confidential = sandbox.info.client("confidential")
    assert confidential.client_secret is not None
    user = _name()
    params: dict[str, Any] = {"ClientId": confidential.client_id, "Username": user}
    params.update(
        {"Password": PASSWORD} if operation == "sign_up" else {"ConfirmationCode": "123456"}
    )
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


def test_the_confidential_journey_with_secret_hash(sandbox: Sandbox, cognito: Any) -> None:
    confidential = sandbox.info.client("confidential")
    assert confidential.client_secret is not None
    user = _name()
    right = secret_hash(user, confidential.client_id, confidential.client_secret)
    cognito.sign_up(
        ClientId=confidential.client_id,
        Username=user,
        Password=PASSWORD,
        SecretHash=right,
        UserAttributes=[{"Name": "email", "Value": f"{user}@example.com"}],
    )
    cognito.confirm_sign_up(
        ClientId=confidential.client_id,
        Username=user,
        SecretHash=right,
        ConfirmationCode=last_code(sandbox, user),
    )


def test_a_disabled_user_behind_prevent_user_existence_errors_is_simulated(
    sandbox: Sandbox, cognito: Any, fresh_user: Callable[..., str]
) -> None:
    user = fresh_user(enabled=False)
    confidential = sandbox.info.client("confidential")
    assert confidential.client_secret is not None
    before = len(sandbox.outbox())
    answer = cognito.resend_confirmation_code(
        ClientId=confidential.client_id,
        Username=user,
        SecretHash=secret_hash(user, confidential.client_id, confidential.client_secret),
    )
    assert answer["CodeDeliveryDetails"]["DeliveryMedium"] in {"EMAIL", "SMS"}
    assert len(sandbox.outbox()) == before
    assert user in [s["username"] for s in sandbox.simulated()]


def test_email_as_username(sandbox: Sandbox, cognito: Any, admin_for: Any) -> None:
    admin = admin_for(sandbox)
    pool = admin.create_user_pool(
        PoolName=f"by-email-{uuid.uuid4().hex[:6]}",
        UsernameAttributes=["email"],
        AutoVerifiedAttributes=["email"],
    )["UserPool"]
    client_id = admin.create_user_pool_client(UserPoolId=pool["Id"], ClientName="web")[
        "UserPoolClient"
    ]["ClientId"]
    email = f"{_name()}@example.net"
    answer = cognito.sign_up(ClientId=client_id, Username=email, Password=PASSWORD)
    assert answer["CodeDeliveryDetails"]["AttributeName"] == "email"
    assert uuid.UUID(answer["UserSub"])
    assert cognito_error(
        lambda: cognito.sign_up(ClientId=client_id, Username=email, Password=PASSWORD)
    ) == ("UsernameExistsException", "An account with the given email already exists.")
    assert cognito_error(
        lambda: cognito.sign_up(ClientId=client_id, Username="not-an-email", Password=PASSWORD)
    ) == ("InvalidParameterException", "Username should be either an email or a phone number.")
    cognito.confirm_sign_up(
        ClientId=client_id, Username=email, ConfirmationCode=last_code(sandbox, answer["UserSub"])
    )


# -- the CustomMessage trigger -------------------------------------------------------------------


def test_sign_up_runs_the_custom_message_trigger(
    tmp_path: Path, cognito_for: Callable[..., Any]
) -> None:
    trigger = TriggerCopy("python", tmp_path)
    with start_sandbox(
        custom_message_trigger=trigger.spec, trigger_env_file=str(trigger.env_file)
    ) as running:
        user = _name()
        _sign_up(running, cognito_for(running), user, email=f"{user}@example.com")
        [delivery] = running.outbox()
    event = trigger.seen(user)["event"]
    assert event["triggerSource"] == "CustomMessage_SignUp"
    assert event["userName"] == user
    assert event["request"]["userAttributes"]["cognito:user_status"] == "UNCONFIRMED"
    assert "clientMetadata" not in event["request"]
    assert delivery["trigger"] is True
    assert delivery["body"] == f"Hello from Python {user}, your code is {delivery['code']}."
