"""Explaining an outcome by the pool's facts: the lines the attempt log shows.

Each line is driven by one fact of :class:`~console.cognito.pool_facts.PoolFacts`,
e.g. "NotAuthorized: this client has a secret and the profile has none
configured" only when the client has a secret and the profile has none.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from console.cognito.outcomes import Outcome, OutcomeKind
from console.cognito.pool_facts import COGNITO_DEFAULT_DAILY_EMAILS

if TYPE_CHECKING:
    from console.cognito.pool_facts import PoolFacts

__all__ = ["SIMULATED_NOTE", "delivery_risks", "explain_outcome"]

SIMULATED_NOTE = "success may be simulated: this client hides unknown users"
"""The gateway's note for the same fact (kept identical so the two never both show)."""
_LAMBDA_ERRORS = frozenset(
    {"UnexpectedLambdaException", "UserLambdaValidationException", "InvalidLambdaResponseException"}
)


def explain_outcome(outcome: Outcome, facts: PoolFacts | None) -> list[str]:
    """Lines that explain *outcome* by the pool's facts; [] without facts.

    Each line is driven by one fact; a note the outcome already carries is
    not repeated.
    """
    if facts is None:
        return []
    lines: list[str] = []
    code = outcome.error.code if outcome.error is not None else None
    message = (outcome.error.message if outcome.error is not None else "").lower()
    if outcome.kind is OutcomeKind.DELIVERED:
        lines.extend(_explain_delivered(outcome, facts))
    elif code == "NotAuthorizedException":
        if facts.secret_missing:
            lines.append(
                "NotAuthorized: this client has a secret and the profile has none configured"
            )
        elif facts.secret_unexpected:
            lines.append(
                "NotAuthorized: the profile has a client secret but this client has none; "
                "remove the secret from the profile"
            )
        elif facts.client_has_secret and "secret" in message:
            lines.append(
                "NotAuthorized: this client has a secret; check that the profile's is the "
                "current one"
            )
    elif code == "InvalidParameterException":
        if facts.auto_verified == ():
            lines.append("InvalidParameter: the pool auto-verifies no attribute")
        elif facts.auto_verified and "confirmed" not in message:
            verified = " or ".join(facts.auto_verified)
            lines.append(
                f"InvalidParameter: the pool auto-verifies only {verified}: "
                "the user needs one of them to get a code"
            )
    elif code == "LimitExceededException":
        if facts.uses_cognito_default_email:
            lines.append(
                f"LimitExceeded: the pool sends with COGNITO_DEFAULT "
                f"({COGNITO_DEFAULT_DAILY_EMAILS} emails a day): the daily cap may be spent"
            )
        elif facts.email_sending_account == "DEVELOPER":
            lines.append(
                "LimitExceeded: the pool sends email through SES (DEVELOPER), so this is "
                "the per-user limit (about 5 resends an hour)"
            )
    elif code == "UserNotFoundException":
        aliases = [*(facts.username_attributes or ()), *(facts.alias_attributes or ())]
        if aliases:
            lines.append(
                f"UserNotFound: the pool lets users sign in with {', '.join(aliases)}: "
                "look up the real username and resend with that"
            )
    elif code == "CodeDeliveryFailureException":
        if facts.email_sending_account == "DEVELOPER":
            where = f" ({facts.email_source_arn})" if facts.email_source_arn else ""
            lines.append(
                f"CodeDeliveryFailure: the pool sends email through its SES identity{where}: "
                "check that identity and whether SES is still in its sandbox"
            )
        elif facts.uses_cognito_default_email:
            lines.append(
                "CodeDeliveryFailure: the pool sends with COGNITO_DEFAULT; "
                "if email matters, move it to SES (DEVELOPER)"
            )
    elif code in _LAMBDA_ERRORS:
        for trigger in facts.triggers or ():
            lines.append(
                f"{code}: the {trigger.kind} trigger ({trigger.arn}) failed; read its logs"
            )
    return [line for line in lines if line not in outcome.notes]


def _explain_delivered(outcome: Outcome, facts: PoolFacts) -> list[str]:
    lines: list[str] = []
    if facts.hides_unknown_users:
        lines.append(SIMULATED_NOTE)
    medium = outcome.delivery.medium if outcome.delivery is not None else ""
    sender = facts.trigger("CustomEmailSender" if medium == "EMAIL" else "CustomSMSSender")
    if sender is not None:
        lines.append(
            f"a {sender.kind} trigger ({sender.arn}) sends this message: "
            "Cognito only handed it the code"
        )
    custom = facts.trigger("CustomMessage")
    if custom is not None:
        lines.append(f"a CustomMessage trigger ({custom.arn}) wrote this message")
    return lines


def delivery_risks(outcome: Outcome, facts: PoolFacts | None) -> list[str]:
    """What the pool's facts say may still stop a "delivered" code from arriving.

    Empty unless the outcome is delivered and the facts are known. The
    attempt log shows them with the key that opens the delivery doctor.
    """
    if facts is None or outcome.kind is not OutcomeKind.DELIVERED:
        return []
    medium = outcome.delivery.medium if outcome.delivery is not None else ""
    risks: list[str] = []
    if medium == "EMAIL" and facts.uses_cognito_default_email:
        risks.append(
            f"COGNITO_DEFAULT sends at most {COGNITO_DEFAULT_DAILY_EMAILS} emails a day "
            "(past that, dropped silently) from an address mail filters often block"
        )
    sender = facts.trigger("CustomEmailSender" if medium == "EMAIL" else "CustomSMSSender")
    if sender is not None:
        risks.append(f"a {sender.kind} trigger, not Cognito, delivers it")
    if facts.hides_unknown_users:
        risks.append("this client hides unknown users: the success may be simulated")
    return risks
