"""ResendConfirmationCode against the sandbox over real HTTP with real boto3.

Each refusal is checked by its error code AND its message, and every answer
must carry a request id, as Cognito's do.
"""

from __future__ import annotations

import json
import urllib.request
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from botocore.exceptions import ClientError

from console.sandbox import Sandbox
from console.sandbox.resend import secret_hash


def _error(excinfo: pytest.ExceptionInfo[ClientError]) -> tuple[str, str]:
    response = excinfo.value.response
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert uuid.UUID(response["ResponseMetadata"]["RequestId"])
    return response["Error"]["Code"], response["Error"]["Message"]


def _resend_error(cognito: Any, **params: Any) -> tuple[str, str]:
    with pytest.raises(ClientError) as excinfo:
        cognito.resend_confirmation_code(**params)
    return _error(excinfo)


# -- success, masking, outbox -------------------------------------------------------------


def test_alice_gets_a_masked_email_and_the_outbox_has_the_code(
    sandbox: Sandbox, cognito: Any
) -> None:
    answer = cognito.resend_confirmation_code(
        ClientId=sandbox.info.client("public").client_id, Username="alice"
    )
    assert answer["CodeDeliveryDetails"] == {
        "Destination": "a***@e***.com",
        "DeliveryMedium": "EMAIL",
        "AttributeName": "email",
    }
    assert uuid.UUID(answer["ResponseMetadata"]["RequestId"])
    delivery = sandbox.outbox()[-1]
    assert delivery["user"] == delivery["username"] == "alice"
    assert delivery["destination"] == "alice@example.com"
    assert delivery["medium"] == "EMAIL"
    assert delivery["attribute"] == "email"
    assert delivery["subject"] == "Your verification code"
    code = delivery["code"]
    assert isinstance(code, str) and len(code) == 6 and code.isdigit()
    assert code in str(delivery["body"])
    assert "{####}" not in str(delivery["body"])
    assert delivery["trigger"] is False
    assert delivery["request_id"] == answer["ResponseMetadata"]["RequestId"]
    assert str(delivery["time"]).endswith("Z")


def test_bob_gets_a_masked_sms(sandbox: Sandbox, cognito: Any) -> None:
    answer = cognito.resend_confirmation_code(
        ClientId=sandbox.info.client("public").client_id, Username="bob"
    )
    assert answer["CodeDeliveryDetails"] == {
        "Destination": "+*******0100",
        "DeliveryMedium": "SMS",
        "AttributeName": "phone_number",
    }
    delivery = sandbox.outbox()[-1]
    assert (delivery["user"], delivery["destination"]) == ("bob", "+15555550100")
    assert delivery["subject"] is None


def test_phone_is_preferred_over_email_when_the_pool_verifies_both(
    sandbox: Sandbox, cognito: Any, fresh_user: Callable[..., str]
) -> None:
    # Issue #12: with both attributes auto-verified Cognito sends the code by SMS
    # (developer guide, "Verifying contact information at sign-up"; CDK docs).
    user = fresh_user(phone_number="+15555550111")
    answer = cognito.resend_confirmation_code(
        ClientId=sandbox.info.client("public").client_id, Username=user
    )
    assert answer["CodeDeliveryDetails"] == {
        "Destination": "+*******0111",
        "DeliveryMedium": "SMS",
        "AttributeName": "phone_number",
    }


def test_each_delivery_has_a_fresh_code(
    sandbox: Sandbox, cognito: Any, fresh_user: Callable[..., str]
) -> None:
    user = fresh_user()
    client_id = sandbox.info.client("public").client_id
    for _ in range(3):
        cognito.resend_confirmation_code(ClientId=client_id, Username=user)
    codes = [d["code"] for d in sandbox.outbox() if d["user"] == user]
    assert len(codes) == 3
    # Random 6-digit codes: three equal ones would mean no fresh code was drawn.
    assert len(set(codes)) > 1


