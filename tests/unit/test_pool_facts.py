"""Pool facts without a server: parsing, the secret never kept, explanations, the cache."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import SecretStr

from console.cognito import (
    SIMULATED_NOTE,
    AdminFailure,
    AdminGateway,
    AdminSettings,
    Delivery,
    ErrorInfo,
    Outcome,
    OutcomeKind,
    PoolFacts,
    PoolFactsCache,
    PoolFactsResult,
    TriggerFact,
    fetch_pool_facts,
)
from console.cognito import explain_outcome as explain
from console.config import ConsoleSettings, Profile

SECRET = "s3cr3t-client-secret-value-0123456789"
ARN = "arn:aws:lambda:us-east-1:123456789012:function:msg"


class FakeGateway(AdminGateway):
    """Answers calls from canned responses (or failures), by operation."""

    def __init__(self, answers: dict[str, Any]) -> None:
        super().__init__()
        self.answers = answers
        self.calls: list[str] = []

    def call(self, settings: AdminSettings, operation: str, invoke: Any) -> Any:
        self.calls.append(operation)
        answer = self.answers[operation]
        if isinstance(answer, AdminFailure):
            return None, answer
        return answer, None


POOL_ANSWER = {
    "UserPool": {
        "Id": "us-east-1_X",
        "Name": "prod",
        "AutoVerifiedAttributes": ["email"],
        "EmailConfiguration": {"EmailSendingAccount": "DEVELOPER", "SourceArn": "arn:ses"},
        "LambdaConfig": {
            "CustomMessage": ARN,
            "CustomSMSSender": {"LambdaVersion": "V1_0", "LambdaArn": ARN + "-sms"},
        },
        "UsernameAttributes": ["email"],
    }
}
CLIENT_ANSWER = {
    "UserPoolClient": {
        "ClientId": "c1",
        "ClientName": "web",
        "ClientSecret": SECRET,
        "PreventUserExistenceErrors": "ENABLED",
    }
}


def fetch(answers: dict[str, Any], *, profile_has_secret: bool = False) -> PoolFactsResult:
    return fetch_pool_facts(
        FakeGateway(answers),
        AdminSettings(region="us-east-1"),
        profile_name="prod",
        user_pool_id="us-east-1_X",
        client_id="c1",
        profile_has_secret=profile_has_secret,
    )


def test_facts_from_both_answers_without_the_secret() -> None:
    result = fetch({"DescribeUserPool": POOL_ANSWER, "DescribeUserPoolClient": CLIENT_ANSWER})
    assert result.ok
    facts = result.facts
    assert facts is not None
    assert facts.pool_name == "prod"
    assert facts.auto_verified == ("email",)
    assert facts.email_sending_account == "DEVELOPER"
    assert facts.email_source_arn == "arn:ses"
    assert facts.triggers == (
        TriggerFact("CustomMessage", ARN),
        TriggerFact("CustomSMSSender", ARN + "-sms"),
    )
    assert facts.username_attributes == ("email",)
    assert facts.hides_unknown_users
    assert facts.client_has_secret and facts.secret_missing
    for shown in (repr(facts), str(facts.to_json()), "\n".join(facts.summary())):
        assert SECRET not in shown
    assert any("has a secret; the profile has none" in line for line in facts.summary())


def test_pool_without_email_configuration_uses_cognito_default() -> None:
    bare = {"UserPool": {"Id": "us-east-1_X"}}
    client = {"UserPoolClient": {"ClientId": "c1"}}
    facts = fetch({"DescribeUserPool": bare, "DescribeUserPoolClient": client}).facts
    assert facts is not None
    assert facts.email_sending_account == "COGNITO_DEFAULT"
    assert facts.prevent_user_existence_errors == "LEGACY"
    assert facts.auto_verified == () and facts.triggers == ()
    assert facts.client_has_secret is False
    warnings = facts.warnings()
    assert "the pool auto-verifies no attribute: every resend will fail" in warnings
    assert any("50 emails a day" in w for w in warnings)


def test_one_failed_call_leaves_the_other_facts() -> None:
    denied = AdminFailure(
        "DescribeUserPoolClient", "AccessDeniedException", "denied", "cognito-idp:x"
    )
    result = fetch({"DescribeUserPool": POOL_ANSWER, "DescribeUserPoolClient": denied})
    assert not result.ok and result.failures == (denied,)
    facts = result.facts
    assert facts is not None and not facts.complete
    assert facts.auto_verified == ("email",)
    assert facts.client_has_secret is None and not facts.secret_missing
    assert facts.prevent_user_existence_errors is None
    assert facts.summary()[-1] == "unknown: denied"


def test_both_failed_gives_no_facts() -> None:
    denied = AdminFailure("DescribeUserPool", "NoCredentials", "no creds")
    result = fetch({"DescribeUserPool": denied, "DescribeUserPoolClient": denied})
    assert result.facts is None and len(result.failures) == 2


# -- explanations -------------------------------------------------------------


def facts(**changes: Any) -> PoolFacts:
    base: dict[str, Any] = {
        "profile": "p",
        "user_pool_id": "us-east-1_X",
        "client_id": "c1",
        "auto_verified": ("email", "phone_number"),
        "email_sending_account": "COGNITO_DEFAULT",
        "triggers": (),
        "username_attributes": (),
        "alias_attributes": (),
        "prevent_user_existence_errors": "LEGACY",
        "client_has_secret": False,
    }
    base.update(changes)
    return PoolFacts(**base)


def failed(code: str, message: str = "") -> Outcome:
    return Outcome(
        kind=OutcomeKind.FAILED,
        error=ErrorInfo(code=code, message=message, http_status=400, meaning="", remedy=""),
    )


def delivered(medium: str = "EMAIL", **extra: Any) -> Outcome:
    attribute = "email" if medium == "EMAIL" else "phone_number"
    return Outcome(
        kind=OutcomeKind.DELIVERED, delivery=Delivery(medium, "a***@e***.com", attribute), **extra
    )


@pytest.mark.parametrize(
    ("outcome", "pool", "expected"),
    [
        (delivered(), facts(prevent_user_existence_errors="ENABLED"), [SIMULATED_NOTE]),
        (delivered(), facts(), []),
        (
            failed("NotAuthorizedException", "SECRET_HASH was not received"),
            facts(client_has_secret=True),
            ["NotAuthorized: this client has a secret and the profile has none configured"],
        ),
        (
            failed("NotAuthorizedException", "Unable to verify secret hash"),
            facts(client_has_secret=False, profile_has_secret=True),
            [
                "NotAuthorized: the profile has a client secret but this client has none; "
                "remove the secret from the profile"
            ],
        ),
        (
            failed("NotAuthorizedException", "User is disabled."),
            facts(client_has_secret=True, profile_has_secret=True),
            [],
        ),
        (
            failed("InvalidParameterException", "Auto verification not turned on."),
            facts(auto_verified=()),
            ["InvalidParameter: the pool auto-verifies no attribute"],
        ),
        (
            failed("InvalidParameterException", "User is already confirmed."),
            facts(auto_verified=("email",)),
            [],
        ),
        (
            failed("InvalidParameterException", "User has no email attribute"),
            facts(auto_verified=("email",)),
            [
                "InvalidParameter: the pool auto-verifies only email: "
                "the user needs one of them to get a code"
            ],
        ),
        (
            failed("LimitExceededException"),
            facts(),
            [
                "LimitExceeded: the pool sends with COGNITO_DEFAULT (50 emails a day): "
                "the daily cap may be spent"
            ],
        ),
        (failed("UserNotFoundException"), facts(), []),
        (failed("InternalErrorException"), facts(), []),
    ],
)
def test_each_explanation_follows_a_fact(
    outcome: Outcome, pool: PoolFacts, expected: list[str]
) -> None:
    assert explain(outcome, pool) == expected


def test_no_facts_no_explanations() -> None:
    assert explain(failed("LimitExceededException"), None) == []


def test_gateway_note_is_not_repeated() -> None:
    noted = delivered(may_be_simulated=True, notes=(SIMULATED_NOTE,))
    assert explain(noted, facts(prevent_user_existence_errors="ENABLED")) == []


def test_triggers_explain_deliveries_and_lambda_errors() -> None:
    pool = facts(
        triggers=(
            TriggerFact("CustomMessage", ARN),
            TriggerFact("CustomEmailSender", ARN + "-email"),
        )
    )
    lines = explain(delivered("EMAIL"), pool)
    assert lines[0].startswith(f"a CustomEmailSender trigger ({ARN}-email) sends this message")
    assert lines[1] == f"a CustomMessage trigger ({ARN}) wrote this message"
    assert explain(delivered("SMS"), pool) == [
        f"a CustomMessage trigger ({ARN}) wrote this message"
    ]
    errors = explain(failed("InvalidLambdaResponseException"), pool)
    assert len(errors) == 2 and all("failed; read its logs" in line for line in errors)


def test_aliases_and_ses_explanations() -> None:
    pool = facts(
        username_attributes=("email",),
        email_sending_account="DEVELOPER",
        email_source_arn="arn:aws:ses:x",
    )
    assert "sign in with email" in explain(failed("UserNotFoundException"), pool)[0]
    assert "arn:aws:ses:x" in explain(failed("CodeDeliveryFailureException"), pool)[0]
    assert "per-user limit" in explain(failed("LimitExceededException"), pool)[0]


# -- the cache ----------------------------------------------------------------


def test_cache_asks_once_per_profile_until_refresh() -> None:
    asked: list[tuple[str, str]] = []

    def fake_fetch(gateway: Any, settings: AdminSettings, **kw: Any) -> PoolFactsResult:
        asked.append((kw["profile_name"], kw["client_id"]))
        return PoolFactsResult(facts(profile=kw["profile_name"], client_id=kw["client_id"]))

    cache = PoolFactsCache(AdminGateway(), fetch=fake_fetch)
    console = ConsoleSettings()
    prod = Profile(region="us-east-1", user_pool_id="us-east-1_X", client_id="c1")
    other = prod.model_copy(update={"client_id": "c2"})
    first = cache.get("prod", prod, console)
    assert cache.get("prod", prod, console) is first
    assert cache.peek("prod") is first and cache.peek("other") is None
    cache.get("other", other, console)
    assert asked == [("prod", "c1"), ("other", "c2")]
    cache.get("prod", prod, console, refresh=True)
    cache.get("prod", other, console)  # the profile changed under the same name
    assert asked[-2:] == [("prod", "c1"), ("prod", "c2")]
    with_secret = other.model_copy(update={"client_secret": SecretStr("x")})
    cache.get("prod", with_secret, console)
    assert len(asked) == 5
    cache.invalidate("prod")
    assert cache.peek("prod") is None and cache.peek("other") is not None
    cache.invalidate()
    assert cache.peek("other") is None
