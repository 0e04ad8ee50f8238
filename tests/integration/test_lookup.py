"""Finding users against the sandbox over HTTP: every key, pagination, credentials, denials.

Credentials are dummies set on a botocore session in the test (or read from a
temporary AWS credentials file); the real ~/.aws is never read: the AWS_*
variables point at files under tmp_path, and instance metadata is off.
"""

from __future__ import annotations

import argparse
import json
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from console.cognito import (
    AdminGateway,
    AdminSettings,
    LookupKey,
    build_query,
    find_users,
    get_user,
    new_session,
    preflight_warning,
    static_credentials,
)
from console.sandbox import Sandbox, start_sandbox
from console.sandbox.denials import DENIED_ACCESS_KEY_ID

PHONE_PREFIX = "+1555123"
PHONE_USERS = 65
_AWS_VARS = (
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_ROLE_ARN",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_CREDENTIAL_PROCESS",
)


@pytest.fixture(scope="module")
def pool() -> Iterator[Sandbox]:
    """A sandbox with the demo users, user0001..user0070 and 65 phone-only users."""
    running = start_sandbox(users=70)
    for number in range(PHONE_USERS):
        running.add_user(f"phone{number:03d}", phone_number=f"{PHONE_PREFIX}{number:04d}")
    running.add_user("eve", email="eve@example.com", enabled=False)
    running.add_user('quote"back\\slash', email="odd@example.com")
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture
def aws_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No ambient AWS credentials; AWS files in tmp_path with 'helpdesk' and 'denied' profiles."""
    for name in _AWS_VARS:
        monkeypatch.delenv(name, raising=False)
    credentials = tmp_path / "aws-credentials"
    credentials.write_text(
        "[helpdesk]\naws_access_key_id = AKIDHELPDESK0000\naws_secret_access_key = dummy\n"
        f"[denied]\naws_access_key_id = {DENIED_ACCESS_KEY_ID}\naws_secret_access_key = dummy\n",
        encoding="utf-8",
    )
    config = tmp_path / "aws-config"
    config.write_text("", encoding="utf-8")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(credentials))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    return tmp_path


def session_with(access_key: str) -> Callable[[str | None], Any]:
    """A session factory handing out botocore sessions with dummy static credentials."""
    return static_credentials(access_key, "dummy-secret")


def settings_for(sandbox: Sandbox, *, endpoint: str | None = None, **extra: Any) -> AdminSettings:
    info = sandbox.info
    return AdminSettings(
        region=info.region,
        endpoint_url=endpoint or info.endpoint_url,
        connect_timeout=2,
        read_timeout=5,
        max_attempts=1,
        **extra,
    )


@pytest.fixture
def admin(aws_env: Path) -> AdminGateway:
    return AdminGateway(session_factory=session_with("AKIDHELPDESK0000"))


def denying_endpoint_for(sandbox: Sandbox) -> Iterator[str]:
    """An endpoint that denies admin reads to AKIDDENIED... keys in front of *sandbox*'s pool.

    Once the sandbox wires denials in itself, its own endpoint is used.
    """
    from botocore.config import Config

    probe = new_session()
    probe.set_credentials(DENIED_ACCESS_KEY_ID, "dummy")
    client = probe.create_client(
        "cognito-idp",
        region_name=sandbox.info.region,
        endpoint_url=sandbox.info.endpoint_url,
        config=Config(retries={"total_max_attempts": 1}),
    )
    try:
        client.describe_user_pool(UserPoolId=sandbox.info.user_pool_id)
    except client.exceptions.ClientError as exc:
        if exc.response["Error"]["Code"] == "AccessDeniedException":
            yield sandbox.info.endpoint_url  # the sandbox denies by itself: wired
            return
    from werkzeug.serving import make_server

    from console.sandbox.denials import with_denials
    from console.sandbox.wsgi import shared_moto_app

    server = make_server("127.0.0.1", 0, with_denials(shared_moto_app()), threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@pytest.fixture(scope="module")
def denying_endpoint(pool: Sandbox) -> Iterator[str]:
    yield from denying_endpoint_for(pool)


# -- each key ---------------------------------------------------------------


def test_exact_email_finds_the_real_username(pool: Sandbox, admin: AdminGateway) -> None:
    query = build_query(LookupKey.EMAIL, "alice@example.com")
    result = find_users(admin, settings_for(pool), pool.info.user_pool_id, query)
    assert result.ok, result.failure
    assert [u.username for u in result.users] == ["alice"]
    alice = result.users[0]
    assert alice.status == "UNCONFIRMED"
    assert alice.enabled is True
    assert alice.email == "alice@example.com"
    assert alice.email_verified is False
    assert alice.sub and alice.created is not None and alice.last_modified is not None
    assert preflight_warning(alice) is None


def test_exact_phone_number_with_punctuation(pool: Sandbox, admin: AdminGateway) -> None:
    query = build_query(LookupKey.PHONE, "+1 (555) 555-0100")
    result = find_users(admin, settings_for(pool), pool.info.user_pool_id, query)
    assert [u.username for u in result.users] == ["bob"]
    assert result.users[0].phone_number == "+15555550100"
    assert result.users[0].phone_number_verified is False


def test_exact_username(pool: Sandbox, admin: AdminGateway) -> None:
    query = build_query(LookupKey.USERNAME, "user0042")
    result = find_users(admin, settings_for(pool), pool.info.user_pool_id, query)
    assert [u.username for u in result.users] == ["user0042"]
    assert result.pages == 1


def test_username_with_quote_and_backslash_goes_through_admin_get_user(
    pool: Sandbox, admin: AdminGateway
) -> None:
    query = build_query(LookupKey.USERNAME, 'quote"back\\slash')
    assert not query.uses_filter
    result = find_users(admin, settings_for(pool), pool.info.user_pool_id, query)
    assert result.ok, result.failure
    assert [u.username for u in result.users] == ['quote"back\\slash']
    assert result.users[0].email == "odd@example.com"


def test_nobody_found_is_ok_and_empty(pool: Sandbox, admin: AdminGateway) -> None:
    query = build_query(LookupKey.EMAIL, "nobody@example.com")
    result = find_users(admin, settings_for(pool), pool.info.user_pool_id, query)
    assert result.ok and result.users == () and not result.truncated
    missing = get_user(admin, settings_for(pool), pool.info.user_pool_id, "nobody-at-all")
    assert missing.ok and missing.users == ()


# -- pagination past 60 ------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "prefix", "expected"),
    [
        (LookupKey.USERNAME, "user00", 70),
        (LookupKey.EMAIL, "user00", 70),
        (LookupKey.PHONE, PHONE_PREFIX, PHONE_USERS),
    ],
)
def test_prefix_search_pages_past_60(
    pool: Sandbox, admin: AdminGateway, key: LookupKey, prefix: str, expected: int
) -> None:
    query = build_query(key, prefix, prefix=True, limit=200)
    result = find_users(admin, settings_for(pool), pool.info.user_pool_id, query)
    assert result.ok, result.failure
    assert len(result.users) == expected
    assert len({u.username for u in result.users}) == expected
    assert result.pages == 2
    assert not result.truncated


def test_limit_stops_early_and_says_truncated(pool: Sandbox, admin: AdminGateway) -> None:
    query = build_query(LookupKey.USERNAME, "user", prefix=True, limit=65)
    result = find_users(admin, settings_for(pool), pool.info.user_pool_id, query)
    assert len(result.users) == 65
    assert result.truncated


def test_admin_get_user_details(pool: Sandbox, admin: AdminGateway) -> None:
    result = get_user(admin, settings_for(pool), pool.info.user_pool_id, "bob")
    (bob,) = result.users
    assert bob.username == "bob" and bob.phone_number == "+15555550100" and bob.email is None


# -- the pre-flight warning ---------------------------------------------------


def test_confirmed_and_disabled_users_are_flagged(pool: Sandbox, admin: AdminGateway) -> None:
    settings = settings_for(pool)
    carol = get_user(admin, settings, pool.info.user_pool_id, "carol").users[0]
    eve = find_users(
        admin, settings, pool.info.user_pool_id, build_query("email", "eve@example.com")
    ).users[0]
    dave = get_user(admin, settings, pool.info.user_pool_id, "dave").users[0]
    assert carol.status == "CONFIRMED"
    assert "already CONFIRMED" in (preflight_warning(carol) or "")
    assert eve.enabled is False
    assert "is disabled" in (preflight_warning(eve) or "")
    assert "no email or phone number" in (preflight_warning(dave) or "")


# -- credentials and permissions ----------------------------------------------


def test_missing_credentials_name_the_permission(pool: Sandbox, aws_env: Path) -> None:
    result = find_users(
        AdminGateway(),
        settings_for(pool),
        pool.info.user_pool_id,
        build_query(LookupKey.EMAIL, "alice@example.com"),
    )
    assert result.failure is not None
    assert result.failure.code == "NoCredentials"
    assert result.failure.permission == "cognito-idp:ListUsers"
    assert "cognito-idp:ListUsers" in result.failure.message
    assert "\n" not in result.failure.message


def test_unknown_aws_profile_is_one_line(pool: Sandbox, aws_env: Path) -> None:
    settings = settings_for(pool, aws_profile="no-such-profile")
    result = get_user(AdminGateway(), settings, pool.info.user_pool_id, "alice")
    assert result.failure is not None and result.failure.code == "ProfileNotFound"
    assert "no-such-profile" in result.failure.message
    assert "cognito-idp:AdminGetUser" in result.failure.message


def test_credentials_from_the_profiles_aws_profile(pool: Sandbox, aws_env: Path) -> None:
    settings = settings_for(pool, aws_profile="helpdesk")
    result = get_user(AdminGateway(), settings, pool.info.user_pool_id, "alice")
    assert result.ok, result.failure
    assert result.users[0].username == "alice"


def test_denied_permission_names_it(pool: Sandbox, denying_endpoint: str, aws_env: Path) -> None:
    settings = settings_for(pool, endpoint=denying_endpoint, aws_profile="denied")
    result = find_users(
        AdminGateway(),
        settings,
        pool.info.user_pool_id,
        build_query(LookupKey.EMAIL, "alice@example.com"),
    )
    failure = result.failure
    assert failure is not None
    assert failure.code == "AccessDeniedException"
    assert failure.http_status == 400
    assert failure.permission == "cognito-idp:ListUsers"
    assert "may not call cognito-idp:ListUsers" in failure.message
    assert "arn:aws:iam::123456789012:user/helpdesk" in failure.message
    assert failure.is_access_problem
    detail = get_user(AdminGateway(), settings, pool.info.user_pool_id, "alice").failure
    assert detail is not None and "cognito-idp:AdminGetUser" in detail.message


def test_denial_leaves_other_keys_alone(pool: Sandbox, denying_endpoint: str) -> None:
    admin = AdminGateway(session_factory=session_with("AKIDHELPDESK0000"))
    settings = settings_for(pool, endpoint=denying_endpoint)
    result = get_user(admin, settings, pool.info.user_pool_id, "alice")
    assert result.ok, result.failure


def test_resend_still_works_without_credentials(
    pool: Sandbox, aws_env: Path, cognito_for: Callable[..., Any]
) -> None:
    # The lookup fails for want of credentials; the unsigned resend does not need them.
    failed = find_users(
        AdminGateway(), settings_for(pool), pool.info.user_pool_id, build_query("username", "x")
    )
    assert failed.failure is not None
    answer = cognito_for(pool).resend_confirmation_code(
        ClientId=pool.info.client("public").client_id, Username="alice"
    )
    assert answer["CodeDeliveryDetails"]["DeliveryMedium"] == "EMAIL"


# -- the CLI ------------------------------------------------------------------


def _subcommands() -> set[str]:
    from console.cli import build_parser

    for action in build_parser()._actions:
        if isinstance(action, argparse._SubParsersAction):
            return set(action.choices)
    return set()


@pytest.fixture
def lookup_cli(
    pool: Sandbox, aws_env: Path, capsys: pytest.CaptureFixture[str]
) -> Callable[..., tuple[int, str, str]]:
    if "lookup" not in _subcommands():
        pytest.skip("lookup not wired yet")
    from console.cli import main

    info = pool.info
    config = aws_env / "cognito-console.toml"
    body = f"""
