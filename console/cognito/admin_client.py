"""Signed clients for the admin reads (ListUsers, AdminGetUser, Describe*), and their failures.

ResendConfirmationCode needs no credentials; the lookups and the pool facts
do. Their credentials come from the profile's ``aws_profile`` (a botocore
session for that AWS CLI profile) or, without one, botocore's standard chain
(environment, shared files, SSO, container and instance metadata).

Nothing here raises to the caller: a missing profile, missing or rejected
credentials, an IAM denial and every transport fault become one
:class:`AdminFailure` whose :attr:`~AdminFailure.message` is a single line
for the operator, naming the permission that is missing
(``cognito-idp:ListUsers``) when that is the problem.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from mypy_boto3_cognito_idp import CognitoIdentityProviderClient as CognitoClient

    from console.config import ConsoleSettings, Profile

__all__ = [
    "ACCESS_DENIED_CODES",
    "CREDENTIAL_CODES",
    "AdminFailure",
    "AdminGateway",
    "AdminSettings",
    "SessionFactory",
    "admin_failure",
    "admin_settings",
    "new_session",
    "permission_for",
    "static_credentials",
]

ACCESS_DENIED_CODES = frozenset(
    {"AccessDeniedException", "AccessDenied", "NotAuthorizedException", "AuthorizationError"}
)
"""Error codes that mean "these credentials may not make this call"."""
CREDENTIAL_CODES = frozenset(
    {
        "NoCredentials",
        "ProfileNotFound",
        "CredentialsFailed",
        "UnrecognizedClientException",
        "InvalidClientTokenId",
        "InvalidSignatureException",
        "SignatureDoesNotMatch",
        "ExpiredTokenException",
        "ExpiredToken",
    }
)
"""Failures of the credentials themselves: a cached client is dropped after one."""

_PRINCIPAL_RE = re.compile(r"User: (\S+) is not authorized")


@dataclass(frozen=True, slots=True)
class AdminSettings:
    """Where and as whom to make admin calls: everything that makes two clients differ."""

    region: str
    endpoint_url: str | None = None
    aws_profile: str | None = None
    """AWS CLI profile for credentials; None uses the standard chain."""
    connect_timeout: float = 5.0
    read_timeout: float = 10.0
    max_attempts: int = 3
    """Total attempts per call (botocore ``total_max_attempts``, standard mode)."""


def admin_settings(profile: Profile, console: ConsoleSettings) -> AdminSettings:
    """The admin-call settings for a profile under the console's timeouts."""
    return AdminSettings(
        region=profile.region,
        endpoint_url=profile.endpoint_url,
        aws_profile=profile.aws_profile,
        connect_timeout=console.connect_timeout,
        read_timeout=console.read_timeout,
        max_attempts=console.max_attempts,
    )


def permission_for(operation: str, iam_prefix: str = "cognito-idp") -> str:
    """The IAM action an operation needs: ``ListUsers`` -> ``cognito-idp:ListUsers``."""
    return f"{iam_prefix}:{operation}"


@dataclass(frozen=True, slots=True)
class AdminFailure:
    """Why an admin call did not answer, in one line the operator can act on."""

    operation: str
    """The API operation, e.g. ``ListUsers``."""
    code: str
    """Cognito's error code, ``AccessDeniedException``, or our name for a local fault
    (``NoCredentials``, ``ProfileNotFound``, ``ConnectionRefused``...)."""
    message: str
    """One line: what went wrong and what to do. Contains server text: show via visible()."""
    permission: str | None = None
    """The IAM action that is missing, when the failure is a denial or missing credentials."""
    http_status: int | None = None
    request_id: str | None = None

    @property
    def is_access_problem(self) -> bool:
        """True for missing/rejected credentials or a denial (a resend still works)."""
        return self.code in ACCESS_DENIED_CODES or self.code in CREDENTIAL_CODES

    def __str__(self) -> str:
        return self.message

    def to_json(self) -> dict[str, object]:
        """A JSON-ready dict with stable keys."""
        return {
            "operation": self.operation,
            "code": self.code,
            "message": self.message,
            "permission": self.permission,
            "http_status": self.http_status,
            "request_id": self.request_id,
        }


