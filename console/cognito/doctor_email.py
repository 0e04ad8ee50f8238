"""The doctor's SES checks, for a pool that sends its email through SES (``DEVELOPER``).

- ``ses-account``: sesv2 GetAccount: production access or the sandbox,
  sending enabled, the enforcement status, the 24-hour quota used.
- ``ses-identity``: GetEmailIdentity for the pool's identity: verified for sending.
- ``ses-suppression``: GetSuppressedDestination for the user's address.
- ``ses-recipient``: in the SES sandbox, whether the recipient is a verified identity.

With COGNITO_DEFAULT, or a code that goes by SMS, these do not apply and say so.
"""

from __future__ import annotations

from datetime import UTC, datetime

from console.cognito.doctor_context import DoctorContext, PoolView, quote, unknown_from
from console.cognito.doctor_model import CheckResult, CheckStatus

__all__ = [
    "check_ses_account",
    "check_ses_identity",
    "check_ses_recipient",
    "check_ses_suppression",
]

OK, WARN, BLOCKING, UNKNOWN = (
    CheckStatus.OK,
    CheckStatus.WARN,
    CheckStatus.BLOCKING,
    CheckStatus.UNKNOWN,
)


def _not_ses(
    ctx: DoctorContext, check_id: str, title: str
) -> tuple[PoolView | None, CheckResult | None]:
    """The pool if SES applies; else the result that says why the check does not apply."""
    pool, failure = ctx.pool()
    if failure is not None:
        return None, unknown_from(check_id, title, failure)
    assert pool is not None
    if pool.sending_account != "DEVELOPER":
        why = f"n/a: the pool sends with {pool.sending_account}"
        return None, CheckResult(check_id, title, OK, why)
    if ctx.username is not None and ctx.medium()[0] == "SMS":
        return None, CheckResult(check_id, title, OK, "n/a: the code goes by SMS")
    return pool, None


def _region(ctx: DoctorContext) -> str:
    return f"--region {quote(ctx.region)}"


def check_ses_account(ctx: DoctorContext) -> CheckResult:
    """``ses-account``: the SES account's sandbox, sending, enforcement and quota."""
    title = "the SES account"
    _pool, skipped = _not_ses(ctx, "ses-account", title)
    if skipped is not None:
        return skipped
    account, failure = ctx.ses_account()
    if failure is not None:
        return unknown_from("ses-account", title, failure)
    production = bool(account.get("ProductionAccessEnabled"))
    enabled = bool(account.get("SendingEnabled", True))
    enforcement = str(account.get("EnforcementStatus") or "HEALTHY")
    quota = account.get("SendQuota") or {}
    used, most = float(quota.get("SentLast24Hours") or 0), float(quota.get("Max24HourSend") or 0)
    evidence = (
        f"{'production access' if production else 'SES sandbox'}, sending "
        f"{'enabled' if enabled else 'PAUSED'}, enforcement {enforcement}, "
        f"{used:.0f} of {most:.0f} sent in 24 h"
    )
    if not enabled:
        return CheckResult(
            "ses-account",
            title,
            BLOCKING,
            evidence,
            "resume sending: aws sesv2 put-account-sending-attributes --sending-enabled "
            f"{_region(ctx)}",
        )
    if enforcement == "SHUTDOWN":
        return CheckResult(
            "ses-account",
            title,
            BLOCKING,
            evidence,
            "SES paused the account for its reputation: open a case with AWS Support",
        )
    if most and used >= most:
        return CheckResult(
            "ses-account",
            title,
            BLOCKING,
            evidence,
            "the 24-hour quota is used up: wait, or ask for more in the Service Quotas console",
        )
    if not production:
        return CheckResult(
            "ses-account",
            title,
            WARN,
            f"{evidence}: only verified recipients get mail",
            "ask for production access: aws sesv2 put-account-details "
            "--production-access-enabled --mail-type TRANSACTIONAL --website-url URL "
            f"--use-case-description TEXT {_region(ctx)}",
        )
    if enforcement == "PROBATION":
        remedy = "bring bounces and complaints down before SES pauses sending"
        return CheckResult("ses-account", title, WARN, evidence, remedy)
    return CheckResult("ses-account", title, OK, evidence)