def test_metadata_and_analytics_reach_the_outbox_and_received(
    sandbox: Sandbox, cognito: Any, fresh_user: Callable[..., str]
) -> None:
    user = fresh_user()
    metadata = {"lang": "fr", "note": "a=b \x1b[2J", "empty": ""}
    cognito.resend_confirmation_code(
        ClientId=sandbox.info.client("public").client_id,
        Username=user,
        ClientMetadata=metadata,
        AnalyticsMetadata={"AnalyticsEndpointId": "endpoint-42"},
    )
    [delivery] = [d for d in sandbox.outbox() if d["user"] == user]
    assert delivery["client_metadata"] == metadata
    assert delivery["analytics_metadata"] == {"AnalyticsEndpointId": "endpoint-42"}
    [body] = [r for r in sandbox.received() if r.get("Username") == user]
    assert body["ClientMetadata"] == metadata
    assert "SecretHash" not in body


def test_outbox_and_info_endpoints(sandbox: Sandbox, cognito: Any) -> None:
    cognito.resend_confirmation_code(
        ClientId=sandbox.info.client("public").client_id, Username="alice"
    )
    base = sandbox.info.endpoint_url
    with urllib.request.urlopen(base + "/_sandbox/outbox", timeout=10) as answer:  # noqa: S310
        outbox = json.loads(answer.read())
    assert outbox["deliveries"][-1]["user"] == "alice"
    with urllib.request.urlopen(base + "/_sandbox/info", timeout=10) as answer:  # noqa: S310
        info = json.loads(answer.read())
    assert info == sandbox.info.to_json()
    assert [c["name"] for c in info["clients"]] == ["public", "confidential"]
    assert "client_secret" not in info["clients"][0]
    assert info["clients"][1]["client_secret"] == sandbox.info.client("confidential").client_secret
    assert info["users"][:4] == ["alice", "bob", "carol", "dave"]


# -- app client and secret ----------------------------------------------------------------


def test_unknown_client_is_resource_not_found(cognito: Any) -> None:
    assert _resend_error(cognito, ClientId="nosuchclient123", Username="alice") == (
        "ResourceNotFoundException",
        "User pool client nosuchclient123 does not exist.",
    )


def test_secret_client_without_secret_hash(sandbox: Sandbox, cognito: Any) -> None:
    client_id = sandbox.info.client("confidential").client_id
    assert _resend_error(cognito, ClientId=client_id, Username="alice") == (
        "NotAuthorizedException",
        f"Client {client_id} is configured with secret but SECRET_HASH was not received",
    )


def test_secret_client_with_wrong_secret_hash(sandbox: Sandbox, cognito: Any) -> None:
    client_id = sandbox.info.client("confidential").client_id
    wrong = secret_hash("alice", client_id, "not-the-secret")
    assert _resend_error(cognito, ClientId=client_id, Username="alice", SecretHash=wrong) == (
        "NotAuthorizedException",
        f"Unable to verify secret hash for client {client_id}",
    )


def test_secret_client_with_right_secret_hash(
    sandbox: Sandbox, cognito: Any, fresh_user: Callable[..., str]
) -> None:
    user = fresh_user()
    confidential = sandbox.info.client("confidential")
    assert confidential.client_secret is not None
    right = secret_hash(user, confidential.client_id, confidential.client_secret)
    answer = cognito.resend_confirmation_code(
        ClientId=confidential.client_id, Username=user, SecretHash=right
    )
    assert answer["CodeDeliveryDetails"]["DeliveryMedium"] == "EMAIL"
    assert [d["client_id"] for d in sandbox.outbox() if d["user"] == user] == [
        confidential.client_id
    ]


# -- users ----------------------------------------------------------------------------------


def test_unknown_user(sandbox: Sandbox, cognito: Any) -> None:
    client_id = sandbox.info.client("public").client_id
    assert _resend_error(cognito, ClientId=client_id, Username="nobody-here") == (
        "UserNotFoundException",
        "Username/client id combination not found.",
    )


