"""Every doctor check in each of its states, against the sandbox over HTTP (issue #14, item 1).

Each test starts its own sandbox (scenarios change the account), signs with
dummy keys, and reads a real SQLite history where the check needs one.
``unknown`` comes from the sandbox's IAM denials and names the permission.
"""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from console.cognito.admin_client import AdminGateway, AdminSettings, static_credentials
from console.cognito.doctor_model import CheckStatus, DoctorReport
from console.cognito.outcomes import Delivery, ErrorInfo, Outcome, OutcomeKind
from console.history import History
from console.sandbox import Sandbox
from console.sandbox.denials import DENIED_ACCESS_KEY_ID
from console.usecases.doctor import HistoryCounts, run_doctor

OK, WARN, BLOCKING, UNKNOWN = (
    CheckStatus.OK,
    CheckStatus.WARN,
    CheckStatus.BLOCKING,
    CheckStatus.UNKNOWN,
)


@pytest.fixture
def history(tmp_path: Path) -> Iterator[History]:
    with History.open(tmp_path / "history.sqlite3") as opened:
        yield opened


def scenario(box: Sandbox, body: dict[str, object]) -> None:
    request = urllib.request.Request(  # noqa: S310 - the loopback sandbox
        box.info.endpoint_url + "/_sandbox/scenario", data=json.dumps(body).encode(), method="POST"
    )
    with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310
        assert answer.status == 200


def doctor(
    box: Sandbox,
    username: str | None,
    *,
    history: History | None = None,
    key: str = "AKIDDOCTOR",
) -> DoctorReport:
    settings = AdminSettings(
        region=box.info.region,
        endpoint_url=box.info.endpoint_url,
        connect_timeout=2,
        read_timeout=5,
        max_attempts=1,
    )
    return run_doctor(
        AdminGateway(static_credentials(key, "dummy")),
        settings,
        profile="sandbox",
        user_pool_id=box.info.user_pool_id,
        username=username,
        history=None if history is None else HistoryCounts(history, "sandbox"),
    )


def check(report: DoctorReport, check_id: str) -> Any:
    (found,) = [c for c in report.checks if c.id == check_id]
    return found


def record(history: History, box: Sandbox, username: str, *, medium: str, count: int) -> None:
    for _ in range(count):
        attempt = history.start_attempt(
            profile="sandbox",
            region=box.info.region,
            user_pool_id=box.info.user_pool_id,
            client_id=box.info.client("public").client_id,
            username=username,
            client_metadata={},
            analytics_endpoint_id=None,
        )
        history.finish_attempt(
            attempt,
            Outcome(OutcomeKind.DELIVERED, Delivery(medium, "x***@e***.com", "email")),
        )


def resend(box: Sandbox, username: str) -> None:
    import boto3

    cognito = boto3.client(
        "cognito-idp",
        endpoint_url=box.info.endpoint_url,
        region_name=box.info.region,
        aws_access_key_id="a",
        aws_secret_access_key="b",
    )
    public = box.info.client("public").client_id
    cognito.resend_confirmation_code(ClientId=public, Username=username)


# ----- the user ------------------------------------------------------------------------


def test_user_states(box: Sandbox) -> None:
    box.add_user("gone", email="gone@example.com", enabled=False)
    alice = check(doctor(box, "alice"), "user")
    assert alice.status is OK
    assert "email alice@example.com (unverified)" in alice.evidence
    assert "the code goes by EMAIL" in alice.evidence
    nobody = check(doctor(box, "nobody"), "user")
    assert nobody.status is BLOCKING
    assert "aws cognito-idp list-users" in nobody.remedy
    disabled = check(doctor(box, "gone"), "user")
    assert (disabled.status, "DISABLED" in disabled.evidence) == (BLOCKING, True)
    assert "aws cognito-idp admin-enable-user" in disabled.remedy
    assert "--username gone" in disabled.remedy
    dave = check(doctor(box, "dave"), "user")
    assert (dave.status, "nothing the pool auto-verifies" in dave.evidence) == (BLOCKING, True)
    carol = check(doctor(box, "carol"), "user")
    assert (carol.status, "CONFIRMED" in carol.evidence) == (WARN, True)
    denied = check(doctor(box, "alice", key=DENIED_ACCESS_KEY_ID), "user")
    assert (denied.status, denied.permission) == (UNKNOWN, "cognito-idp:AdminGetUser")
    assert "cognito-idp:AdminGetUser" in denied.evidence


