"""The error catalogue: every modeled ResendConfirmationCode error, and the
transport faults we name ourselves, with what each means and what to do.

Branch on the error code, never on the HTTP status: Cognito answers most
errors, throttling included, with 400.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

__all__ = ["CATALOGUE", "MODELED_ERRORS", "TRANSPORT_ERRORS", "Explanation", "explain"]


@dataclass(frozen=True, slots=True)
class Explanation:
    """What an error code means for a resend and what the operator does next."""

    meaning: str
    remedy: str


_MODELED: dict[str, Explanation] = {
    "UserNotFoundException": Explanation(
        "No user with this username exists for this app client.",
        "Check the spelling. If you have an email or phone number, look up the "
        "real username first (ListUsers) and resend with that.",
    ),
    "InvalidParameterException": Explanation(
        "Cognito refused a parameter: the user is already confirmed, the pool does "
        "not auto-verify email or phone, the user has no email or phone to send "
        "to, or a field is out of bounds.",
        "Read Cognito's message: a confirmed user needs no code; otherwise turn on "
        "auto verification for the pool, add an email or phone to the user, or "
        "fix the named field.",
    ),
    "NotAuthorizedException": Explanation(
        "The app client has a secret and the SecretHash was missing or wrong.",
        "Configure the client secret for this profile (client_secret_env, "
        "client_secret_command or client_secret), or check it is the right one.",
    ),
    "LimitExceededException": Explanation(
        "A per-user limit was hit: too many resends for this user (about 5 an "
        "hour), or the pool's daily email cap with Cognito's default sender.",
        "Wait up to an hour before trying again (do not retry now), confirm the "
        "user administratively (AdminConfirmSignUp), or move the pool to SES.",
    ),
    "TooManyRequestsException": Explanation(
        "The account's request-rate quota for this Region was exceeded.",
        "Back off for a few seconds and try again; slow down bulk runs.",
    ),
    "CodeDeliveryFailureException": Explanation(
        "Cognito could not deliver the code by email or SMS.",
        "Check the SES identity and SES sandbox status, the SNS SMS sandbox, and "
        "the origination number.",
    ),
    "InvalidSmsRoleAccessPolicyException": Explanation(
        "The pool's SMS role is not allowed to publish through SNS.",
        "Fix the SMS role's access policy so it allows sns:Publish.",
    ),
    "InvalidSmsRoleTrustRelationshipException": Explanation(
        "The pool's SMS role does not trust cognito-idp.amazonaws.com, or its "
        "ExternalId does not match.",
        "Fix the SMS role's trust policy (principal and ExternalId).",
    ),
    "InvalidEmailRoleAccessPolicyException": Explanation(
        "Cognito is not allowed to send from the pool's SES identity.",
        "Verify the SES identity and add a sending authorization policy for Cognito.",
    ),
    "UnexpectedLambdaException": Explanation(
        "Cognito failed while calling a Lambda trigger (for example it timed out).",
        "Check the CustomMessage Lambda: its duration (Cognito waits 5 s), its "
        "permissions and its logs.",
    ),
    "UserLambdaValidationException": Explanation(
        "A Lambda trigger raised an error.",
        "Read the trigger's error in Cognito's message and in the function's logs.",
    ),
    "InvalidLambdaResponseException": Explanation(
        "A Lambda trigger answered with a response Cognito cannot use.",
        "Fix the trigger's response: keep the code placeholder in every message, "
        "stay within the size limits, and return the event.",
    ),
    "ResourceNotFoundException": Explanation(
        "The app client (or its user pool) does not exist in this Region.",
        "Fix the profile's client_id and region (or endpoint).",
    ),
    "ForbiddenException": Explanation(
        "The request was blocked by the pool's AWS WAF web ACL.",
        "Check the WAF rules associated with the user pool.",
    ),
    "OperationNotEnabledException": Explanation(
        "Cognito says this operation or feature is not enabled for the pool "
        "(newer botocore models list it for this call).",
        "Check the pool's feature plan and settings in the AWS console.",
    ),
    "InternalErrorException": Explanation(
        "Cognito failed internally.",
        "Try again later; if it persists, check the AWS Health Dashboard.",
    ),
}

_TRANSPORT: dict[str, Explanation] = {
    "ConnectionRefused": Explanation(
        "Nothing is listening at the endpoint: the request never reached Cognito.",
        "Check the profile's endpoint_url (is the sandbox running?) and your network.",
    ),
    "DnsFailure": Explanation(
        "The endpoint's host name could not be resolved: the request never left.",
        "Check the profile's region and endpoint_url, and your DNS or VPN.",
    ),
    "ConnectTimeout": Explanation(
        "No connection could be made within the connect timeout: nothing was sent.",
        "Check the network path to the endpoint (proxy, VPN, firewall), or raise "
        "console.connect_timeout.",
    ),
    "ReadTimeout": Explanation(
        "The request was sent but no answer came within the read timeout: the "
        "code may have been sent.",
        "Do not resend at once: check with the user first, or look at the pool "
        "before trying again. Raise console.read_timeout if answers are slow.",
    ),
    "ConnectionDropped": Explanation(
        "The connection closed before a full answer arrived: the code may have been sent.",
        "Check with the user before resending; check the network or proxy.",
    ),
    "BadResponse": Explanation(
        "The endpoint answered with something that is not a Cognito answer "
        "(an HTML page, an empty or non-JSON body).",
        "Check that endpoint_url points at Cognito (or the sandbox), not a proxy or web server.",
    ),
    "UnknownError": Explanation(
        "Cognito answered with an error code that is not modeled for this operation.",
        "Read Cognito's message; if it persists, report it with the request id.",
    ),
    "InternalFailure": Explanation(
        "cognito-console itself failed while making the call.",
        "Run with --debug and report the message; nothing secret is logged.",
    ),
}

MODELED_ERRORS: frozenset[str] = frozenset(_MODELED)
"""Every error code botocore models for ResendConfirmationCode (fifteen in the
2016-04-18 model our reference documents, sixteen since OperationNotEnabledException)."""
TRANSPORT_ERRORS: frozenset[str] = frozenset(_TRANSPORT)
"""Our names for faults below the API (no answer, or no Cognito answer)."""
CATALOGUE = MappingProxyType({**_MODELED, **_TRANSPORT})


# Cognito's messages that settle which of a code's causes it is (lower case,
# matched as substrings): the catalogue entry lists every cause, these one.
_BY_MESSAGE: tuple[tuple[str, str, Explanation], ...] = (
    (
        "LimitExceededException",
        "attempt limit exceeded",
        Explanation(
            "Too many codes for this user: Cognito allows about 5 resends per user an hour.",
            "Wait up to an hour before trying again (do not retry now), or confirm the "
            "user administratively (AdminConfirmSignUp).",
        ),
    ),
    (
        "LimitExceededException",
        "email limit",
        Explanation(
            "The pool's daily email cap is spent (Cognito's default sender sends 50 a day).",
            "Move the pool's email to SES (DEVELOPER), or wait for the next day.",
        ),
    ),
    (
        "InvalidParameterException",
        "already confirmed",
        Explanation(
            "The user is already confirmed: there is no sign-up code to resend.",
            "Nothing to resend: the user can sign in (or reset a forgotten password).",
        ),
    ),
    (
        "InvalidParameterException",
        "auto verification not turned on",
        Explanation(
            "The pool auto-verifies neither email nor phone: Cognito has nowhere to "
            "send a sign-up code.",
            "Turn on auto verification of email or phone number for the pool.",
        ),
    ),
    (
        "InvalidParameterException",
        "attribute to deliver the code to",
        Explanation(
            "The user has no email or phone number the pool verifies: there is nowhere "
            "to send the code.",
            "Add an email or phone number to the user (AdminUpdateUserAttributes), then resend.",
        ),
    ),
)


def explain(code: str, message: str = "") -> Explanation:
    """The catalogue entry for *code*; an unmodeled code gets a generic one.

    Where Cognito's *message* settles which cause it is (the per-user attempt
    limit, an already confirmed user...), that cause's own entry instead.
    """
    lowered = message.lower()
    for known_code, words, specific in _BY_MESSAGE:
        if code == known_code and words in lowered:
            return specific
    return CATALOGUE.get(code, _TRANSPORT["UnknownError"])
