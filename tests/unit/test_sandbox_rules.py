"""The sandbox's rules without HTTP: request checks, masking, SecretHash, limits,
and the resend flow over a fake directory."""

from __future__ import annotations

import unicodedata
from dataclasses import replace
from types import MappingProxyType

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from console.sandbox.faults import ServiceError
from console.sandbox.limits import AttemptLimiter, RateLimiter
from console.sandbox.moto_state import ClientRecord, PoolRecord, UserRecord
from console.sandbox.outbox import Outbox
from console.sandbox.request_checks import is_username, parse_request
from console.sandbox.resend import (
    ResendService,
    mask_email,
    mask_phone,
    new_code,
    secret_hash,
    simulated_target,
)

# -- request checks ----------------------------------------------------------------------------


@settings(max_examples=150, deadline=None)
@given(st.text(min_size=1, max_size=40))
def test_username_fails_exactly_on_separators_and_other_characters(text: str) -> None:
    # \p{L}\p{M}\p{S}\p{N}\p{P} is everything but Z* (separators) and C* (controls, format...).
    has_forbidden = any(unicodedata.category(c)[0] in "ZC" for c in text)
    assert is_username(text) is not has_forbidden


@pytest.mark.parametrize(
    ("name", "ok"),
    [
        ("alice", True),
        ("a.b-c_d+e@f.g", True),
        ("[@click=app.quit]x[/]", True),
        ("Łukasz", True),
        ("名前", True),
        ("😀", True),
        ("a b", False),
        ("tab\t", False),
        ("esc\x1b", False),
        ("zw\u200bj", False),
        ("nbsp\u00a0", False),
        ("", False),
    ],
)
def test_username_examples(name: str, ok: bool) -> None:
    assert is_username(name) is ok


def test_a_valid_request_keeps_every_member() -> None:
    request = parse_request(
        {
            "ClientId": "abc123",
            "Username": "alice",
            "SecretHash": "abc+/=",
            "ClientMetadata": {"lang": "fr"},
            "AnalyticsMetadata": {"AnalyticsEndpointId": "ep"},
            "UserContextData": {"IpAddress": "192.0.2.1", "EncodedData": "x"},
            "Unknown": "ignored, as the service does",
        }
    )
    assert request.client_id == "abc123"
    assert request.secret_hash == "abc+/="
    assert request.client_metadata == {"lang": "fr"}
    assert request.analytics_metadata == {"AnalyticsEndpointId": "ep"}
    assert (request.ip_address, request.encoded_data) == ("192.0.2.1", "x")


def test_boundaries_are_inclusive() -> None:
    at_limit = parse_request(
        {"ClientId": "c" * 128, "Username": "u" * 128, "SecretHash": "s" * 128}
    )
    assert (len(at_limit.client_id), len(at_limit.username)) == (128, 128)
    assert at_limit.secret_hash == "s" * 128
    big = parse_request(
        {"ClientId": "c", "Username": "u", "ClientMetadata": {"k" * 131072: "v" * 131072}}
    )
    assert big.client_metadata == {"k" * 131072: "v" * 131072}


def test_client_id_word_characters_are_ascii_only() -> None:
    with pytest.raises(ServiceError) as excinfo:
        parse_request({"ClientId": "clïent", "Username": "u"})
    assert "Value at 'clientId'" in excinfo.value.message


def test_empty_client_id_is_too_short() -> None:
    with pytest.raises(ServiceError) as excinfo:
        parse_request({"ClientId": "", "Username": "u"})
    assert excinfo.value.message == (
        "1 validation error detected: Value at 'clientId' failed to satisfy constraint: "
        "Member must have length greater than or equal to 1"
    )


def test_long_map_keys_are_named() -> None:
    with pytest.raises(ServiceError) as excinfo:
        parse_request({"ClientId": "c", "Username": "u", "ClientMetadata": {"k" * 131073: "v"}})
    assert "Map keys must satisfy constraint" in excinfo.value.message


@pytest.mark.parametrize(
    "body",
    [
        [],
        {"ClientId": "c", "Username": 5},
        {"ClientId": "c", "Username": "u", "ClientMetadata": {"k": 1}},
        {"ClientId": "c", "Username": "u", "ClientMetadata": "lang=fr"},
        {"ClientId": "c", "Username": "u", "UserContextData": {"IpAddress": None}},
    ],
)
def test_wrong_types_are_serialization_errors(body: object) -> None:
    with pytest.raises(ServiceError) as excinfo:
        parse_request(body)
    assert excinfo.value.code == "SerializationException"


def test_no_value_is_ever_echoed() -> None:
    secret_looking = "top secret value"
    with pytest.raises(ServiceError) as excinfo:
        parse_request({"ClientId": "c", "Username": "u", "SecretHash": secret_looking})
    assert secret_looking not in excinfo.value.message


# -- masking, codes, SecretHash ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "masked"),
    [
        ("alice@example.com", "a***@e***.com"),
        ("j@mail.example.co.uk", "j***@m***.uk"),
        ("x@localhost", "x***@l***"),
        ("not-an-email", "n***"),
    ],
)
def test_mask_email(address: str, masked: str) -> None:
    assert mask_email(address) == masked


@pytest.mark.parametrize(
    ("number", "masked"),
    [("+15555550100", "+*******0100"), ("+447700900123", "+********0123"), ("+12", "+12")],
)
def test_mask_phone(number: str, masked: str) -> None:
    assert mask_phone(number) == masked