# ----- the pool ------------------------------------------------------------------------


def test_pool_sending_states(box: Sandbox) -> None:
    default = check(doctor(box, "alice"), "pool-sending")
    assert default.status is WARN
    assert "no-reply@verificationemail.com" in default.evidence
    assert "EmailSendingAccount=DEVELOPER" in default.remedy
    assert check(doctor(box, "bob"), "pool-sending").status is OK  # SMS: the role is there
    scenario(box, {"name": "ses"})
    ses = check(doctor(box, "alice"), "pool-sending")
    assert (ses.status, "DEVELOPER via no-reply@example.com" in ses.evidence) == (OK, True)
    scenario(box, {"email_configuration_failure": "identity policy denies Cognito"})
    failed = check(doctor(box, "alice"), "pool-sending")
    assert failed.status is BLOCKING
    assert failed.evidence == "EmailConfigurationFailure: identity policy denies Cognito"
    scenario(box, {"name": "sms-configuration-failure"})
    sms = check(doctor(box, "bob"), "pool-sending")
    assert (sms.status, sms.evidence.startswith("SmsConfigurationFailure")) == (BLOCKING, True)
    assert "aws iam get-role --role-name sandbox-cognito-sms" in sms.remedy
    denied = check(doctor(box, "alice", key=DENIED_ACCESS_KEY_ID), "pool-sending")
    assert (denied.status, denied.permission) == (UNKNOWN, "cognito-idp:DescribeUserPool")


def test_budget_states(box: Sandbox, history: History) -> None:
    fresh = check(doctor(box, "alice", history=history), "cognito-default-budget")
    assert (fresh.status, fresh.evidence.startswith("0 of 50 emails today")) == (OK, True)
    assert "lower bound" in fresh.evidence
    record(history, box, "someone", medium="EMAIL", count=40)
    record(history, box, "texted", medium="SMS", count=20)  # SMS does not count
    near = check(doctor(box, "alice", history=history), "cognito-default-budget")
    assert (near.status, near.evidence.startswith("40 of 50")) == (WARN, True)
    record(history, box, "someone", medium="EMAIL", count=10)
    spent = check(doctor(box, "alice", history=history), "cognito-default-budget")
    assert (spent.status, spent.evidence.startswith("50 of 50")) == (BLOCKING, True)
    assert "drops the email" in spent.evidence
    assert check(doctor(box, "bob", history=history), "cognito-default-budget").status is OK
    assert check(doctor(box, "alice"), "cognito-default-budget").status is UNKNOWN
    denied = check(doctor(box, "alice", key=DENIED_ACCESS_KEY_ID), "cognito-default-budget")
    assert denied.permission == "cognito-idp:DescribeUserPool"
    scenario(box, {"name": "ses"})
    ses = check(doctor(box, "alice", history=history), "cognito-default-budget")
    assert (ses.status, ses.evidence) == (OK, "n/a: the pool sends with DEVELOPER")


# ----- SES -----------------------------------------------------------------------------


def test_ses_checks_do_not_apply_to_cognito_default(box: Sandbox) -> None:
    report = doctor(box, "erin")
    for check_id in ("ses-account", "ses-identity", "ses-suppression", "ses-recipient"):
        found = check(report, check_id)
        assert (found.status, found.evidence) == (OK, "n/a: the pool sends with COGNITO_DEFAULT")


def test_ses_account_states(box: Sandbox) -> None:
    scenario(box, {"name": "ses"})
    assert check(doctor(box, "alice"), "ses-account").status is OK
    scenario(box, {"name": "ses-sandbox"})
    sandboxed = check(doctor(box, "alice"), "ses-account")
    assert (sandboxed.status, "SES sandbox" in sandboxed.evidence) == (WARN, True)
    assert "aws sesv2 put-account-details --production-access-enabled" in sandboxed.remedy
    scenario(box, {"ses_sending_enabled": False})
    paused = check(doctor(box, "alice"), "ses-account")
    assert (paused.status, "sending PAUSED" in paused.evidence) == (BLOCKING, True)
    assert "aws sesv2 put-account-sending-attributes --sending-enabled" in paused.remedy
    scenario(box, {"deny": ["ses:GetAccount"]})
    denied = check(doctor(box, "alice"), "ses-account")
    assert (denied.status, denied.permission) == (UNKNOWN, "ses:GetAccount")