def check_ses_identity(ctx: DoctorContext) -> CheckResult:
    """``ses-identity``: the pool's sending identity is verified for sending."""
    title = "the pool's SES identity"
    pool, skipped = _not_ses(ctx, "ses-identity", title)
    if skipped is not None:
        return skipped
    assert pool is not None
    identity = pool.ses_identity
    if identity is None:
        return CheckResult(
            "ses-identity", title, BLOCKING, "the pool sends with DEVELOPER but has no SourceArn"
        )
    answer, failure = ctx.call(
        "sesv2", "GetEmailIdentity", lambda c: c.get_email_identity(EmailIdentity=identity), "ses"
    )
    command = f"aws sesv2 get-email-identity --email-identity {quote(identity)} {_region(ctx)}"
    if failure is not None:
        if failure.code == "NotFoundException":
            return CheckResult(
                "ses-identity",
                title,
                BLOCKING,
                f"{identity} does not exist in SES in {ctx.region}",
                f"create and verify it: aws sesv2 create-email-identity --email-identity "
                f"{quote(identity)} {_region(ctx)}",
            )
        return unknown_from("ses-identity", title, failure)
    if not answer.get("VerifiedForSendingStatus"):
        status = answer.get("VerificationStatus") or "not verified"
        return CheckResult(
            "ses-identity",
            title,
            BLOCKING,
            f"{identity} is not verified for sending ({status})",
            f"finish its verification (DNS records or the link), then check: {command}",
        )
    return CheckResult("ses-identity", title, OK, f"{identity} is verified for sending")


def check_ses_suppression(ctx: DoctorContext) -> CheckResult:
    """``ses-suppression``: the user's address is not on the account's suppression list."""
    title = "the SES suppression list"
    _pool, skipped = _not_ses(ctx, "ses-suppression", title)
    if skipped is not None:
        return skipped
    address, failed = _address(ctx, "ses-suppression", title)
    if address is None:
        return failed
    answer, failure = ctx.call(
        "sesv2",
        "GetSuppressedDestination",
        lambda c: c.get_suppressed_destination(EmailAddress=address),
        "ses",
    )
    if failure is not None:
        if failure.code == "NotFoundException":
            return CheckResult(
                "ses-suppression", title, OK, f"{address} is not suppressed", private=(address,)
            )
        return unknown_from("ses-suppression", title, failure)
    entry = answer.get("SuppressedDestination") or {}
    reason = str(entry.get("Reason") or "a reason SES did not give")
    since = entry.get("LastUpdateTime")
    when = "an unknown date"
    if isinstance(since, datetime):
        when = since.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return CheckResult(
        "ses-suppression",
        title,
        BLOCKING,
        f"{address} is on the account's suppression list: {reason} since {when}",
        "once the address works again, remove it: aws sesv2 delete-suppressed-destination "
        f"--email-address {quote(address)} {_region(ctx)}",
        private=(address,),
    )


def check_ses_recipient(ctx: DoctorContext) -> CheckResult:
    """``ses-recipient``: in the SES sandbox, the recipient must be a verified identity."""
    title = "the recipient in the SES sandbox"
    _pool, skipped = _not_ses(ctx, "ses-recipient", title)
    if skipped is not None:
        return skipped
    account, failure = ctx.ses_account()
    if failure is not None:
        return unknown_from("ses-recipient", title, failure)
    if account.get("ProductionAccessEnabled"):
        return CheckResult("ses-recipient", title, OK, "n/a: the account has production access")
    address, failed = _address(ctx, "ses-recipient", title)
    if address is None:
        return failed
    answer, failure = ctx.call(
        "sesv2", "GetEmailIdentity", lambda c: c.get_email_identity(EmailIdentity=address), "ses"
    )
    if failure is not None and failure.code != "NotFoundException":
        return unknown_from("ses-recipient", title, failure)
    if failure is None and answer.get("VerifiedForSendingStatus"):
        return CheckResult(
            "ses-recipient", title, OK, f"{address} is a verified identity", private=(address,)
        )
    return CheckResult(
        "ses-recipient",
        title,
        BLOCKING,
        f"the account is in the SES sandbox and {address} is not a verified identity",
        "verify the recipient (they click the link SES sends): aws sesv2 create-email-identity "
        f"--email-identity {quote(address)} {_region(ctx)}; or ask for production access",
        private=(address,),
    )


def _address(ctx: DoctorContext, check_id: str, title: str) -> tuple[str | None, CheckResult]:
    """The user's email address, or the result that says why there is none to check."""
    user, failure = ctx.user()
    if failure is not None:
        return None, unknown_from(check_id, title, failure)
    if user is None or not user.email:
        return None, CheckResult(check_id, title, OK, "n/a: the user has no email address")
    return user.email, CheckResult(check_id, title, OK, "")
