"""Talking to Cognito: the request, the gateway, outcomes and errors, admin look-ups.

- :mod:`~console.cognito.request`: a validated ResendConfirmationCode request;
- :mod:`~console.cognito.gateway`: the SDK call and what came back, as an outcome;
- :mod:`~console.cognito.outcomes`: delivered, failed or unknown, with the details;
- :mod:`~console.cognito.errors`: what each Cognito error means and what to do about it;
- :mod:`~console.cognito.admin_client`: admin calls (endpoints, clients, failures), their
  sessions and credentials in :mod:`~console.cognito.admin_sessions`;
- :mod:`~console.cognito.lookup`: finding a user by username, email or phone;
- :mod:`~console.cognito.trigger_logs`: a CustomMessage trigger's CloudWatch Logs;
- :mod:`~console.cognito.pool_facts` and :mod:`~console.cognito.pool_explain`: the
  pool's settings that decide a resend, and the lines they explain an outcome with;
- the delivery doctor's checks: :mod:`~console.cognito.doctor_model` (results,
  verdict, masking), :mod:`~console.cognito.doctor_context` (shared calls),
  :mod:`~console.cognito.doctor_checks` (user, pool, history),
  :mod:`~console.cognito.doctor_email` (SES), :mod:`~console.cognito.doctor_sms`
  (SNS), :mod:`~console.cognito.doctor_logs` (Cognito's delivery error log).

Domain code: no Textual. boto3 loads only when a call is made.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from console.lazy import load_export

if TYPE_CHECKING:
    from console.cognito.admin_client import (
        ACCESS_DENIED_CODES,
        CREDENTIAL_CODES,
        AdminFailure,
        AdminGateway,
        AdminSettings,
        admin_failure,
        admin_settings,
        gateway_for,
        local_gateway_for,
        permission_for,
    )
    from console.cognito.admin_sessions import (
        LOCAL_ACCESS_KEY,
        SessionFactory,
        credentials_found,
        is_loopback,
        new_session,
        static_credentials,
    )
    from console.cognito.doctor_checks import (
        check_budget,
        check_pool_sending,
        check_recent_attempts,
        check_user,
    )
    from console.cognito.doctor_context import (
        AttemptsSummary,
        DoctorContext,
        DoctorHistory,
        PoolView,
        quote,
        unknown_from,
    )
    from console.cognito.doctor_email import (
        check_ses_account,
        check_ses_identity,
        check_ses_recipient,
        check_ses_suppression,
    )
    from console.cognito.doctor_logs import (
        check_delivery_logs,
    )
    from console.cognito.doctor_model import (
        CheckResult,
        CheckStatus,
        DoctorReport,
        mask_address,
    )
    from console.cognito.doctor_sms import (
        check_sns_opt_out,
        check_sns_origination,
        check_sns_sandbox,
        check_sns_spend_limit,
    )
    from console.cognito.errors import (
        CATALOGUE,
        MODELED_ERRORS,
        TRANSPORT_ERRORS,
        Explanation,
        explain,
    )
    from console.cognito.gateway import (
        ClientSettings,
        Gateway,
        classify_exception,
    )
    from console.cognito.lookup import (
        DEFAULT_LIMIT,
        MAX_FILTER_LENGTH,
        MAX_LIMIT,
        PAGE_SIZE,
        LookupKey,
        LookupQuery,
        LookupResult,
        UserSummary,
        build_query,
        find_users,
        get_user,
        preflight_warning,
    )
    from console.cognito.outcomes import (
        CANNOT_TELL_NOTE,
        SIMULATED_NOTE,
        Delivery,
        ErrorInfo,
        Outcome,
        OutcomeKind,
    )
    from console.cognito.pool_explain import (
        delivery_risks,
        explain_outcome,
    )
    from console.cognito.pool_facts import (
        COGNITO_DEFAULT_DAILY_EMAILS,
        PoolFacts,
        PoolFactsResult,
        TriggerFact,
        fetch_pool_facts,
    )
    from console.cognito.pool_facts_cache import (
        PoolFactsCache,
    )
    from console.cognito.request import (
        MAX_ID_LENGTH,
        MAX_METADATA_LENGTH,
        FieldProblem,
        RequestError,
        ResendRequest,
        build_request,
        compute_secret_hash,
        mask_secret,
        validate_username,
    )
    from console.cognito.trigger_logs import TriggerLogs, fetch_trigger_logs

_HOMES = {
    "ACCESS_DENIED_CODES": "admin_client",
    "AdminFailure": "admin_client",
    "AdminGateway": "admin_client",
    "AdminSettings": "admin_client",
    "AttemptsSummary": "doctor_context",
    "CANNOT_TELL_NOTE": "outcomes",
    "CATALOGUE": "errors",
    "COGNITO_DEFAULT_DAILY_EMAILS": "pool_facts",
    "CREDENTIAL_CODES": "admin_client",
    "CheckResult": "doctor_model",
    "CheckStatus": "doctor_model",
    "ClientSettings": "gateway",
    "DEFAULT_LIMIT": "lookup",
    "Delivery": "outcomes",
    "DoctorContext": "doctor_context",
    "DoctorHistory": "doctor_context",
    "DoctorReport": "doctor_model",
    "ErrorInfo": "outcomes",
    "Explanation": "errors",
    "FieldProblem": "request",
    "Gateway": "gateway",
    "LOCAL_ACCESS_KEY": "admin_sessions",
    "LookupKey": "lookup",
    "LookupQuery": "lookup",
    "LookupResult": "lookup",
    "MAX_FILTER_LENGTH": "lookup",
    "MAX_ID_LENGTH": "request",
    "MAX_LIMIT": "lookup",
    "MAX_METADATA_LENGTH": "request",
    "MODELED_ERRORS": "errors",
    "Outcome": "outcomes",
    "OutcomeKind": "outcomes",
    "PAGE_SIZE": "lookup",
    "PoolFacts": "pool_facts",
    "PoolFactsCache": "pool_facts_cache",
    "PoolFactsResult": "pool_facts",
    "PoolView": "doctor_context",
    "RequestError": "request",
    "ResendRequest": "request",
    "SIMULATED_NOTE": "outcomes",
    "SessionFactory": "admin_sessions",
    "TRANSPORT_ERRORS": "errors",
    "TriggerFact": "pool_facts",
    "TriggerLogs": "trigger_logs",
    "fetch_trigger_logs": "trigger_logs",
    "UserSummary": "lookup",
    "admin_failure": "admin_client",
    "admin_settings": "admin_client",
    "build_query": "lookup",
    "build_request": "request",
    "check_budget": "doctor_checks",
    "check_delivery_logs": "doctor_logs",
    "check_pool_sending": "doctor_checks",
    "check_recent_attempts": "doctor_checks",
    "check_ses_account": "doctor_email",
    "check_ses_identity": "doctor_email",
    "check_ses_recipient": "doctor_email",
    "check_ses_suppression": "doctor_email",
    "check_sns_opt_out": "doctor_sms",
    "check_sns_origination": "doctor_sms",
    "check_sns_sandbox": "doctor_sms",
    "check_sns_spend_limit": "doctor_sms",
    "check_user": "doctor_checks",
    "classify_exception": "gateway",
    "compute_secret_hash": "request",
    "credentials_found": "admin_sessions",
    "delivery_risks": "pool_explain",
    "explain": "errors",
    "explain_outcome": "pool_explain",
    "fetch_pool_facts": "pool_facts",
    "find_users": "lookup",
    "gateway_for": "admin_client",
    "get_user": "lookup",
    "is_loopback": "admin_sessions",
    "local_gateway_for": "admin_client",
    "mask_address": "doctor_model",
    "mask_secret": "request",
    "new_session": "admin_sessions",
    "permission_for": "admin_client",
    "preflight_warning": "lookup",
    "quote": "doctor_context",
    "static_credentials": "admin_sessions",
    "unknown_from": "doctor_context",
    "validate_username": "request",
}
"""Each public name and the submodule that defines it."""

__all__ = [
    "ACCESS_DENIED_CODES",
    "CANNOT_TELL_NOTE",
    "CATALOGUE",
    "COGNITO_DEFAULT_DAILY_EMAILS",
    "CREDENTIAL_CODES",
    "DEFAULT_LIMIT",
    "LOCAL_ACCESS_KEY",
    "MAX_FILTER_LENGTH",
    "MAX_ID_LENGTH",
    "MAX_LIMIT",
    "MAX_METADATA_LENGTH",
    "MODELED_ERRORS",
    "PAGE_SIZE",
    "SIMULATED_NOTE",
    "TRANSPORT_ERRORS",
    "AdminFailure",
    "AdminGateway",
    "AdminSettings",
    "AttemptsSummary",
    "CheckResult",
    "CheckStatus",
    "ClientSettings",
    "Delivery",
    "DoctorContext",
    "DoctorHistory",
    "DoctorReport",
    "ErrorInfo",
    "Explanation",
    "FieldProblem",
    "Gateway",
    "LookupKey",
    "LookupQuery",
    "LookupResult",
    "Outcome",
    "OutcomeKind",
    "PoolFacts",
    "PoolFactsCache",
    "PoolFactsResult",
    "PoolView",
    "RequestError",
    "ResendRequest",
    "SessionFactory",
    "TriggerFact",
    "TriggerLogs",
    "UserSummary",
    "admin_failure",
    "admin_settings",
    "build_query",
    "build_request",
    "check_budget",
    "check_delivery_logs",
    "check_pool_sending",
    "check_recent_attempts",
    "check_ses_account",
    "check_ses_identity",
    "check_ses_recipient",
    "check_ses_suppression",
    "check_sns_opt_out",
    "check_sns_origination",
    "check_sns_sandbox",
    "check_sns_spend_limit",
    "check_user",
    "classify_exception",
    "compute_secret_hash",
    "credentials_found",
    "delivery_risks",
    "explain",
    "explain_outcome",
    "fetch_pool_facts",
    "fetch_trigger_logs",
    "find_users",
    "gateway_for",
    "get_user",
    "is_loopback",
    "local_gateway_for",
    "mask_address",
    "mask_secret",
    "new_session",
    "permission_for",
    "preflight_warning",
    "quote",
    "static_credentials",
    "unknown_from",
    "validate_username",
]


def __getattr__(name: str) -> Any:
    """Load a public name from its submodule on first use (see :mod:`console.lazy`)."""
    return load_export(__name__, _HOMES, name, globals())


def __dir__() -> list[str]:
    """The public names too, loaded or not (what ``dir()`` and completion show)."""
    return sorted({*globals(), *_HOMES})
