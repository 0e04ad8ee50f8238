"""Validation of the six request parameters at every boundary."""

from __future__ import annotations

import base64
import hashlib
import hmac

import pytest
from pydantic import SecretStr

from console.cognito import (
    MAX_METADATA_LENGTH,
    RequestError,
    build_request,
    compute_secret_hash,
    mask_secret,
)


def problems(**kwargs: object) -> list[str]:
    base: dict[str, object] = {"client_id": "abc123", "username": "alice"}
    base.update(kwargs)
    with pytest.raises(RequestError) as info:
        build_request(**base)  # type: ignore[arg-type]
    return [str(p) for p in info.value.problems]


def test_minimal_request_sends_only_the_required_members() -> None:
    request = build_request(client_id="abc123", username="alice")
    assert request.to_api_params() == {"ClientId": "abc123", "Username": "alice"}


def test_all_six_members_reach_the_api_params() -> None:
    request = build_request(
        client_id="abc+123",
        username="alice",
        client_metadata=[("lang", "fr"), ("campaign", "")],
        analytics_endpoint_id="ep-1",
        ip_address="192.0.2.10",
        encoded_data="blob",
        secret=SecretStr("s3cr3t-value"),
    )
    params = request.to_api_params()
    assert params["ClientMetadata"] == {"lang": "fr", "campaign": ""}
    assert params["AnalyticsMetadata"] == {"AnalyticsEndpointId": "ep-1"}
    assert params["UserContextData"] == {"IpAddress": "192.0.2.10", "EncodedData": "blob"}
    assert params["SecretHash"] == compute_secret_hash("s3cr3t-value", "alice", "abc+123")


def test_secret_hash_matches_the_documented_formula() -> None:
    expected = base64.b64encode(
        hmac.new(b"key", "Ünïcode-userclient".encode(), hashlib.sha256).digest()
    ).decode()
    assert compute_secret_hash("key", "Ünïcode-user", "client") == expected


@pytest.mark.parametrize("length", [1, 128])
def test_username_length_inside_bounds_is_accepted(length: int) -> None:
    assert build_request(client_id="c", username="u" * length).username == "u" * length


def test_username_of_129_characters_is_rejected_naming_the_rule() -> None:
    assert problems(username="u" * 129) == ["username: must be at most 128 characters (it has 129)"]


def test_empty_username_is_required() -> None:
    assert problems(username="") == ["username: is required"]


@pytest.mark.parametrize(
    ("username", "what"),
    [
        (" alice", "a space at position 1"),
        ("alice ", "a space at position 6"),
        ("al\x1bice", "U+001B at position 3"),
        ("al\u202eice", "U+202E at position 3"),
        ("a\u200bb", "U+200B at position 2"),
        ("a\x00b", "U+0000 at position 2"),
    ],
)
def test_username_pattern_violations_name_the_character(username: str, what: str) -> None:
    [message] = problems(username=username)
    assert message.startswith("username: letters, marks, symbols, digits and punctuation only")
    assert message.endswith(what)


@pytest.mark.parametrize(
    "username", ["[@click=app.quit]x[/]", "[/oops]", "josé", "名前", "😀", "e\u0301", "a+b@c.d"]
)
def test_usernames_the_pattern_allows_are_kept_exactly(username: str) -> None:
    assert build_request(client_id="c", username=username).username == username


def test_lone_surrogate_is_rejected() -> None:
    assert problems(username="a\ud800") == [
        "username: must be valid Unicode (it has a lone surrogate)"
    ]


def test_client_id_boundaries_and_pattern() -> None:
    assert build_request(client_id="a" * 128, username="u").client_id == "a" * 128
    assert problems(client_id="a" * 129) == [
        "client_id: must be at most 128 characters (it has 129)"
    ]
    assert problems(client_id="abc-def")[0].startswith("client_id: ASCII letters, digits")
    assert problems(client_id="") == ["client_id: is required"]


def test_metadata_keys_must_be_non_empty_and_unique() -> None:
    assert problems(client_metadata=[("a", "1"), ("", "2"), ("a", "3")]) == [
        "client_metadata[2].key: must not be empty",
        "client_metadata[3].key: duplicate key: each key may appear once",
    ]


def test_metadata_value_boundaries() -> None:
    ok = build_request(
        client_id="c", username="u", client_metadata={"k": "v" * MAX_METADATA_LENGTH}
    )
    assert len(ok.client_metadata["k"]) == MAX_METADATA_LENGTH
    assert problems(client_metadata={"k": "v" * (MAX_METADATA_LENGTH + 1)}) == [
        "client_metadata[1].value: must be at most 131,072 characters (it has 131,073)"
    ]


def test_metadata_values_with_control_characters_are_sent_exactly() -> None:
    request = build_request(client_id="c", username="u", client_metadata={"k": "\x1b[2J\u202e"})
    assert request.to_api_params()["ClientMetadata"] == {"k": "\x1b[2J\u202e"}


