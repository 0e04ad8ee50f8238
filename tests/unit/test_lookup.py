"""Lookup without a server: query validation, paging (botocore Stubber), failures, warnings."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from botocore import exceptions as bx
from botocore.stub import Stubber

from console.cognito import (
    MAX_FILTER_LENGTH,
    AdminFailure,
    AdminGateway,
    AdminSettings,
    LookupKey,
    RequestError,
    UserSummary,
    admin_failure,
    admin_settings,
    build_query,
    find_users,
    get_user,
    new_session,
    preflight_warning,
    static_credentials,
)
from console.config import ConsoleSettings, Profile

POOL = "us-east-1_Demo123"
SETTINGS = AdminSettings(region="us-east-1", endpoint_url="http://127.0.0.1:9", max_attempts=1)


_SESSIONS: list[Any] = []


def _session(_aws_profile: str | None) -> Any:
    """One shared session with dummy credentials (it caches the service model)."""
    if not _SESSIONS:
        session = new_session()
        session.set_credentials("AKIDTEST", "secret")
        _SESSIONS.append(session)
    return _SESSIONS[0]


@pytest.fixture
def stubbed() -> Iterator[tuple[AdminGateway, Stubber]]:
    gateway = AdminGateway(session_factory=_session)
    stubber = Stubber(gateway.client(SETTINGS))
    with stubber:
        yield gateway, stubber
    stubber.assert_no_pending_responses()


def api_user(name: str, **attrs: str) -> dict[str, Any]:
    return {
        "Username": name,
        "Attributes": [{"Name": k, "Value": v} for k, v in attrs.items()],
        "UserCreateDate": datetime(2025, 1, 31, 9, 0, tzinfo=UTC),
        "UserLastModifiedDate": datetime(2025, 2, 1, 9, 0, tzinfo=UTC),
        "Enabled": True,
        "UserStatus": "UNCONFIRMED",
    }


# -- building queries ---------------------------------------------------------


def test_filter_expressions() -> None:
    assert build_query("email", "a@b.c").filter_expression() == 'email = "a@b.c"'
    assert build_query("username", "al", prefix=True).filter_expression() == 'username ^= "al"'
    phone = build_query(LookupKey.PHONE, " +1 (555) 555-0100 ")
    assert phone.value == "+15555550100"
    assert phone.filter_expression() == 'phone_number = "+15555550100"'


@pytest.mark.parametrize(
    ("key", "value", "prefix", "field", "text"),
    [
        ("email", 'a"b@example.com', False, "email", "double quote"),
        ("email", "a\\b@example.com", False, "email", "backslash"),
        ("username", 'al"', True, "username", "double quote"),
        ("username", "al\x1b[2J", True, "username", "control"),
        ("email", "", False, "email", "is required"),
        ("email", "   ", False, "email", "is required"),
        ("phone", "5555550100", False, "phone", "international form"),
        ("phone", "+1555abc", False, "phone", "international form"),
        ("phone", "+" + "1" * 16, False, "phone", "at most 15 digits"),
    ],
)
def test_bad_values_name_the_field(
    key: str, value: str, prefix: bool, field: str, text: str
) -> None:
    lookup_key = {"phone": LookupKey.PHONE}.get(key, key)
    with pytest.raises(RequestError) as caught:
        build_query(lookup_key, value, prefix=prefix)
    (problem,) = caught.value.problems
    assert problem.field == field
    assert text in problem.rule


def test_filter_length_limit_is_exact() -> None:
    overhead = len('email = ""')
    longest = "a" * (MAX_FILTER_LENGTH - overhead)
    assert len(build_query("email", longest).filter_expression()) == MAX_FILTER_LENGTH
    with pytest.raises(RequestError, match=r"email: must be at most 246 characters"):
        build_query("email", longest + "a")


def test_exact_username_with_quote_is_allowed_but_skips_the_filter() -> None:
    query = build_query("username", 'a"b\\c')
    assert not query.uses_filter
    with pytest.raises(RequestError):
        build_query("username", "x" * 129 + '"')


def test_limit_bounds() -> None:
    with pytest.raises(RequestError, match="limit: must be between 1 and 1000"):
        build_query("email", "a@b.c", limit=0)
    assert build_query("email", "a@b.c", limit=1000).limit == 1000


def test_phone_prefix_may_be_just_the_plus_and_country() -> None:
    assert build_query(LookupKey.PHONE, "+44", prefix=True).value == "+44"


# -- paging -------------------------------------------------------------------


def test_pages_with_limits_and_tokens(stubbed: tuple[AdminGateway, Stubber]) -> None:
    gateway, stubber = stubbed
    first = [api_user(f"user{n:03d}", email=f"user{n:03d}@example.com") for n in range(60)]
    second = [api_user(f"user{n:03d}") for n in range(60, 70)]
    stubber.add_response(
        "list_users",
        {"Users": first, "PaginationToken": "page-2"},
        {"UserPoolId": POOL, "Filter": 'username ^= "user"', "Limit": 60},
    )
    stubber.add_response(
        "list_users",
        {"Users": second, "PaginationToken": "page-3"},
        {
            "UserPoolId": POOL,
            "Filter": 'username ^= "user"',
            "Limit": 10,
            "PaginationToken": "page-2",
        },
    )
    query = build_query("username", "user", prefix=True, limit=70)
    result = find_users(gateway, SETTINGS, POOL, query)
    assert result.ok and result.pages == 2
    assert len(result.users) == 70
    assert result.truncated  # a token was left: more may match
    assert result.users[0].email == "user000@example.com"


def test_empty_pages_are_followed(stubbed: tuple[AdminGateway, Stubber]) -> None:
    gateway, stubber = stubbed
    stubber.add_response("list_users", {"Users": [], "PaginationToken": "t2"})
    stubber.add_response("list_users", {"Users": [api_user("alice")]})
    result = find_users(gateway, SETTINGS, POOL, build_query("email", "alice@example.com"))
    assert [u.username for u in result.users] == ["alice"]
    assert not result.truncated and result.pages == 2


def test_failure_keeps_what_was_found(stubbed: tuple[AdminGateway, Stubber]) -> None:
    gateway, stubber = stubbed
    stubber.add_response("list_users", {"Users": [api_user("a1")], "PaginationToken": "t2"})
    stubber.add_client_error(
        "list_users", "TooManyRequestsException", "Rate exceeded", http_status_code=400
    )
    result = find_users(gateway, SETTINGS, POOL, build_query("username", "a", prefix=True))
    assert [u.username for u in result.users] == ["a1"]
    assert result.failure is not None and result.failure.code == "TooManyRequestsException"
    assert "try again shortly" in result.failure.message


def test_get_user_reads_user_attributes(stubbed: tuple[AdminGateway, Stubber]) -> None:
    gateway, stubber = stubbed
    stubber.add_response(
        "admin_get_user",
        {
            "Username": "bob",
            "UserAttributes": [
                {"Name": "phone_number", "Value": "+15555550100"},
                {"Name": "phone_number_verified", "Value": "true"},
            ],
            "Enabled": False,
            "UserStatus": "CONFIRMED",
        },
        {"UserPoolId": POOL, "Username": "bob"},
    )
    (bob,) = get_user(gateway, SETTINGS, POOL, "bob").users
    assert bob.phone_number_verified is True and bob.email is None and not bob.enabled
    assert bob.to_json()["created"] is None


def test_get_user_not_found_is_an_empty_answer(stubbed: tuple[AdminGateway, Stubber]) -> None:
    gateway, stubber = stubbed
    stubber.add_client_error("admin_get_user", "UserNotFoundException", "User does not exist.")
    result = get_user(gateway, SETTINGS, POOL, "ghost")
    assert result.ok and result.users == ()


# -- failures -----------------------------------------------------------------


def _client_error(code: str, message: str, status: int = 400) -> bx.ClientError:
    response: Any = {
        "Error": {"Code": code, "Message": message},
        "ResponseMetadata": {"HTTPStatusCode": status, "RequestId": "rid-1"},
    }
    return bx.ClientError(response, "ListUsers")


@pytest.mark.parametrize(
    ("exc", "code", "needle"),
    [
        (bx.NoCredentialsError(), "NoCredentials", "no AWS credentials found"),
        (bx.ProfileNotFound(profile="ops"), "ProfileNotFound", "'ops' not found"),
        (
            _client_error(
                "AccessDeniedException",
                "User: arn:aws:iam::1:user/h is not authorized to perform: cognito-idp:ListUsers",
            ),
            "AccessDeniedException",
            "(arn:aws:iam::1:user/h) may not call cognito-idp:ListUsers",
        ),
        (
            _client_error("NotAuthorizedException", "Not authorized"),
            "NotAuthorizedException",
            "may not call cognito-idp:ListUsers",
        ),
        (
            _client_error("ExpiredTokenException", "The security token included has expired"),
            "ExpiredTokenException",
            "were rejected",
        ),
        (
            _client_error("ResourceNotFoundException", "User pool x does not exist."),
            "ResourceNotFoundException",
            "user_pool_id",
        ),
        (
            bx.EndpointConnectionError(endpoint_url="http://127.0.0.1:9"),
            "ConnectionRefused",
            "ListUsers failed: ConnectionRefused",
        ),
    ],
)
def test_failures_are_one_line(exc: BaseException, code: str, needle: str) -> None:
    failure = admin_failure("ListUsers", exc, AdminSettings(region="us-east-1", aws_profile="ops"))
    assert failure.code == code
    assert needle in failure.message
    assert "\n" not in failure.message
    if failure.is_access_problem:
        assert failure.permission == "cognito-idp:ListUsers"


def test_credential_failure_drops_the_cached_client() -> None:
    made: list[str | None] = []

    def factory(aws_profile: str | None) -> Any:
        made.append(aws_profile)
        return _session(aws_profile)

    gateway = AdminGateway(session_factory=factory)

    def no_credentials(_client: Any) -> Any:
        raise bx.NoCredentialsError()

    _, failure = gateway.call(SETTINGS, "ListUsers", no_credentials)
    assert isinstance(failure, AdminFailure) and failure.code == "NoCredentials"
    gateway.call(SETTINGS, "ListUsers", lambda client: None)
    assert len(made) == 2  # a new session after the credential failure
    gateway.call(SETTINGS, "ListUsers", lambda client: None)
    assert len(made) == 2


def test_static_credentials_ignore_the_aws_profile() -> None:
    session = static_credentials("AKIDSANDBOX", "dummy")("some-profile")
    credentials = session.get_credentials()
    assert credentials.access_key == "AKIDSANDBOX" and credentials.secret_key == "dummy"


def test_admin_settings_from_profile() -> None:
    profile = Profile(
        region="eu-west-1",
        user_pool_id="eu-west-1_Abc",
        client_id="client1",
        aws_profile="helpdesk",
    )
    settings = admin_settings(profile, ConsoleSettings(read_timeout=3, max_attempts=2))
    assert settings == AdminSettings(
        region="eu-west-1",
        endpoint_url=None,
        aws_profile="helpdesk",
        connect_timeout=5.0,
        read_timeout=3,
        max_attempts=2,
    )


# -- the pre-flight warning ---------------------------------------------------


def _user(**changes: Any) -> UserSummary:
    base: dict[str, Any] = {
        "username": "alice",
        "status": "UNCONFIRMED",
        "enabled": True,
        "email": "alice@example.com",
    }
    base.update(changes)
    return UserSummary(**base)


@pytest.mark.parametrize(
    ("changes", "needle"),
    [
        ({}, None),
        ({"status": "CONFIRMED"}, "already CONFIRMED"),
        ({"enabled": False}, "is disabled"),
        ({"enabled": False, "status": "CONFIRMED"}, "is disabled"),
        ({"status": "FORCE_CHANGE_PASSWORD"}, "status FORCE_CHANGE_PASSWORD"),
        ({"status": "EXTERNAL_PROVIDER"}, "no sign-up to confirm"),
        ({"email": None}, "no email or phone number"),
        ({"email": None, "phone_number": "+15555550100"}, None),
    ],
)
def test_preflight_warning(changes: dict[str, Any], needle: str | None) -> None:
    warning = preflight_warning(_user(**changes))
    if needle is None:
        assert warning is None
    else:
        assert warning is not None and needle in warning


def test_user_summary_from_list_users_and_json() -> None:
    user = UserSummary.from_api(
        api_user("zoe", email="z@example.com", email_verified="True", sub="abc-123")
    )
    assert user.email_verified is True and user.sub == "abc-123"
    data = user.to_json()
    assert data["created"] == "2025-01-31T09:00:00+00:00"
    assert list(data) == [
        "username",
        "status",
        "enabled",
        "email",
        "email_verified",
        "phone_number",
        "phone_number_verified",
        "created",
        "last_modified",
        "sub",
    ]
