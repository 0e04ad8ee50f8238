"""The doctor's checks of the user, the pool's sending setup and this console's history.

- ``user``: AdminGetUser: status, enabled, the attribute the code goes to.
- ``pool-sending``: DescribeUserPool: who sends the email, the SMS role,
  ``EmailConfigurationFailure`` / ``SmsConfigurationFailure``, the
  auto-verified attributes and the triggers that send messages.
- ``cognito-default-budget``: today's emails from history against 50 a day.
- ``recent-attempts``: the user's attempts in the last hour against 5.
"""

from __future__ import annotations

from datetime import UTC, datetime

from console.cognito.doctor_context import DoctorContext, quote, unknown_from
from console.cognito.doctor_model import CheckResult, CheckStatus
from console.cognito.pool_facts import COGNITO_DEFAULT_DAILY_EMAILS

__all__ = ["check_budget", "check_pool_sending", "check_recent_attempts", "check_user"]

OK, WARN, BLOCKING, UNKNOWN = (
    CheckStatus.OK,
    CheckStatus.WARN,
    CheckStatus.BLOCKING,
    CheckStatus.UNKNOWN,
)
RESENDS_PER_HOUR = 5
"""Cognito's per-user limit on ResendConfirmationCode (the 2023 quotas page)."""
DEFAULT_SENDER = "no-reply@verificationemail.com"


def check_user(ctx: DoctorContext) -> CheckResult:
    """``user``: does the user exist, is it enabled, unconfirmed, and has it somewhere to send?"""
    title = "the user"
    user, failure = ctx.user()
    if failure is not None:
        return unknown_from("user", title, failure)
    pool_arg = f"--user-pool-id {quote(ctx.user_pool_id)} --region {quote(ctx.region)}"
    name = ctx.username or ""
    if user is None:
        return CheckResult(
            "user",
            title,
            BLOCKING,
            f"no user {name!r} in {ctx.user_pool_id}",
            "find the real username by email or phone: aws cognito-idp list-users "
            f"{pool_arg} --filter 'email = \"ADDRESS\"'",
        )
    parts = [user.status, "enabled" if user.enabled else "DISABLED"]
    private: list[str] = []
    for label, value, verified in (
        ("email", user.email, user.email_verified),
        ("phone", user.phone_number, user.phone_number_verified),
    ):
        if value:
            parts.append(f"{label} {value} ({'verified' if verified else 'unverified'})")
            private.append(value)
        else:
            parts.append(f"no {label}")
    evidence = ", ".join(parts)
    user_arg = f"{pool_arg} --username {quote(user.username)}"
    if not user.enabled:
        remedy = f"enable the user: aws cognito-idp admin-enable-user {user_arg}"
        return CheckResult("user", title, BLOCKING, evidence, remedy, private=tuple(private))
    medium, _destination = ctx.medium()
    if medium is None:
        remedy = (
            "give the user an address Cognito verifies: aws cognito-idp "
            f"admin-update-user-attributes {user_arg} --user-attributes Name=email,Value=ADDRESS"
        )
        evidence += ": nothing the pool auto-verifies to send a code to"
        return CheckResult("user", title, BLOCKING, evidence, remedy, private=tuple(private))
    if user.status != "UNCONFIRMED":
        evidence += f": a resend fails ({user.status} has no sign-up code to confirm)"
        remedy = (
            "no code is needed to confirm; for a forgotten password: aws cognito-idp "
            f"admin-reset-user-password {user_arg}"
        )
        return CheckResult("user", title, WARN, evidence, remedy, private=tuple(private))
    evidence += f"; the code goes by {medium}"
    return CheckResult("user", title, OK, evidence, private=tuple(private))