[console]
default_profile = "helpdesk"
history_path = "{aws_env / "history.sqlite3"}"
connect_timeout = 2
read_timeout = 5
max_attempts = 1
"""
    for name, aws_profile in (("helpdesk", "helpdesk"), ("nocreds", None), ("denied", "denied")):
        body += f"""
[profiles.{name}]
region = "{info.region}"
user_pool_id = "{info.user_pool_id}"
client_id = "{info.client("public").client_id}"
endpoint_url = "{info.endpoint_url}"
"""
        if aws_profile:
            body += f'aws_profile = "{aws_profile}"\n'
    config.write_text(body, encoding="utf-8")

    def run(*argv: str) -> tuple[int, str, str]:
        code = main(["--config", str(config), *argv])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


def test_cli_lookup_by_email(lookup_cli: Callable[..., tuple[int, str, str]]) -> None:
    code, out, _ = lookup_cli("lookup", "--email", "carol@example.com")
    assert code == 0
    assert out.splitlines()[0] == "carol  CONFIRMED  enabled"
    assert "warning: carol is already CONFIRMED" in out
    assert '1 user with email = "carol@example.com"' in out


def test_cli_lookup_json_prefix(lookup_cli: Callable[..., tuple[int, str, str]]) -> None:
    code, out, _ = lookup_cli(
        "lookup", "--phone", PHONE_PREFIX, "--prefix", "--limit", "100", "--json"
    )
    assert code == 0
    result = json.loads(out)
    assert result["count"] == PHONE_USERS and result["error"] is None
    assert result["query"] == {
        "key": "phone_number",
        "value": PHONE_PREFIX,
        "prefix": True,
        "limit": 100,
    }
    assert {u["status"] for u in result["users"]} == {"UNCONFIRMED"}


def test_cli_lookup_none_found_exits_1(lookup_cli: Callable[..., tuple[int, str, str]]) -> None:
    code, out, _ = lookup_cli("lookup", "--username", "nobody-here")
    assert code == 1
    assert out.strip() == 'no user with username = "nobody-here"'


def test_cli_lookup_bad_input_exits_2(lookup_cli: Callable[..., tuple[int, str, str]]) -> None:
    code, _, err = lookup_cli("lookup", "--email", 'a"b@example.com')
    assert code == 2
    assert err.strip().startswith("invalid input: --email: cannot contain a double quote")


def test_cli_lookup_without_credentials_exits_1_on_one_line(
    lookup_cli: Callable[..., tuple[int, str, str]],
) -> None:
    code, out, err = lookup_cli("lookup", "--profile", "nocreds", "--email", "alice@example.com")
    assert code == 1
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    assert "no AWS credentials" in err and "cognito-idp:ListUsers" in err
    assert "Traceback" not in err