def test_unknown_user_behind_prevent_user_existence_errors_is_simulated(
    sandbox: Sandbox, cognito: Any
) -> None:
    confidential = sandbox.info.client("confidential")
    assert confidential.client_secret is not None
    name = f"ghost-{uuid.uuid4().hex[:8]}"
    before = len(sandbox.outbox())
    answers = [
        cognito.resend_confirmation_code(
            ClientId=confidential.client_id,
            Username=name,
            SecretHash=secret_hash(name, confidential.client_id, confidential.client_secret),
        )["CodeDeliveryDetails"]
        for _ in range(2)
    ]
    assert answers[0] == answers[1]  # stable, like a real destination
    assert answers[0]["DeliveryMedium"] == "EMAIL"
    assert answers[0]["Destination"].endswith("***.com")
    assert len(sandbox.outbox()) == before  # nothing was delivered
    assert [s["username"] for s in sandbox.simulated()].count(name) == 2


def test_confirmed_user(sandbox: Sandbox, cognito: Any) -> None:
    client_id = sandbox.info.client("public").client_id
    assert _resend_error(cognito, ClientId=client_id, Username="carol") == (
        "InvalidParameterException",
        "User is already confirmed.",
    )


def test_user_without_email_or_phone(sandbox: Sandbox, cognito: Any) -> None:
    client_id = sandbox.info.client("public").client_id
    assert _resend_error(cognito, ClientId=client_id, Username="dave") == (
        "InvalidParameterException",
        "Cannot resend codes. User has no email or phone_number attribute to deliver the code to.",
    )


def test_disabled_user(sandbox: Sandbox, cognito: Any, fresh_user: Callable[..., str]) -> None:
    user = fresh_user(enabled=False)
    client_id = sandbox.info.client("public").client_id
    assert _resend_error(cognito, ClientId=client_id, Username=user) == (
        "NotAuthorizedException",
        "User is disabled.",
    )


def test_resend_by_sub(
    sandbox: Sandbox,
    cognito: Any,
    admin_for: Callable[[Sandbox], Any],
    fresh_user: Callable[..., str],
) -> None:
    user = fresh_user()
    admin = admin_for(sandbox)
    attributes = admin.admin_get_user(UserPoolId=sandbox.info.user_pool_id, Username=user)[
        "UserAttributes"
    ]
    sub = next(a["Value"] for a in attributes if a["Name"] == "sub")
    cognito.resend_confirmation_code(ClientId=sandbox.info.client("public").client_id, Username=sub)
    assert sandbox.outbox()[-1]["user"] == user


# -- pools made through moto (passthrough) --------------------------------------------------


@pytest.fixture(scope="module")
def other_pools(
    sandbox: Sandbox, admin_for: Callable[[Sandbox], Any], cognito_for: Callable[..., Any]
) -> dict[str, str]:
    """Pools created over HTTP through the sandbox (moto answers every call but ours)."""
    admin = admin_for(sandbox)
    public = cognito_for(sandbox)
    ids: dict[str, str] = {}
    plain = admin.create_user_pool(PoolName=f"no-autoverify-{uuid.uuid4().hex[:6]}")["UserPool"]
    ids["plain_client"] = admin.create_user_pool_client(UserPoolId=plain["Id"], ClientName="plain")[
        "UserPoolClient"
    ]["ClientId"]
    public.sign_up(
        ClientId=ids["plain_client"],
        Username="frank",
        Password="Passw0rd!x",
        UserAttributes=[{"Name": "email", "Value": "frank@example.com"}],
    )
    by_email = admin.create_user_pool(
        PoolName=f"email-usernames-{uuid.uuid4().hex[:6]}",
        UsernameAttributes=["email"],
        AutoVerifiedAttributes=["email"],
    )["UserPool"]
    ids["email_client"] = admin.create_user_pool_client(
        UserPoolId=by_email["Id"], ClientName="email"
    )["UserPoolClient"]["ClientId"]
    public.sign_up(ClientId=ids["email_client"], Username="gina@example.org", Password="Passw0rd!x")
    aliased = admin.create_user_pool(
        PoolName=f"email-alias-{uuid.uuid4().hex[:6]}",
        AliasAttributes=["email"],
        AutoVerifiedAttributes=["email"],
    )["UserPool"]
    ids["alias_client"] = admin.create_user_pool_client(
        UserPoolId=aliased["Id"], ClientName="alias"
    )["UserPoolClient"]["ClientId"]
    public.sign_up(
        ClientId=ids["alias_client"],
        Username="hank",
        Password="Passw0rd!x",
        UserAttributes=[{"Name": "email", "Value": "hank@example.net"}],
    )
    ids["propagating_client"] = admin.create_user_pool_client(
        UserPoolId=sandbox.info.user_pool_id,
        ClientName="propagating",
        EnablePropagateAdditionalUserContextData=True,
    )["UserPoolClient"]["ClientId"]
    return ids