def test_optional_fields_empty_means_not_sent() -> None:
    request = build_request(
        client_id="c", username="u", analytics_endpoint_id="", ip_address="", encoded_data=""
    )
    assert request.to_api_params() == {"ClientId": "c", "Username": "u"}


def test_ip_address_must_be_an_address() -> None:
    assert problems(ip_address="not-an-ip") == ["ip_address: must be an IPv4 or IPv6 address"]
    assert build_request(client_id="c", username="u", ip_address="2001:db8::1").ip_address


def test_analytics_endpoint_id_maximum() -> None:
    assert problems(analytics_endpoint_id="e" * (MAX_METADATA_LENGTH + 1))[0].startswith(
        "analytics_endpoint_id: must be at most 131,072"
    )


def test_every_problem_is_reported_at_once() -> None:
    assert len(problems(client_id="", username="", ip_address="x")) == 3


def test_secret_never_appears_in_repr_or_preview() -> None:
    request = build_request(client_id="c", username="u", secret=SecretStr("CANARY-SECRET-1234"))
    secret_hash = request.secret_hash()
    assert secret_hash is not None
    raw_hash = secret_hash.get_secret_value()
    shown = (
        repr(request)
        + str(request.to_preview())
        + " ".join(request.to_aws_cli(region="us-east-1", endpoint_url=None))
    )
    assert "CANARY-SECRET" not in shown
    assert raw_hash not in shown
    assert request.to_preview()["SecretHash"].endswith(raw_hash[-4:])
    assert "<SECRET_HASH>" in request.to_aws_cli(region="us-east-1", endpoint_url=None)


def test_mask_secret_shows_at_most_the_last_four() -> None:
    assert mask_secret("abcdefghijkl") == "*" * 16 + "ijkl"
    assert mask_secret("short") == "*" * 8
    assert mask_secret(None) == "(none)"


def test_mask_secret_hides_all_of_a_secret_of_eight_or_fewer() -> None:
    # Showing 4 of 8 characters would give away half the secret.
    assert mask_secret("12345678") == "*" * 8
    assert mask_secret("1234567") == "*" * 8
    assert mask_secret("123456789") == "*" * 16 + "6789"


def test_aws_cli_line_carries_each_member_only_when_set() -> None:
    full = build_request(
        client_id="abc123",
        username="alice",
        client_metadata={"lang": "fr"},
        analytics_endpoint_id="ep-1",
        ip_address="192.0.2.1",
        encoded_data="ctx",
        secret=SecretStr("s3cret-value"),
    )
    assert full.to_aws_cli(region="eu-west-1", endpoint_url="http://127.0.0.1:9229") == [
        "aws", "cognito-idp", "resend-confirmation-code", "--region", "eu-west-1",
        "--endpoint-url", "http://127.0.0.1:9229",
        "--client-id", "abc123", "--username", "alice",
        "--secret-hash", "<SECRET_HASH>",
        "--client-metadata", '{"lang": "fr"}',
        "--analytics-metadata", '{"AnalyticsEndpointId": "ep-1"}',
        "--user-context-data", '{"IpAddress": "192.0.2.1", "EncodedData": "ctx"}',
    ]  # fmt: skip
    bare = build_request(client_id="abc123", username="alice")
    assert bare.to_aws_cli(region="eu-west-1", endpoint_url=None) == [
        "aws", "cognito-idp", "resend-confirmation-code", "--region", "eu-west-1",
        "--client-id", "abc123", "--username", "alice",
    ]  # fmt: skip


def test_an_empty_secret_is_refused() -> None:
    assert problems(secret=SecretStr("")) == ["client_secret: is empty"]


def test_a_one_character_analytics_id_is_accepted() -> None:
    request = build_request(client_id="abc123", username="alice", analytics_endpoint_id="x")
    assert request.to_api_params()["AnalyticsMetadata"] == {"AnalyticsEndpointId": "x"}


def test_a_lone_surrogate_is_one_problem_not_two() -> None:
    # The surrogate rule says it all; the character rule would repeat it.
    assert problems(username="a\ud800") == [
        "username: must be valid Unicode (it has a lone surrogate)"
    ]


def test_the_repr_of_a_request_says_nothing_of_its_secret() -> None:
    request = build_request(client_id="abc123", username="alice", secret=SecretStr("s3cret-value"))
    request.secret_hash()  # computed and kept
    shown = repr(request)
    assert "secret" not in shown.lower()
    assert "s3cret-value" not in shown


def test_a_username_too_long_is_one_problem_whatever_it_holds() -> None:
    # Past the length the rest is not checked: one clear line, not a pile.
    assert problems(username="a b" + "x" * 126) == [
        "username: must be at most 128 characters (it has 129)"
    ]