def test_ses_identity_states(box: Sandbox) -> None:
    scenario(box, {"name": "ses"})
    assert check(doctor(box, "alice"), "ses-identity").status is OK
    scenario(box, {"name": "ses-identity-unverified"})
    broken = check(doctor(box, "alice"), "ses-identity")
    assert (broken.status, "not verified for sending" in broken.evidence) == (BLOCKING, True)
    scenario(box, {"deny": ["ses:GetEmailIdentity"]})
    denied = check(doctor(box, "alice"), "ses-identity")
    assert (denied.status, denied.permission) == (UNKNOWN, "ses:GetEmailIdentity")


def test_ses_suppression_states(box: Sandbox) -> None:
    scenario(box, {"name": "ses"})
    assert check(doctor(box, "alice"), "ses-suppression").status is OK
    erin = check(doctor(box, "erin"), "ses-suppression")
    assert erin.status is BLOCKING
    assert "erin@example.com is on the account's suppression list: BOUNCE since" in erin.evidence
    assert erin.remedy.endswith(
        "aws sesv2 delete-suppressed-destination --email-address erin@example.com "
        "--region us-east-1"
    )
    scenario(box, {"deny": ["ses:GetSuppressedDestination"]})
    denied = check(doctor(box, "erin"), "ses-suppression")
    assert (denied.status, denied.permission) == (UNKNOWN, "ses:GetSuppressedDestination")


def test_ses_recipient_states(box: Sandbox) -> None:
    scenario(box, {"name": "ses"})
    production = check(doctor(box, "alice"), "ses-recipient")
    assert (production.status, production.evidence) == (
        OK,
        "n/a: the account has production access",
    )
    scenario(box, {"name": "ses-sandbox"})
    unverified = check(doctor(box, "alice"), "ses-recipient")
    assert unverified.status is BLOCKING
    assert "aws sesv2 create-email-identity --email-identity alice@example.com" in unverified.remedy
    from moto.ses.models import ses_backends

    ses = ses_backends["123456789012"][box.info.region]
    ses.create_email_identity_v2("alice@example.com", None, None, None)
    ses.email_identities["alice@example.com"].verified_for_sending_status = True
    try:
        assert check(doctor(box, "alice"), "ses-recipient").status is OK
    finally:
        del ses.email_identities["alice@example.com"]
    scenario(box, {"deny": ["ses:GetEmailIdentity"]})
    denied = check(doctor(box, "alice"), "ses-recipient")
    assert (denied.status, denied.permission) == (UNKNOWN, "ses:GetEmailIdentity")


# ----- SNS -----------------------------------------------------------------------------


def test_sns_checks_do_not_apply_to_email(box: Sandbox) -> None:
    report = doctor(box, "alice")
    for check_id in ("sns-sandbox", "sns-opt-out", "sns-spend-limit", "sns-origination"):
        assert (check(report, check_id).status, check(report, check_id).evidence) == (
            OK,
            "n/a: the code goes by email",
        )


def test_sns_sandbox_states(box: Sandbox) -> None:
    assert check(doctor(box, "bob"), "sns-sandbox").status is OK
    scenario(box, {"name": "sms-sandbox"})
    blocked = check(doctor(box, "bob"), "sns-sandbox")
    assert blocked.status is BLOCKING
    assert "+15555550100 is not a verified destination" in blocked.evidence
    assert "aws sns create-sms-sandbox-phone-number --phone-number +15555550100" in blocked.remedy
    box.channels.add_sandbox_number("+15555550100")
    verified = check(doctor(box, "bob"), "sns-sandbox")
    assert (verified.status, "is a verified destination" in verified.evidence) == (OK, True)
    scenario(box, {"deny": ["sns:GetSMSSandboxAccountStatus"]})
    denied = check(doctor(box, "bob"), "sns-sandbox")
    assert (denied.status, denied.permission) == (UNKNOWN, "sns:GetSMSSandboxAccountStatus")
    assert "may not call sns:GetSMSSandboxAccountStatus" in denied.evidence