def check_pool_sending(ctx: DoctorContext) -> CheckResult:
    """``pool-sending``: the pool's email and SMS setup and its configuration failures."""
    title = "the pool's sending setup"
    pool, failure = ctx.pool()
    if failure is not None or pool is None:
        assert failure is not None
        return unknown_from("pool-sending", title, failure)
    pool_arg = f"--user-pool-id {quote(ctx.user_pool_id)} --region {quote(ctx.region)}"
    medium = ctx.medium()[0] if ctx.username is not None else None
    email_failure = pool.raw.get("EmailConfigurationFailure")
    sms_failure = pool.raw.get("SmsConfigurationFailure")
    sending = pool.sending_account
    evidence = [f"email: {sending}"]
    if sending == "DEVELOPER":
        evidence[0] += f" via {pool.ses_identity or 'no SourceArn'}"
    role = pool.sms.get("SnsCallerArn")
    evidence.append(f"SMS role: {role or 'none'}")
    evidence.append(f"auto-verified: {', '.join(pool.auto_verified) or 'none'}")
    senders = [
        kind
        for kind in ("CustomMessage", "CustomEmailSender", "CustomSMSSender")
        if pool.lambda_arn(kind)
    ]
    if senders:
        evidence.append(f"triggers: {', '.join(senders)}")
    line = "; ".join(evidence)
    details = tuple(f"{kind}: {pool.lambda_arn(kind)}" for kind in senders)
    if isinstance(email_failure, str) and email_failure and medium != "SMS":
        return CheckResult(
            "pool-sending",
            title,
            BLOCKING,
            f"EmailConfigurationFailure: {email_failure}",
            "fix the SES identity's sending authorization for Cognito, then check: "
            f"aws cognito-idp describe-user-pool {pool_arg}",
            details=details,
        )
    if isinstance(sms_failure, str) and sms_failure and medium != "EMAIL":
        return CheckResult(
            "pool-sending",
            title,
            BLOCKING,
            f"SmsConfigurationFailure: {sms_failure}",
            "fix the SMS role's trust and SNS policy, then check: "
            f"aws iam get-role --role-name {quote(str(role or 'ROLE').rpartition('/')[2])}",
            details=details,
        )
    if not pool.auto_verified:
        return CheckResult(
            "pool-sending",
            title,
            BLOCKING,
            f"{line}: the pool auto-verifies nothing, so no code is ever sent",
            "aws cognito-idp update-user-pool "
            f"{pool_arg} --auto-verified-attributes email (update-user-pool resets "
            "settings you leave out: pass the current ones too)",
            details=details,
        )
    if medium == "SMS" and not role:
        return CheckResult(
            "pool-sending",
            title,
            BLOCKING,
            f"{line}: the code goes by SMS but the pool has no SMS role",
            f"give the pool an SNS role: aws cognito-idp update-user-pool {pool_arg} "
            "--sms-configuration SnsCallerArn=ROLE_ARN,ExternalId=EXTERNAL_ID",
            details=details,
        )
    custom_sender = "CustomEmailSender" if medium != "SMS" else "CustomSMSSender"
    if pool.lambda_arn(custom_sender):
        return CheckResult(
            "pool-sending",
            title,
            WARN,
            f"{line}: a {custom_sender} trigger delivers the message, not Cognito",
            f"read its logs: aws logs tail /aws/lambda/"
            f"{quote(str(pool.lambda_arn(custom_sender)).rpartition(':')[2])} --since 1h",
            details=details,
        )
    if sending == "COGNITO_DEFAULT" and medium != "SMS":
        return CheckResult(
            "pool-sending",
            title,
            WARN,
            f"{line}: Cognito's own sender ({DEFAULT_SENDER}) is capped at "
            f"{COGNITO_DEFAULT_DAILY_EMAILS} a day and often filtered by corporate mail",
            "send through your own SES identity: aws cognito-idp update-user-pool "
            f"{pool_arg} --email-configuration EmailSendingAccount=DEVELOPER,"
            f"SourceArn=arn:aws:ses:{ctx.region}:{pool.account_id}:identity/ADDRESS",
            details=details,
        )
    return CheckResult("pool-sending", title, OK, line, details=details)


