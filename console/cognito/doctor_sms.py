"""The doctor's SNS checks, for a code that goes by SMS.

- ``sns-sandbox``: GetSMSSandboxAccountStatus, and ListSMSSandboxPhoneNumbers
  for the user's number when the account is in the SMS sandbox.
- ``sns-opt-out``: CheckIfPhoneNumberIsOptedOut.
- ``sns-spend-limit``: GetSMSAttributes' MonthlySpendLimit (USD 1 by default).
- ``sns-origination``: for a +1 number, an active origination identity
  (ListOriginationNumbers).

For a code that goes by email these do not apply and say so.
"""

from __future__ import annotations

from console.cognito.doctor_context import DoctorContext, quote, unknown_from
from console.cognito.doctor_model import CheckResult, CheckStatus

__all__ = [
    "check_sns_opt_out",
    "check_sns_origination",
    "check_sns_sandbox",
    "check_sns_spend_limit",
]

OK, WARN, BLOCKING = CheckStatus.OK, CheckStatus.WARN, CheckStatus.BLOCKING
DEFAULT_SPEND_LIMIT_USD = 1.0
"""SNS's default MonthlySpendLimit for a new account."""


def _number(ctx: DoctorContext, check_id: str, title: str) -> tuple[str | None, CheckResult | None]:
    """The user's phone number when the code goes by SMS; else the result saying why not."""
    if ctx.username is None:
        return None, None
    _user, failure = ctx.user()
    if failure is not None:
        return None, unknown_from(check_id, title, failure)
    medium, destination = ctx.medium()
    if medium != "SMS" or destination is None:
        why = "the code goes by email" if medium == "EMAIL" else "no code goes by SMS"
        return None, CheckResult(check_id, title, OK, f"n/a: {why}")
    return destination, None


def _region(ctx: DoctorContext) -> str:
    return f"--region {quote(ctx.region)}"


def check_sns_sandbox(ctx: DoctorContext) -> CheckResult:
    """``sns-sandbox``: in the SMS sandbox only verified destination numbers get texts."""
    title = "the SMS sandbox"
    number, skipped = _number(ctx, "sns-sandbox", title)
    if skipped is not None:
        return skipped
    status, failure = ctx.call(
        "sns", "GetSMSSandboxAccountStatus", lambda c: c.get_sms_sandbox_account_status()
    )
    if failure is not None:
        return unknown_from("sns-sandbox", title, failure)
    if not status.get("IsInSandbox"):
        return CheckResult("sns-sandbox", title, OK, "the account is out of the SMS sandbox")
    if number is None:
        return CheckResult(
            "sns-sandbox",
            title,
            WARN,
            "the account is in the SMS sandbox: only verified numbers get texts",
            "ask for production SMS in the AWS End User Messaging SMS console",
        )
    listed, failure = ctx.call(
        "sns", "ListSMSSandboxPhoneNumbers", lambda c: c.list_sms_sandbox_phone_numbers()
    )
    if failure is not None:
        return unknown_from("sns-sandbox", title, failure)
    numbers = {
        str(n.get("PhoneNumber")): str(n.get("Status")) for n in listed.get("PhoneNumbers") or []
    }
    state = numbers.get(number)
    if state == "Verified":
        return CheckResult(
            "sns-sandbox",
            title,
            OK,
            f"SMS sandbox, and {number} is a verified destination",
            private=(number,),
        )
    return CheckResult(
        "sns-sandbox",
        title,
        BLOCKING,
        f"the account is in the SMS sandbox and {number} is "
        f"{'pending verification' if state else 'not a verified destination'}",
        f"aws sns create-sms-sandbox-phone-number --phone-number {quote(number)} {_region(ctx)}, "
        "then verify-sms-sandbox-phone-number with the code the user receives; "
        "or ask for production SMS",
        private=(number,),
    )