def test_sns_opt_out_states(box: Sandbox) -> None:
    assert check(doctor(box, "bob"), "sns-opt-out").status is OK
    frank = check(doctor(box, "frank"), "sns-opt-out")
    assert (frank.status, frank.evidence) == (
        BLOCKING,
        "+15555550199 has opted out of SMS from this account",
    )
    assert "aws sns opt-in-phone-number --phone-number +15555550199" in frank.remedy
    scenario(box, {"deny": ["sns:CheckIfPhoneNumberIsOptedOut"]})
    denied = check(doctor(box, "frank"), "sns-opt-out")
    assert (denied.status, denied.permission) == (UNKNOWN, "sns:CheckIfPhoneNumberIsOptedOut")


def test_sns_spend_limit_states(box: Sandbox) -> None:
    from moto.sns.models import sns_backends

    sns = sns_backends["123456789012"][box.info.region]
    default = check(doctor(box, "bob"), "sns-spend-limit")
    assert (default.status, "USD 1 (the default)" in default.evidence) == (WARN, True)
    assert "aws sns set-sms-attributes --attributes MonthlySpendLimit=10" in default.remedy
    try:
        sns.sms_attributes["MonthlySpendLimit"] = "25"
        assert check(doctor(box, "bob"), "sns-spend-limit").status is OK
        sns.sms_attributes["MonthlySpendLimit"] = "0"
        assert check(doctor(box, "bob"), "sns-spend-limit").status is BLOCKING
    finally:
        sns.sms_attributes.pop("MonthlySpendLimit", None)
    scenario(box, {"deny": ["sns:GetSMSAttributes"]})
    denied = check(doctor(box, "bob"), "sns-spend-limit")
    assert (denied.status, denied.permission) == (UNKNOWN, "sns:GetSMSAttributes")


def test_sns_origination_states(box: Sandbox) -> None:
    assert check(doctor(box, "bob"), "sns-origination").status is OK
    box.add_user("hugo", phone_number="+447700900123")
    assert check(doctor(box, "hugo"), "sns-origination").evidence == "n/a: not a +1 number"
    scenario(box, {"name": "no-origination-number"})
    missing = check(doctor(box, "bob"), "sns-origination")
    assert (missing.status, "no active origination number" in missing.evidence) == (BLOCKING, True)
    assert "aws pinpoint-sms-voice-v2 request-phone-number" in missing.remedy
    scenario(box, {"deny": ["sns:ListOriginationNumbers"]})
    denied = check(doctor(box, "bob"), "sns-origination")
    assert (denied.status, denied.permission) == (UNKNOWN, "sns:ListOriginationNumbers")


# ----- Cognito's delivery error log ----------------------------------------------------


def test_delivery_log_states(box: Sandbox) -> None:
    clean = check(doctor(box, "frank"), "delivery-logs")
    assert (clean.status, clean.evidence.startswith("no errors for frank in 24 h")) == (OK, True)
    resend(box, "frank")
    logged = check(doctor(box, "frank"), "delivery-logs")
    assert logged.status is BLOCKING
    assert "1 delivery error for frank in 24 h; latest: the phone number has opted out" in (
        logged.evidence
    )
    assert len(logged.details) == 1
    assert "aws logs filter-log-events --log-group-name" in logged.remedy
    assert check(doctor(box, "bob"), "delivery-logs").status is OK  # frank's error is not bob's
    scenario(box, {"deny": ["logs:FilterLogEvents"]})
    denied = check(doctor(box, "frank"), "delivery-logs")
    assert (denied.status, denied.permission) == (UNKNOWN, "logs:FilterLogEvents")
    scenario(box, {"deny": ["cognito-idp:GetLogDeliveryConfiguration"]})
    denied = check(doctor(box, "frank"), "delivery-logs")
    assert denied.permission == "cognito-idp:GetLogDeliveryConfiguration"
    scenario(box, {"deny": [], "name": "no-delivery-logs"})
    off = check(doctor(box, "frank"), "delivery-logs")
    assert off.status is WARN
    assert "aws cognito-idp set-log-delivery-configuration" in off.remedy


# ----- recent attempts -----------------------------------------------------------------


