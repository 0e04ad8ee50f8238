"""Pool facts against the sandbox over HTTP, and each explanation they drive.

A sandbox of its own: the tests change its pool with UpdateUserPool (which
replaces the whole configuration in moto, so each test states it in full),
then resend for real and explain the real outcome.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from console.cognito import (
    AdminGateway,
    AdminSettings,
    ClientSettings,
    Gateway,
    Outcome,
    PoolFacts,
    PoolFactsCache,
    build_request,
    fetch_pool_facts,
    static_credentials,
)
from console.cognito import explain_outcome as explain
from console.config import ConsoleSettings, Profile
from console.sandbox import Sandbox, start_sandbox
from console.sandbox.denials import DENIED_ACCESS_KEY_ID
from console.usecases import perform_resend

CUSTOM_MESSAGE_ARN = "arn:aws:lambda:us-east-1:123456789012:function:custom-message"
EMAIL_SENDER_ARN = "arn:aws:lambda:us-east-1:123456789012:function:email-sender"
SMS_SENDER_ARN = "arn:aws:lambda:us-east-1:123456789012:function:sms-sender"
SES_ARN = "arn:aws:ses:us-east-1:123456789012:identity/example.com"
DEMO_POOL_CONFIG: dict[str, Any] = {
    "AutoVerifiedAttributes": ["email", "phone_number"],
    "EmailConfiguration": {"EmailSendingAccount": "COGNITO_DEFAULT"},
}


def _session(access_key: str) -> Any:
    return static_credentials(access_key, "dummy-secret")


@pytest.fixture(scope="module")
def facts_pool() -> Iterator[Sandbox]:
    running = start_sandbox()
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="module")
def admin() -> AdminGateway:
    return AdminGateway(session_factory=_session("AKIDHELPDESK0000"))


@pytest.fixture
def configure(facts_pool: Sandbox, admin: AdminGateway) -> Iterator[Any]:
    """``configure(**UpdateUserPool fields)``: the pool as stated; the demo set-up afterwards."""
    info = facts_pool.info
    client = admin.client(settings(facts_pool))

    def apply(**config: Any) -> None:
        client.update_user_pool(UserPoolId=info.user_pool_id, **config)

    yield apply
    apply(**DEMO_POOL_CONFIG)


def settings(sandbox: Sandbox, endpoint: str | None = None) -> AdminSettings:
    info = sandbox.info
    return AdminSettings(
        region=info.region,
        endpoint_url=endpoint or info.endpoint_url,
        connect_timeout=2,
        read_timeout=5,
        max_attempts=1,
    )


def profile(sandbox: Sandbox, client: str, *, secret: bool) -> Profile:
    info = sandbox.info
    chosen = info.client(client)
    return Profile(
        region=info.region,
        user_pool_id=info.user_pool_id,
        client_id=chosen.client_id,
        endpoint_url=info.endpoint_url,
        client_secret=SecretStr(chosen.client_secret) if secret and chosen.client_secret else None,
    )


def facts_for(sandbox: Sandbox, admin: AdminGateway, prof: Profile) -> PoolFacts:
    result = fetch_pool_facts(
        admin,
        settings(sandbox),
        profile_name="test",
        user_pool_id=prof.user_pool_id,
        client_id=prof.client_id,
        profile_has_secret=prof.has_secret(),
    )
    assert result.ok and result.facts is not None, result.failures
    return result.facts


def resend(
    sandbox: Sandbox, prof: Profile, username: str, *, may_simulate: bool = False
) -> Outcome:
    client_settings = ClientSettings(
        region=prof.region, endpoint_url=prof.endpoint_url, max_attempts=1
    )
    request = build_request(
        client_id=prof.client_id, username=username, secret=prof.resolve_secret("test")
    )
    return perform_resend(
        Gateway(),
        None,
        profile_name="test",
        profile=prof,
        settings=client_settings,
        request=request,
        may_simulate=may_simulate,
    ).outcome


def test_demo_pool_facts(facts_pool: Sandbox, admin: AdminGateway) -> None:
    public = facts_for(facts_pool, admin, profile(facts_pool, "public", secret=False))
    assert public.auto_verified == ("email", "phone_number")
    assert public.email_sending_account == "COGNITO_DEFAULT"
    assert public.triggers == ()
    assert public.prevent_user_existence_errors == "LEGACY"
    assert public.client_has_secret is False and not public.secret_missing
    assert any("capped at 50 emails a day" in w for w in public.warnings())
    confidential = facts_for(facts_pool, admin, profile(facts_pool, "confidential", secret=False))
    assert confidential.hides_unknown_users
    assert confidential.client_has_secret and confidential.secret_missing
    # Whether there is a secret, never the secret.
    secret = facts_pool.info.client("confidential").client_secret
    assert secret and secret not in repr(confidential) and secret not in str(confidential.to_json())


def test_simulated_success_is_explained(facts_pool: Sandbox, admin: AdminGateway) -> None:
    prof = profile(facts_pool, "confidential", secret=True)
    facts = facts_for(facts_pool, admin, prof)
    outcome = resend(facts_pool, prof, "no-such-user-anywhere")
    assert outcome.ok
    assert "success may be simulated: this client hides unknown users" in explain(outcome, facts)
    # The gateway's own note is not repeated.
    noted = resend(facts_pool, prof, "no-such-user-anywhere", may_simulate=True)
    assert noted.may_be_simulated and explain(noted, facts) == []


def test_missing_secret_is_explained(facts_pool: Sandbox, admin: AdminGateway) -> None:
    prof = profile(facts_pool, "confidential", secret=False)
    outcome = resend(facts_pool, prof, "alice")
    assert outcome.error is not None and outcome.error.code == "NotAuthorizedException"
    assert explain(outcome, facts_for(facts_pool, admin, prof)) == [
        "NotAuthorized: this client has a secret and the profile has none configured"
    ]


def test_no_auto_verified_attribute_is_explained(
    facts_pool: Sandbox, admin: AdminGateway, configure: Any
) -> None:
    configure(AutoVerifiedAttributes=[], EmailConfiguration={"EmailSendingAccount": "DEVELOPER"})
    prof = profile(facts_pool, "public", secret=False)
    facts = facts_for(facts_pool, admin, prof)
    assert facts.auto_verified == ()
    outcome = resend(facts_pool, prof, "alice")
    assert outcome.error is not None and outcome.error.code == "InvalidParameterException"
    assert explain(outcome, facts) == ["InvalidParameter: the pool auto-verifies no attribute"]


def test_daily_email_cap_is_explained(
    facts_pool: Sandbox, admin: AdminGateway, configure: Any
) -> None:
    facts_pool.add_user("limited-default", email="limited-default@example.com")
    prof = profile(facts_pool, "public", secret=False)
    facts = facts_for(facts_pool, admin, prof)
    outcomes = [resend(facts_pool, prof, "limited-default") for _ in range(6)]
    last = outcomes[-1]
    assert last.error is not None and last.error.code == "LimitExceededException"
    # "Attempt limit exceeded" is the per-user limit: the email cap is not to blame.
    assert last.error.meaning.startswith("Too many codes for this user")
    assert explain(last, facts) == []
    # Cognito's own words for the spent daily cap (the sandbox has no such cap).
    capped = Outcome(
        kind=last.kind,
        error=replace(
            last.error,
            message="Exceeded daily email limit for the operation or the account.",
        ),
    )
    assert explain(capped, facts) == [
        "LimitExceeded: the pool sends with COGNITO_DEFAULT (50 emails a day): "
        "the daily cap may be spent"
    ]
    last = Outcome(kind=last.kind, error=replace(last.error, message="Limit exceeded."))
    configure(
        AutoVerifiedAttributes=["email"],
        EmailConfiguration={"EmailSendingAccount": "DEVELOPER", "SourceArn": SES_ARN},
    )
    developer = facts_for(facts_pool, admin, prof)
    assert developer.email_sending_account == "DEVELOPER"
    assert developer.email_source_arn == SES_ARN
    assert "per-user limit" in explain(last, developer)[0]


def test_triggers_are_named(facts_pool: Sandbox, admin: AdminGateway, configure: Any) -> None:
    configure(
        **DEMO_POOL_CONFIG,
        LambdaConfig={
            "CustomMessage": CUSTOM_MESSAGE_ARN,
            "CustomEmailSender": {"LambdaVersion": "V1_0", "LambdaArn": EMAIL_SENDER_ARN},
            "CustomSMSSender": {"LambdaVersion": "V1_0", "LambdaArn": SMS_SENDER_ARN},
            "KMSKeyID": "arn:aws:kms:us-east-1:123456789012:key/demo",
        },
    )
    prof = profile(facts_pool, "public", secret=False)
    facts = facts_for(facts_pool, admin, prof)
    assert [(t.kind, t.arn) for t in facts.triggers or ()] == [
        ("CustomMessage", CUSTOM_MESSAGE_ARN),
        ("CustomEmailSender", EMAIL_SENDER_ARN),
        ("CustomSMSSender", SMS_SENDER_ARN),
    ]
    facts_pool.add_user("trigger-mail", email="trigger-mail@example.com")
    facts_pool.add_user("trigger-sms", phone_number="+15555550177")
    email = explain(resend(facts_pool, prof, "trigger-mail"), facts)
    assert f"a CustomMessage trigger ({CUSTOM_MESSAGE_ARN}) wrote this message" in email
    assert any(EMAIL_SENDER_ARN in line and "CustomEmailSender" in line for line in email)
    sms = explain(resend(facts_pool, prof, "trigger-sms"), facts)
    assert any(SMS_SENDER_ARN in line for line in sms)
    assert not any(EMAIL_SENDER_ARN in line for line in sms)
    facts_pool.set_fault(
        "error", code="UserLambdaValidationException", message="boom from trigger", count=1
    )
    failed = resend(facts_pool, prof, "trigger-mail")
    assert failed.error is not None and failed.error.code == "UserLambdaValidationException"
    assert any(CUSTOM_MESSAGE_ARN in line and "failed" in line for line in explain(failed, facts))


def test_alias_sign_in_is_explained_for_unknown_users(
    facts_pool: Sandbox, admin: AdminGateway
) -> None:
    # AliasAttributes is set when a pool is created: make one next to the demo pool.
    client = admin.client(settings(facts_pool))
    pool_id = client.create_user_pool(
        PoolName="aliases", AliasAttributes=["email", "preferred_username"], **DEMO_POOL_CONFIG
    )["UserPool"]["Id"]
    try:
        app = client.create_user_pool_client(UserPoolId=pool_id, ClientName="app")
        prof = profile(facts_pool, "public", secret=False).model_copy(
            update={"user_pool_id": pool_id, "client_id": app["UserPoolClient"]["ClientId"]}
        )
        facts = facts_for(facts_pool, admin, prof)
        assert facts.alias_attributes == ("email", "preferred_username")
        outcome = resend(facts_pool, prof, "someone@example.org")
    finally:
        client.delete_user_pool(UserPoolId=pool_id)
    assert outcome.error is not None and outcome.error.code == "UserNotFoundException"
    assert "look up the real username" in explain(outcome, facts)[0]


def test_delivery_failure_with_ses_is_explained(
    facts_pool: Sandbox, admin: AdminGateway, configure: Any
) -> None:
    configure(
        AutoVerifiedAttributes=["email"],
        EmailConfiguration={"EmailSendingAccount": "DEVELOPER", "SourceArn": SES_ARN},
    )
    prof = profile(facts_pool, "public", secret=False)
    facts = facts_for(facts_pool, admin, prof)
    facts_pool.set_fault("error", code="CodeDeliveryFailureException", message="no", count=1)
    outcome = resend(facts_pool, prof, "alice")
    assert outcome.error is not None and outcome.error.code == "CodeDeliveryFailureException"
    assert SES_ARN in explain(outcome, facts)[0]


def test_cache_per_profile_with_refresh(
    facts_pool: Sandbox, admin: AdminGateway, configure: Any
) -> None:
    cache = PoolFactsCache(admin)
    console = ConsoleSettings(connect_timeout=2, read_timeout=5, max_attempts=1)
    prof = profile(facts_pool, "public", secret=False)
    first = cache.get("public", prof, console)
    assert first.facts is not None and first.facts.auto_verified == ("email", "phone_number")
    configure(AutoVerifiedAttributes=["email"])
    assert cache.get("public", prof, console) is first  # cached for the session
    fresh = cache.get("public", prof, console, refresh=True)
    assert fresh.facts is not None and fresh.facts.auto_verified == ("email",)
    assert cache.peek("public") is fresh


def test_denied_describe_calls_name_their_permissions(
    facts_pool: Sandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from werkzeug.serving import make_server

    from console.sandbox.denials import with_denials
    from console.sandbox.wsgi import shared_moto_app

    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    server = make_server("127.0.0.1", 0, with_denials(shared_moto_app()), threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        prof = profile(facts_pool, "public", secret=False)
        result = fetch_pool_facts(
            AdminGateway(session_factory=_session(DENIED_ACCESS_KEY_ID)),
            settings(facts_pool, endpoint=f"http://127.0.0.1:{server.port}"),
            profile_name="test",
            user_pool_id=prof.user_pool_id,
            client_id=prof.client_id,
            profile_has_secret=False,
        )
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
    assert result.facts is None
    assert [f.permission for f in result.failures] == [
        "cognito-idp:DescribeUserPool",
        "cognito-idp:DescribeUserPoolClient",
    ]
    assert all(f.code == "AccessDeniedException" for f in result.failures)


def test_demo_pool_names_the_sandbox_trigger(admin: AdminGateway) -> None:
    """`sandbox --custom-message-trigger` shows up in the pool's facts, as on AWS."""
    example = Path(__file__).resolve().parents[2] / "examples" / "custom_message_trigger.py"
    with start_sandbox(custom_message_trigger=f"{example}:handler") as running:
        prof = profile(running, "public", secret=False)
        facts = facts_for(running, admin, prof)
    trigger = facts.trigger("CustomMessage")
    assert trigger is not None
    assert trigger.arn.endswith(":function:sandbox-handler")
    assert trigger.arn.startswith(f"arn:aws:lambda:{running.info.region}:")