def check_sns_opt_out(ctx: DoctorContext) -> CheckResult:
    """``sns-opt-out``: a number that replied STOP gets nothing."""
    title = "the SMS opt-out list"
    number, skipped = _number(ctx, "sns-opt-out", title)
    if skipped is not None or number is None:
        return skipped or CheckResult("sns-opt-out", title, OK, "n/a: no number to check")
    answer, failure = ctx.call(
        "sns",
        "CheckIfPhoneNumberIsOptedOut",
        lambda c: c.check_if_phone_number_is_opted_out(phoneNumber=number),
    )
    if failure is not None:
        return unknown_from("sns-opt-out", title, failure)
    if answer.get("isOptedOut"):
        return CheckResult(
            "sns-opt-out",
            title,
            BLOCKING,
            f"{number} has opted out of SMS from this account",
            "if the user asks to receive texts again (once in 30 days): aws sns "
            f"opt-in-phone-number --phone-number {quote(number)} {_region(ctx)}",
            private=(number,),
        )
    return CheckResult("sns-opt-out", title, OK, f"{number} has not opted out", private=(number,))


def check_sns_spend_limit(ctx: DoctorContext) -> CheckResult:
    """``sns-spend-limit``: the monthly SMS spend limit (reached: every SMS stops)."""
    title = "the SMS spend limit"
    _number_found, skipped = _number(ctx, "sns-spend-limit", title)
    if skipped is not None:
        return skipped
    answer, failure = ctx.call(
        "sns",
        "GetSMSAttributes",
        lambda c: c.get_sms_attributes(attributes=["MonthlySpendLimit"]),
    )
    if failure is not None:
        return unknown_from("sns-spend-limit", title, failure)
    raw = (answer.get("attributes") or {}).get("MonthlySpendLimit")
    try:
        limit = float(raw) if raw not in (None, "") else DEFAULT_SPEND_LIMIT_USD
    except ValueError:
        limit = DEFAULT_SPEND_LIMIT_USD
    shown = f"USD {limit:g}" + ("" if raw not in (None, "") else " (the default)")
    remedy = (
        "raise it (above USD 1 needs a quota increase first): aws sns set-sms-attributes "
        f"--attributes MonthlySpendLimit=10 {_region(ctx)}; this month's spend is the "
        "CloudWatch metric AWS/SNS SMSMonthToDateSpentUSD"
    )
    if limit <= 0:
        return CheckResult(
            "sns-spend-limit", title, BLOCKING, f"monthly SMS spend limit {shown}", remedy
        )
    if limit <= DEFAULT_SPEND_LIMIT_USD:
        return CheckResult(
            "sns-spend-limit",
            title,
            WARN,
            f"monthly SMS spend limit {shown}: once this month's spend reaches it every SMS stops",
            remedy,
        )
    return CheckResult("sns-spend-limit", title, OK, f"monthly SMS spend limit {shown}")


def check_sns_origination(ctx: DoctorContext) -> CheckResult:
    """``sns-origination``: US numbers (+1) need a registered origination identity."""
    title = "the origination identity"
    number, skipped = _number(ctx, "sns-origination", title)
    if skipped is not None:
        return skipped
    if number is not None and not number.startswith("+1"):
        return CheckResult("sns-origination", title, OK, "n/a: not a +1 number")
    answer, failure = ctx.call(
        "sns", "ListOriginationNumbers", lambda c: c.list_origination_numbers()
    )
    if failure is not None:
        return unknown_from("sns-origination", title, failure)
    active = [
        str(n.get("PhoneNumber"))
        for n in answer.get("PhoneNumbers") or []
        if str(n.get("Status") or "").upper() == "ACTIVE"
        and "SMS" in (n.get("NumberCapabilities") or ["SMS"])
    ]
    if active:
        return CheckResult(
            "sns-origination", title, OK, f"active origination number: {', '.join(active[:3])}"
        )
    return CheckResult(
        "sns-origination",
        title,
        BLOCKING if number is not None else WARN,
        "no active origination number: SMS to US (+1) numbers cannot be sent",
        "register a toll-free or 10DLC number: aws pinpoint-sms-voice-v2 request-phone-number "
        f"--iso-country-code US --message-type TRANSACTIONAL --number-capabilities SMS "
        f"--number-type TOLL_FREE {_region(ctx)}",
    )