def check_budget(ctx: DoctorContext) -> CheckResult:
    """``cognito-default-budget``: today's emails (from history: a lower bound) against 50."""
    title = "the COGNITO_DEFAULT daily budget"
    pool, failure = ctx.pool()
    if failure is not None:
        return unknown_from("cognito-default-budget", title, failure)
    if pool is not None and pool.sending_account != "COGNITO_DEFAULT":
        return CheckResult(
            "cognito-default-budget", title, OK, f"n/a: the pool sends with {pool.sending_account}"
        )
    if ctx.username is not None and ctx.medium()[0] == "SMS":
        return CheckResult("cognito-default-budget", title, OK, "n/a: the code goes by SMS")
    if ctx.history is None:
        return CheckResult(
            "cognito-default-budget",
            title,
            UNKNOWN,
            "no history to count today's emails from",
            "run with a history file (the console records every attempt)",
        )
    sent = ctx.history.emails_today(ctx.user_pool_id)
    evidence = (
        f"{sent} of {COGNITO_DEFAULT_DAILY_EMAILS} emails today (UTC) by this console's history: "
        "a lower bound, other senders and sign-ups also count"
    )
    pool_arg = f"--user-pool-id {quote(ctx.user_pool_id)} --region {quote(ctx.region)}"
    remedy = (
        "wait for 00:00 UTC, or send through SES: aws cognito-idp update-user-pool "
        f"{pool_arg} --email-configuration EmailSendingAccount=DEVELOPER,SourceArn=SES_IDENTITY_ARN"
    )
    if sent >= COGNITO_DEFAULT_DAILY_EMAILS:
        evidence = f"{evidence}: past the cap Cognito still answers success and drops the email"
        return CheckResult("cognito-default-budget", title, BLOCKING, evidence, remedy)
    if sent >= COGNITO_DEFAULT_DAILY_EMAILS * 0.8:
        return CheckResult("cognito-default-budget", title, WARN, evidence, remedy)
    return CheckResult("cognito-default-budget", title, OK, evidence)


def _ago(iso: str) -> str:
    """``just now``, ``12 min ago``, ``3 h ago``: when the last attempt started."""
    try:
        started = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return f"at {iso}"
    minutes = int((datetime.now(UTC) - started).total_seconds() // 60)
    if minutes < 1:
        return "just now"
    if minutes < 120:
        return f"{minutes} min ago"
    return f"{minutes // 60} h ago"


def check_recent_attempts(ctx: DoctorContext) -> CheckResult:
    """``recent-attempts``: the user's resends in the last hour (5 allowed) and the last outcome."""
    title = "recent attempts"
    if ctx.history is None or ctx.username is None:
        return CheckResult(
            "recent-attempts", title, UNKNOWN, "no history to read the user's attempts from"
        )
    summary = ctx.history.attempts(ctx.user_pool_id, ctx.username)
    last = "none recorded"
    if summary.last_outcome is not None:
        last = summary.last_outcome
        if summary.last_error:
            last += f" ({summary.last_error})"
        if summary.last_at:
            last += f", {_ago(summary.last_at)}"
    evidence = f"{summary.last_hour} of {RESENDS_PER_HOUR} resends in the last hour; last: {last}"
    remedy = (
        "wait for the hour to pass, or confirm the user yourself: aws cognito-idp "
        f"admin-confirm-sign-up --user-pool-id {quote(ctx.user_pool_id)} "
        f"--region {quote(ctx.region)} --username {quote(ctx.username)}"
    )
    if summary.last_hour >= RESENDS_PER_HOUR:
        evidence += ": the next resend gets LimitExceededException"
        return CheckResult("recent-attempts", title, BLOCKING, evidence, remedy)
    if summary.last_hour >= RESENDS_PER_HOUR - 1:
        return CheckResult("recent-attempts", title, WARN, evidence, remedy)
    return CheckResult("recent-attempts", title, OK, evidence)