def test_recent_attempt_states(box: Sandbox, history: History) -> None:
    none = check(doctor(box, "alice", history=history), "recent-attempts")
    assert (none.status, none.evidence) == (
        OK,
        "0 of 5 resends in the last hour; last: none recorded",
    )
    record(history, box, "alice", medium="EMAIL", count=4)
    four = check(doctor(box, "alice", history=history), "recent-attempts")
    assert (four.status, four.evidence.startswith("4 of 5")) == (WARN, True)
    assert "last: delivered, just now" in four.evidence
    attempt = history.start_attempt(
        profile="sandbox",
        region=box.info.region,
        user_pool_id=box.info.user_pool_id,
        client_id="c",
        username="alice",
        client_metadata={},
        analytics_endpoint_id=None,
    )
    history.finish_attempt(
        attempt,
        Outcome(
            OutcomeKind.FAILED,
            error=ErrorInfo("LimitExceededException", "Attempt limit exceeded", 400, "", ""),
        ),
    )
    five = check(doctor(box, "alice", history=history), "recent-attempts")
    assert five.status is BLOCKING
    assert "last: failed (LimitExceededException)" in five.evidence
    assert "aws cognito-idp admin-confirm-sign-up" in five.remedy
    assert check(doctor(box, "alice"), "recent-attempts").status is UNKNOWN


# ----- verdicts, order, masking, the pool alone ----------------------------------------


def test_verdicts_for_the_four_stories(box: Sandbox, history: History) -> None:
    assert doctor(box, "frank", history=history).verdict is BLOCKING
    record(history, box, "someone", medium="EMAIL", count=50)
    exhausted = doctor(box, "alice", history=history)
    assert exhausted.verdict is BLOCKING
    assert [c.id for c in exhausted.blocking] == ["cognito-default-budget"]
    scenario(box, {"name": "ses-sandbox"})
    sandboxed = doctor(box, "alice", history=history)
    assert [c.id for c in sandboxed.blocking] == ["ses-recipient"]
    erin = doctor(box, "erin", history=history)
    assert {c.id for c in erin.blocking} == {"ses-suppression", "ses-recipient"}
    assert erin.ordered()[0].status is BLOCKING


def test_redacted_report_masks_the_real_address(box: Sandbox) -> None:
    scenario(box, {"name": "ses"})
    report = doctor(box, "erin")
    assert "erin@example.com" in json.dumps(report.to_json())
    masked = json.dumps(report.redacted().to_json())
    assert "erin@example.com" not in masked
    assert "e***@e***.com" in masked
    frank = json.dumps(doctor(box, "frank").redacted().to_json())
    assert "5555550199" not in frank
    assert "+*******0199" in frank


def test_pool_wide_run_has_only_pool_checks(box: Sandbox) -> None:
    report = doctor(box, None)
    assert [c.id for c in report.checks] == [
        "pool-sending",
        "cognito-default-budget",
        "ses-account",
        "ses-identity",
        "sns-sandbox",
        "sns-spend-limit",
        "sns-origination",
        "delivery-logs",
    ]
    resend(box, "frank")
    logs = check(doctor(box, None), "delivery-logs")
    assert (logs.status, logs.evidence.startswith("1 delivery error in 24 h")) == (WARN, True)


def test_an_error_before_the_last_attempt_is_a_warning(box: Sandbox, history: History) -> None:
    import time

    from moto.logs.models import logs_backends

    logs = logs_backends["123456789012"][box.info.region]
    group = f"/aws/cognito/userpools/{box.info.user_pool_id}/userNotification"
    logs.create_log_stream(group, "earlier")
    ten_minutes_ago = int(time.time() * 1000) - 600_000
    event = {"message": {"userName": "frank", "details": "an earlier failure"}}
    logs.put_log_events(
        group, "earlier", [{"timestamp": ten_minutes_ago, "message": json.dumps(event)}]
    )
    assert check(doctor(box, "frank", history=history), "delivery-logs").status is BLOCKING
    record(history, box, "frank", medium="SMS", count=1)  # a resend since, no error after it
    later = check(doctor(box, "frank", history=history), "delivery-logs")
    assert later.status is WARN
    assert later.evidence.endswith("latest: an earlier failure; none since the last attempt")