def test_codes_are_six_digits() -> None:
    codes = {new_code() for _ in range(200)}
    assert all(len(c) == 6 and c.isdigit() for c in codes)
    assert len(codes) > 150


def test_secret_hash_known_vector() -> None:
    # printf 'alice1example23456789' | openssl dgst -sha256 -hmac secret -binary | base64
    assert secret_hash("alice", "1example23456789", "secret") == (
        "SRSokfDPYgNH3Tm3eRbqKCsFZg9Ia07+tqRIgXhLH5s="
    )


# -- limits ------------------------------------------------------------------------------------


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_attempt_limit_slides_with_the_hour() -> None:
    clock = FakeClock()
    limiter = AttemptLimiter(5, 3600, clock=clock)
    tokens = [limiter.reserve("u") for _ in range(5)]
    assert None not in tokens
    assert limiter.reserve("u") is None
    assert limiter.reserve("other") is not None
    clock.now += 3599
    assert limiter.reserve("u") is None
    clock.now += 1
    assert limiter.reserve("u") is not None


def test_released_attempts_are_given_back() -> None:
    limiter = AttemptLimiter(1, 60, clock=FakeClock())
    token = limiter.reserve("u")
    assert token is not None
    limiter.release("u", token)
    assert limiter.used("u") == 0
    assert limiter.reserve("u") is not None


def test_rate_limiter_refills_at_the_rate() -> None:
    clock = FakeClock()
    limiter = RateLimiter(2.0, clock=clock)
    assert [limiter.allow() for _ in range(3)] == [True, True, False]
    clock.now += 0.5
    assert [limiter.allow(), limiter.allow()] == [True, False]
    clock.now += 10
    assert [limiter.allow() for _ in range(3)] == [True, True, False]


def test_rate_below_one_per_second_still_lets_one_through() -> None:
    clock = FakeClock()
    limiter = RateLimiter(0.5, clock=clock)
    assert [limiter.allow(), limiter.allow()] == [True, False]
    clock.now += 2
    assert limiter.allow()


def test_limits_refuse_nonsense() -> None:
    with pytest.raises(ValueError):
        RateLimiter(0)
    with pytest.raises(ValueError):
        AttemptLimiter(0)


# -- the flow over a fake directory ------------------------------------------------------------

POOL = PoolRecord(
    pool_id="us-east-1_fake", account_id="1", region="us-east-1", auto_verified=("email",)
)
CLIENT = ClientRecord(
    client_id="client1",
    secret=None,
    prevent_user_existence_errors=False,
    propagate_user_context=False,
    pool=POOL,
)


class FakeDirectory:
    def __init__(self, client: ClientRecord, users: dict[str, UserRecord]) -> None:
        self.client = client
        self.users = users

    def find_client(self, client_id: str) -> ClientRecord | None:
        return self.client if client_id == self.client.client_id else None

    def find_user(self, pool_record: PoolRecord, name: str) -> UserRecord | None:
        return self.users.get(name)


def _user(name: str, **attributes: str) -> UserRecord:
    return UserRecord(name, "UNCONFIRMED", True, MappingProxyType(attributes))


def _service(client: ClientRecord = CLIENT, **users: UserRecord) -> tuple[ResendService, Outbox]:
    outbox = Outbox()
    return ResendService(FakeDirectory(client, users), outbox), outbox


def _fails(service: ResendService, body: dict[str, object]) -> tuple[str, str]:
    with pytest.raises(ServiceError) as excinfo:
        service.handle(body, request_id="r")
    return excinfo.value.code, excinfo.value.message


def test_phone_only_user_on_an_email_only_pool_names_the_cause() -> None:
    service, _ = _service(zed=_user("zed", phone_number="+15555550100"))
    assert _fails(service, {"ClientId": "client1", "Username": "zed"}) == (
        "InvalidParameterException",
        "Cannot resend codes. User has no email attribute to deliver the code to.",
    )


def test_pool_settings_are_checked_before_the_user_exists() -> None:
    # Otherwise an unknown and a known user would answer differently: a leak.
    client = replace(CLIENT, pool=replace(POOL, auto_verified=()))
    service, _ = _service(client)
    assert _fails(service, {"ClientId": "client1", "Username": "nobody"}) == (
        "InvalidParameterException",
        "Cannot resend codes. Auto verification not turned on.",
    )


def test_admin_created_users_count_as_confirmed() -> None:
    user = replace(_user("fcp", email="f@example.com"), status="FORCE_CHANGE_PASSWORD")
    service, _ = _service(fcp=user)
    assert _fails(service, {"ClientId": "client1", "Username": "fcp"}) == (
        "InvalidParameterException",
        "User is already confirmed.",
    )


def test_simulated_answers_count_against_the_limit_like_real_ones() -> None:
    client = replace(CLIENT, prevent_user_existence_errors=True)
    service, outbox = _service(client)
    body: dict[str, object] = {"ClientId": "client1", "Username": "ghost"}
    for _ in range(5):
        service.handle(body, request_id="r")
    assert _fails(service, body)[0] == "LimitExceededException"
    assert outbox.deliveries() == []
    assert len(outbox.simulated()) == 5


def test_simulated_target_follows_the_pool() -> None:
    sms_pool = replace(POOL, auto_verified=("phone_number",))
    target = simulated_target(sms_pool, "c", "ghost")
    assert (target.medium, target.attribute) == ("SMS", "phone_number")
    assert target.details()["Destination"].startswith("+*******")
    assert simulated_target(sms_pool, "c", "ghost") == target