def _first_line(text: str, limit: int = 300) -> str:
    line = " ".join(str(text).split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _where(settings: AdminSettings) -> str:
    if settings.aws_profile:
        return f"AWS profile {settings.aws_profile!r}"
    return "the standard credential chain (environment, ~/.aws files, SSO, instance role)"


def _client_error_failure(
    operation: str, response: dict[str, Any], settings: AdminSettings, iam_prefix: str
) -> AdminFailure:
    error = response.get("Error", {})
    meta = response.get("ResponseMetadata", {})
    code = str(error.get("Code") or "") or "UnknownError"
    server = _first_line(str(error.get("Message") or ""))
    status = meta.get("HTTPStatusCode")
    request_id = meta.get("RequestId") or None
    permission = permission_for(operation, iam_prefix)
    if code in ACCESS_DENIED_CODES:
        found = _PRINCIPAL_RE.search(server)
        who = f" ({found.group(1)})" if found else ""
        message = (
            f"access denied: the credentials from {_where(settings)}{who} may not call "
            f"{permission}; ask for that permission (resending still works without it)"
        )
        if server and not found:
            message += f" [Cognito: {server}]"
        return AdminFailure(operation, code, message, permission, status, request_id)
    if code in CREDENTIAL_CODES:
        message = (
            f"the AWS credentials from {_where(settings)} were rejected ({code}: {server}); "
            f"refresh them (e.g. aws sso login) to call {permission}"
        )
        return AdminFailure(operation, code, message, permission, status, request_id)
    hints = {
        "ResourceNotFoundException": "check the profile's user_pool_id, client_id and region",
        "UserNotFoundException": "no such user in this pool",
        "TooManyRequestsException": "the account's request rate was exceeded; try again shortly",
        "InvalidParameterException": "Cognito refused a parameter",
        "InternalErrorException": "Cognito failed internally; try again later",
    }
    hint = hints.get(code, "see Cognito's message")
    detail = f": {server}" if server else ""
    message = f"{operation} failed: {code}{detail} ({hint})"
    return AdminFailure(operation, code, message, None, status, request_id)


def admin_failure(
    operation: str, exc: BaseException, settings: AdminSettings, iam_prefix: str = "cognito-idp"
) -> AdminFailure:
    """Turn anything creating a client or making *operation* can raise into a failure.

    *iam_prefix* names the service in the permission (``ses:GetAccount``).
    """
    from botocore import exceptions as bx

    permission = permission_for(operation, iam_prefix)
    if isinstance(exc, bx.ClientError):
        return _client_error_failure(operation, dict(exc.response), settings, iam_prefix)
    if isinstance(exc, bx.ProfileNotFound):
        message = (
            f"AWS profile {settings.aws_profile!r} not found in the AWS config files; "
            f"fix the profile's aws_profile to call {permission}"
        )
        return AdminFailure(operation, "ProfileNotFound", message, permission)
    if isinstance(exc, bx.NoCredentialsError | bx.PartialCredentialsError):
        message = (
            f"no AWS credentials found in {_where(settings)}: {permission} needs them; "
            "set aws_profile for this profile or AWS_PROFILE (resending still works without them)"
        )
        return AdminFailure(operation, "NoCredentials", message, permission)
    if isinstance(exc, bx.BotoCoreError) and type(exc).__name__ in {
        "CredentialRetrievalError",
        "SSOTokenLoadError",
        "TokenRetrievalError",
        "UnauthorizedSSOTokenError",
        "InvalidConfigError",
    }:
        message = (
            f"the AWS credentials from {_where(settings)} could not be loaded "
            f"({type(exc).__name__}: {_first_line(str(exc), 160)}); {permission} needs them"
        )
        return AdminFailure(operation, "CredentialsFailed", message, permission)
    from console.cognito.gateway import classify_exception

    outcome = classify_exception(exc, 0.0)
    error = outcome.error
    code = error.code if error is not None else "InternalFailure"
    text = _first_line(error.message, 200) if error is not None else type(exc).__name__
    message = f"{operation} failed: {code}: {text}"
    if error is not None and error.remedy:
        message += f" ({_first_line(error.remedy, 160)})"
    return AdminFailure(operation, code, message, None, error.http_status if error else None)


SessionFactory = Callable[[str | None], Any]
"""Makes the botocore session for an AWS CLI profile name (None: the default chain)."""


def new_session(aws_profile: str | None = None) -> Any:
    """A botocore session for *aws_profile* (None: the default chain).

    It shares the resend gateway's data loader, so the service model is
    parsed once per process rather than once per session (0.3 s each).
    """
    import botocore.session

    from console.cognito.gateway import _shared_session

    session = botocore.session.Session(profile=aws_profile)
    session.register_component("data_loader", _shared_session().get_component("data_loader"))
    return session


def static_credentials(access_key_id: str, secret_access_key: str) -> SessionFactory:
    """A session factory with fixed credentials, ignoring ``aws_profile``.

    For the local sandbox (moto accepts any key, e.g. ``--sandbox`` in the
    TUI, where the operator has no AWS credentials) and for tests; never for AWS.
    """

    def factory(_aws_profile: str | None) -> Any:
        session = new_session()
        session.set_credentials(access_key_id, secret_access_key)
        return session

    return factory


class AdminGateway:
    """Signed cognito-idp clients for admin reads; one per :class:`AdminSettings`.

    Thread-safe: the TUI uses it from worker threads. A client whose
    credentials failed is dropped, so the next call picks up fresh ones
    (after ``aws sso login``, say) instead of failing for the whole session.
    """

    def __init__(self, session_factory: SessionFactory | None = None) -> None:
        self._session_factory = session_factory or new_session
        self._sessions: dict[str | None, Any] = {}
        self._clients: dict[tuple[AdminSettings, str], Any] = {}
        self._lock = threading.Lock()

    def client(self, settings: AdminSettings) -> CognitoClient:
        """The cached client for *settings*, created on first use (may raise botocore errors)."""
        return cast("CognitoClient", self.service_client(settings, "cognito-idp"))

    def service_client(self, settings: AdminSettings, service: str) -> Any:
        """The cached client of *service* (``sesv2``, ``sns``, ``logs``...) for *settings*.

        Same credentials, endpoint and timeouts as the Cognito client: against
        the sandbox every service answers on its one endpoint.
        """
        from botocore.config import Config

        with self._lock:
            client = self._clients.get((settings, service))
            if client is not None:
                return client
            session = self._sessions.get(settings.aws_profile)
            if session is None:
                session = self._session_factory(settings.aws_profile)
                self._sessions[settings.aws_profile] = session
            config = Config(
                connect_timeout=settings.connect_timeout,
                read_timeout=settings.read_timeout,
                retries={"mode": "standard", "total_max_attempts": settings.max_attempts},
                user_agent_extra="cognito-console",
            )
            client = session.create_client(
                service,
                region_name=settings.region,
                endpoint_url=settings.endpoint_url,
                config=config,
            )
            self._clients[(settings, service)] = client
            return client

    def forget(self, settings: AdminSettings) -> None:
        """Drop the client (and session) for *settings*: new credentials on next use."""
        with self._lock:
            for key in [k for k in self._clients if k[0] == settings]:
                self._clients.pop(key, None)
            self._sessions.pop(settings.aws_profile, None)

    def call(
        self,
        settings: AdminSettings,
        operation: str,
        invoke: Callable[[Any], Any],
        *,
        service: str = "cognito-idp",
        iam_prefix: str | None = None,
    ) -> tuple[Any, AdminFailure | None]:
        """Run ``invoke(client)`` for *operation*: (response, None) or (None, failure).

        *service* is the SDK's name (``sesv2``); *iam_prefix* the IAM one
        (``ses``), when they differ.
        """
        try:
            client = self.service_client(settings, service)
            return invoke(client), None
        except Exception as exc:  # the contract: every failure becomes a value
            failure = admin_failure(operation, exc, settings, iam_prefix or service)
            if failure.code in CREDENTIAL_CODES:
                self.forget(settings)
            return None, failure