def test_pool_without_auto_verification(cognito: Any, other_pools: dict[str, str]) -> None:
    assert _resend_error(cognito, ClientId=other_pools["plain_client"], Username="frank") == (
        "InvalidParameterException",
        "Cannot resend codes. Auto verification not turned on.",
    )


def test_email_as_username_resolves(cognito: Any, other_pools: dict[str, str]) -> None:
    answer = cognito.resend_confirmation_code(
        ClientId=other_pools["email_client"], Username="gina@example.org"
    )
    assert answer["CodeDeliveryDetails"]["Destination"] == "g***@e***.org"


def test_unverified_email_alias_is_not_a_username(
    cognito: Any, other_pools: dict[str, str]
) -> None:
    assert _resend_error(
        cognito, ClientId=other_pools["alias_client"], Username="hank@example.net"
    ) == ("UserNotFoundException", "Username/client id combination not found.")
    answer = cognito.resend_confirmation_code(ClientId=other_pools["alias_client"], Username="hank")
    assert answer["CodeDeliveryDetails"]["Destination"] == "h***@e***.net"


def test_ip_address_only_with_propagation(
    sandbox: Sandbox, cognito: Any, other_pools: dict[str, str], fresh_user: Callable[..., str]
) -> None:
    user = fresh_user()
    context = {"IpAddress": "192.0.2.1", "EncodedData": "abc"}
    assert _resend_error(
        cognito,
        ClientId=sandbox.info.client("public").client_id,
        Username=user,
        UserContextData=context,
    ) == (
        "InvalidParameterException",
        "UserContextData.IpAddress is only accepted when the app client has "
        "EnablePropagateAdditionalUserContextData turned on.",
    )
    cognito.resend_confirmation_code(
        ClientId=other_pools["propagating_client"], Username=user, UserContextData=context
    )
    cognito.resend_confirmation_code(
        ClientId=sandbox.info.client("public").client_id,
        Username=user,
        UserContextData={"EncodedData": "abc"},
    )


def test_other_operations_pass_through_to_moto(
    sandbox: Sandbox, admin_for: Callable[[Sandbox], Any]
) -> None:
    admin = admin_for(sandbox)
    pool = admin.describe_user_pool(UserPoolId=sandbox.info.user_pool_id)["UserPool"]
    assert sorted(pool["AutoVerifiedAttributes"]) == ["email", "phone_number"]
    assert pool["EmailConfiguration"]["EmailSendingAccount"] == "COGNITO_DEFAULT"
    confidential = admin.describe_user_pool_client(
        UserPoolId=sandbox.info.user_pool_id,
        ClientId=sandbox.info.client("confidential").client_id,
    )["UserPoolClient"]
    assert confidential["PreventUserExistenceErrors"] == "ENABLED"
    assert confidential["ClientSecret"] == sandbox.info.client("confidential").client_secret
    users = admin.list_users(UserPoolId=sandbox.info.user_pool_id, Filter='username = "alice"')
    assert [u["UserStatus"] for u in users["Users"]] == ["UNCONFIRMED"]
    carol = admin.admin_get_user(UserPoolId=sandbox.info.user_pool_id, Username="carol")
    assert carol["UserStatus"] == "CONFIRMED"
