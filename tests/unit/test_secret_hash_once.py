"""One resend computes the SecretHash once, and still redacts it and sends it right.

``perform_resend`` needs the SecretHash to register it for log redaction, and
the gateway needs it for the call: the request keeps it after the first
computation instead of running the HMAC twice.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import Any

import pytest
from pydantic import SecretStr

from console.cognito import ClientSettings, Gateway, build_request
from console.cognito import request as request_module
from console.config import Profile
from console.logging_setup import redact
from console.usecases import perform_resend

SECRET = "s3cr3t-app-client-secret-for-tests"
CLIENT_ID = "client123"
PROFILE = Profile(region="us-east-1", user_pool_id="us-east-1_Abc123", client_id=CLIENT_ID)
SETTINGS = ClientSettings(region="us-east-1", endpoint_url="http://127.0.0.1:9")


def expected_hash(username: str) -> str:
    digest = hmac.new(SECRET.encode(), (username + CLIENT_ID).encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


class RecordingClient:
    """Stands in for the botocore client: records the parameters of each call."""

    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []

    def resend_confirmation_code(self, **params: Any) -> dict[str, Any]:
        self.calls.append(params)
        return {
            "CodeDeliveryDetails": {
                "DeliveryMedium": "EMAIL",
                "Destination": "a***@e***.com",
                "AttributeName": "email",
            },
            "ResponseMetadata": {"RequestId": "req-1", "HTTPStatusCode": 200},
        }


@pytest.fixture
def hmac_count(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    count = [0]
    real = request_module.compute_secret_hash

    def counting(secret: str, username: str, client_id: str) -> str:
        count[0] += 1
        return real(secret, username, client_id)

    monkeypatch.setattr(request_module, "compute_secret_hash", counting)
    return count


def test_one_resend_computes_the_secret_hash_once(hmac_count: list[int]) -> None:
    client = RecordingClient()
    request = build_request(client_id=CLIENT_ID, username="alice", secret=SecretStr(SECRET))
    result = perform_resend(
        Gateway(client_factory=lambda _settings: client),  # type: ignore[arg-type,return-value]
        None,
        profile_name="test",
        profile=PROFILE,
        settings=SETTINGS,
        request=request,
    )
    assert result.outcome.ok
    assert hmac_count[0] == 1
    assert client.calls == [
        {"ClientId": CLIENT_ID, "Username": "alice", "SecretHash": expected_hash("alice")}
    ]
    # Registered for redaction on the way.
    assert redact(f"x {expected_hash('alice')} y") == "x *** y"
    assert redact(f"x {SECRET} y") == "x *** y"


def test_the_kept_hash_follows_the_request_s_own_fields(hmac_count: list[int]) -> None:
    alice = build_request(client_id=CLIENT_ID, username="alice", secret=SecretStr(SECRET))
    bob = build_request(client_id=CLIENT_ID, username="bob", secret=SecretStr(SECRET))
    assert alice.to_api_params()["SecretHash"] == expected_hash("alice")
    assert bob.to_api_params()["SecretHash"] == expected_hash("bob")
    secret_hash = alice.secret_hash()
    assert secret_hash is not None
    assert secret_hash.get_secret_value() == expected_hash("alice")
    assert alice.to_preview()["SecretHash"].endswith(expected_hash("alice")[-4:])
    assert hmac_count[0] == 2  # once per request, however often it is asked for


def test_the_kept_hash_is_never_shown_and_does_not_change_equality() -> None:
    with_hash = build_request(client_id=CLIENT_ID, username="alice", secret=SecretStr(SECRET))
    secret_hash = with_hash.secret_hash()
    assert secret_hash is not None
    plain = build_request(client_id=CLIENT_ID, username="alice", secret=SecretStr(SECRET))
    assert with_hash == plain
    assert secret_hash.get_secret_value() not in repr(with_hash)
    assert SECRET not in repr(with_hash)


def test_a_public_client_has_no_hash(hmac_count: list[int]) -> None:
    request = build_request(client_id=CLIENT_ID, username="alice")
    assert request.secret_hash() is None
    assert "SecretHash" not in request.to_api_params()
    assert hmac_count[0] == 0
