"""Talking to Cognito: the request, the gateway, outcomes and errors, admin look-ups.

- :mod:`~console.cognito.request`: a validated ResendConfirmationCode request;
- :mod:`~console.cognito.gateway`: the SDK call and what came back, as an outcome;
- :mod:`~console.cognito.outcomes`: delivered, failed or unknown, with the details;
- :mod:`~console.cognito.errors`: what each Cognito error means and what to do about it;
- :mod:`~console.cognito.admin_client`: admin calls (credentials, endpoints, failures);
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
        SessionFactory,
        admin_failure,
        admin_settings,
        new_session,
        permission_for,
        static_credentials,
    )
    from console.cognito.doctor_model import (
        CheckResult,
        CheckStatus,
        DoctorReport,
        mask_address,
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
        Delivery,
        ErrorInfo,
        Outcome,
        OutcomeKind,
    )
    from console.cognito.pool_explain import (
        SIMULATED_NOTE,
        delivery_risks,
        explain_outcome,
    )
    from console.cognito.pool_facts import (
        COGNITO_DEFAULT_DAILY_EMAILS,
        PoolFacts,
        PoolFactsCache,
        PoolFactsResult,
        TriggerFact,
        fetch_pool_facts,
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
    "validate_username": "request",
    "CheckResult": "doctor_model",
    "CheckStatus": "doctor_model",
    "DoctorReport": "doctor_model",
    "mask_address": "doctor_model",
    "ACCESS_DENIED_CODES": "admin_client",
    "AdminFailure": "admin_client",
    "AdminGateway": "admin_client",
    "AdminSettings": "admin_client",
    "CATALOGUE": "errors",
    "COGNITO_DEFAULT_DAILY_EMAILS": "pool_facts",
    "CREDENTIAL_CODES": "admin_client",
    "ClientSettings": "gateway",
    "DEFAULT_LIMIT": "lookup",
    "Delivery": "outcomes",
    "ErrorInfo": "outcomes",
    "Explanation": "errors",
    "FieldProblem": "request",
    "Gateway": "gateway",
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
    "PoolFactsCache": "pool_facts",
    "PoolFactsResult": "pool_facts",
    "RequestError": "request",
    "ResendRequest": "request",
    "SIMULATED_NOTE": "pool_explain",
    "SessionFactory": "admin_client",
    "TRANSPORT_ERRORS": "errors",
    "TriggerFact": "pool_facts",
    "TriggerLogs": "trigger_logs",
    "fetch_trigger_logs": "trigger_logs",
    "UserSummary": "lookup",
    "admin_failure": "admin_client",
    "admin_settings": "admin_client",
    "build_query": "lookup",
    "build_request": "request",
    "classify_exception": "gateway",
    "compute_secret_hash": "request",
    "explain": "errors",
    "delivery_risks": "pool_explain",
    "explain_outcome": "pool_explain",
    "fetch_pool_facts": "pool_facts",
    "find_users": "lookup",
    "get_user": "lookup",
    "mask_secret": "request",
    "new_session": "admin_client",
    "permission_for": "admin_client",
    "preflight_warning": "lookup",
    "static_credentials": "admin_client",
}
"""Each public name and the submodule that defines it."""

__all__ = [
    "ACCESS_DENIED_CODES",
    "CATALOGUE",
    "COGNITO_DEFAULT_DAILY_EMAILS",
    "CREDENTIAL_CODES",
    "DEFAULT_LIMIT",
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
    "CheckResult",
    "CheckStatus",
    "ClientSettings",
    "Delivery",
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
    "classify_exception",
    "compute_secret_hash",
    "delivery_risks",
    "explain",
    "explain_outcome",
    "fetch_pool_facts",
    "fetch_trigger_logs",
    "find_users",
    "get_user",
    "mask_address",
    "mask_secret",
    "new_session",
    "permission_for",
    "preflight_warning",
    "static_credentials",
    "validate_username",
]


def __getattr__(name: str) -> Any:
    """Load a public name from its submodule on first use (see :mod:`console.lazy`)."""
    return load_export(__name__, _HOMES, name, globals())


def __dir__() -> list[str]:
    """The public names too, loaded or not (what ``dir()`` and completion show)."""
    return sorted({*globals(), *_HOMES})
