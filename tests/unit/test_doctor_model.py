"""The doctor's results without a sandbox: masking, the verdict and its order, pool-fact risks."""

from __future__ import annotations

from console.cognito import (
    CheckResult,
    CheckStatus,
    DoctorReport,
    Outcome,
    OutcomeKind,
    PoolFacts,
    TriggerFact,
    delivery_risks,
    mask_address,
)
from console.cognito.outcomes import Delivery


def test_addresses_are_masked_as_cognito_masks_destinations() -> None:
    assert mask_address("erin@example.com") == "e***@e***.com"
    assert mask_address("a.b@mail.example.co.uk") == "a***@m***.uk"
    assert mask_address("+15555550199") == "+*******0199"
    assert mask_address("x@localhost") == "x***@l***"


def _check(check_id: str, status: CheckStatus, **extra: object) -> CheckResult:
    return CheckResult(check_id, check_id, status, f"{check_id} evidence", **extra)  # type: ignore[arg-type]


def test_the_verdict_is_the_worst_status_and_blocking_comes_first() -> None:
    checks = (
        _check("a", CheckStatus.OK),
        _check("b", CheckStatus.UNKNOWN, permission="ses:GetAccount"),
        _check("c", CheckStatus.WARN),
        _check("d", CheckStatus.BLOCKING),
    )
    report = DoctorReport("p", "us-east-1_X", "u", checks)
    assert report.verdict is CheckStatus.BLOCKING
    assert [c.id for c in report.ordered()] == ["d", "c", "b", "a"]
    assert [c.id for c in report.blocking] == ["d"]
    assert DoctorReport("p", "x", "u", checks[:3]).verdict is CheckStatus.WARN
    assert DoctorReport("p", "x", "u", checks[:2]).verdict is CheckStatus.UNKNOWN
    assert DoctorReport("p", "x", None, ()).verdict is CheckStatus.OK
    assert report.to_json()["checks"][1]["permission"] == "ses:GetAccount"


def test_redacted_masks_every_private_value_everywhere() -> None:
    check = CheckResult(
        "ses-suppression",
        "t",
        CheckStatus.BLOCKING,
        "erin@example.com is suppressed",
        "aws sesv2 delete-suppressed-destination --email-address erin@example.com",
        details=("erin@example.com bounced",),
        private=("erin@example.com",),
    )
    masked = check.redacted()
    assert "erin@example.com" not in str(masked.to_json())
    assert masked.evidence == "e***@e***.com is suppressed"
    assert check.command == (
        "aws sesv2 delete-suppressed-destination --email-address erin@example.com"
    )


def _facts(**values: object) -> PoolFacts:
    return PoolFacts(profile="p", user_pool_id="us-east-1_X", client_id="c", **values)  # type: ignore[arg-type]


def test_delivery_risks_come_from_the_facts_only() -> None:
    email = Outcome(OutcomeKind.DELIVERED, Delivery("EMAIL", "e***@e***.com", "email"))
    sms = Outcome(OutcomeKind.DELIVERED, Delivery("SMS", "+*******0199", "phone_number"))
    default = _facts(
        email_sending_account="COGNITO_DEFAULT", prevent_user_existence_errors="LEGACY"
    )
    assert delivery_risks(email, None) == []
    assert delivery_risks(email, default)[0].startswith("COGNITO_DEFAULT sends at most 50")
    assert delivery_risks(sms, default) == []
    assert delivery_risks(Outcome(OutcomeKind.FAILED), default) == []
    sender = _facts(
        email_sending_account="DEVELOPER",
        triggers=(TriggerFact("CustomEmailSender", "arn:aws:lambda:x"),),
        prevent_user_existence_errors="ENABLED",
    )
    assert delivery_risks(email, sender) == [
        "a CustomEmailSender trigger, not Cognito, delivers it",
        "this client hides unknown users: the success may be simulated",
    ]
