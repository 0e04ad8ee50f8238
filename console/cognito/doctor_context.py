"""What every doctor check shares: the clients, the user and the pool, each asked once.

Checks run in parallel threads. Several need the user (AdminGetUser) or the
pool (DescribeUserPool); :class:`DoctorContext` asks each once, on first
need, and every other check waiting for it gets the same answer. A check
never raises: a failed call becomes an ``unknown`` result naming the
missing permission (:func:`unknown_from`).
"""

from __future__ import annotations

import shlex
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from console.cognito.admin_client import AdminFailure, AdminGateway, AdminSettings
from console.cognito.doctor_model import CheckResult, CheckStatus
from console.cognito.lookup import UserSummary

__all__ = [
    "AttemptsSummary",
    "DoctorContext",
    "DoctorHistory",
    "PoolView",
    "quote",
    "unknown_from",
]


def quote(value: str) -> str:
    """*value* quoted for a POSIX shell, so a remedy's command can be pasted as it is."""
    return shlex.quote(value)


def unknown_from(check_id: str, title: str, failure: AdminFailure) -> CheckResult:
    """An ``unknown`` result for a call that failed, naming the missing permission."""
    remedy = None
    if failure.permission and failure.is_access_problem:
        remedy = f"grant {failure.permission} to the console's credentials (docs/doctor.md)"
    return CheckResult(
        check_id,
        title,
        CheckStatus.UNKNOWN,
        failure.message,
        remedy,
        failure.permission if failure.is_access_problem else None,
    )


@dataclass(frozen=True, slots=True)
class AttemptsSummary:
    """The user's recent attempts, from this console's history."""

    last_hour: int
    last_outcome: str | None
    """``delivered``, ``failed``... of the newest attempt, or None if there is none."""
    last_error: str | None = None
    last_at: str | None = None


class DoctorHistory(Protocol):
    """What the doctor reads from history (the use case adapts the SQLite store)."""

    def emails_today(self, user_pool_id: str) -> int:
        """Email deliveries to this pool since 00:00 UTC."""
        ...

    def attempts(self, user_pool_id: str, username: str) -> AttemptsSummary:
        """The user's attempts in the last hour and the newest one's outcome."""
        ...


@dataclass(frozen=True, slots=True)
class PoolView:
    """What DescribeUserPool says about sending."""

    raw: dict[str, Any]

    @property
    def account_id(self) -> str:
        """The AWS account, from the pool's ARN (``ACCOUNT`` when the ARN is missing)."""
        parts = str(self.raw.get("Arn") or "").split(":")
        return parts[4] if len(parts) > 4 and parts[4] else "ACCOUNT"

    @property
    def auto_verified(self) -> tuple[str, ...]:
        """AutoVerifiedAttributes."""
        value = self.raw.get("AutoVerifiedAttributes") or []
        return tuple(str(v) for v in value) if isinstance(value, list) else ()

    @property
    def email(self) -> dict[str, Any]:
        """EmailConfiguration (empty when the pool has none)."""
        value = self.raw.get("EmailConfiguration")
        return value if isinstance(value, dict) else {}

    @property
    def sending_account(self) -> str:
        """``COGNITO_DEFAULT`` (also when unset) or ``DEVELOPER``."""
        return str(self.email.get("EmailSendingAccount") or "COGNITO_DEFAULT")

    @property
    def ses_identity(self) -> str | None:
        """The SES identity of SourceArn (``arn:...:identity/NAME``), if any."""
        arn = str(self.email.get("SourceArn") or "")
        return arn.partition(":identity/")[2] or None

    @property
    def sms(self) -> dict[str, Any]:
        """SmsConfiguration (empty when the pool has none)."""
        value = self.raw.get("SmsConfiguration")
        return value if isinstance(value, dict) else {}

    def lambda_arn(self, kind: str) -> str | None:
        """The ARN of the CustomMessage / CustomEmailSender / CustomSMSSender trigger."""
        config = self.raw.get("LambdaConfig")
        value = config.get(kind) if isinstance(config, dict) else None
        if isinstance(value, dict):
            value = value.get("LambdaArn")
        return str(value) if value else None


class _Once:
    """A value computed by the first thread that asks; the others wait for it."""

    def __init__(self, compute: Callable[[], Any]) -> None:
        self._compute = compute
        self._lock = threading.Lock()
        self._done = False
        self._value: Any = None

    def get(self) -> Any:
        with self._lock:
            if not self._done:
                self._value = self._compute()
                self._done = True
            return self._value


class DoctorContext:
    """The clients and the shared answers of one doctor run."""

    def __init__(
        self,
        gateway: AdminGateway,
        settings: AdminSettings,
        *,
        profile: str,
        user_pool_id: str,
        username: str | None,
        history: DoctorHistory | None = None,
    ) -> None:
        self.gateway = gateway
        self.settings = settings
        self.profile = profile
        self.user_pool_id = user_pool_id
        self.username = username
        self.history = history
        self._user = _Once(self._fetch_user)
        self._pool = _Once(self._fetch_pool)
        self._ses_account = _Once(
            lambda: self.call("sesv2", "GetAccount", lambda c: c.get_account(), "ses")
        )

    @property
    def region(self) -> str:
        """The profile's region (every remedy names it)."""
        return self.settings.region

    def call(
        self, service: str, operation: str, invoke: Callable[[Any], Any], iam_prefix: str = ""
    ) -> tuple[Any, AdminFailure | None]:
        """One call of *service* (SDK name) under the console's timeouts, as a value."""
        return self.gateway.call(
            self.settings, operation, invoke, service=service, iam_prefix=iam_prefix or service
        )

    def _fetch_user(self) -> tuple[UserSummary | None, AdminFailure | None]:
        if self.username is None:
            return None, None
        name = self.username
        response, failure = self.call(
            "cognito-idp",
            "AdminGetUser",
            lambda c: c.admin_get_user(UserPoolId=self.user_pool_id, Username=name),
        )
        if failure is not None:
            return None, None if failure.code == "UserNotFoundException" else failure
        return UserSummary.from_api(response, "UserAttributes"), None

    def _fetch_pool(self) -> tuple[PoolView | None, AdminFailure | None]:
        response, failure = self.call(
            "cognito-idp",
            "DescribeUserPool",
            lambda c: c.describe_user_pool(UserPoolId=self.user_pool_id),
        )
        if failure is not None:
            return None, failure
        pool = response.get("UserPool") if isinstance(response, dict) else None
        return PoolView(pool if isinstance(pool, dict) else {}), None

    def user(self) -> tuple[UserSummary | None, AdminFailure | None]:
        """AdminGetUser's answer, asked once: (user, None), (None, failure) or (None, None)."""
        value: tuple[UserSummary | None, AdminFailure | None] = self._user.get()
        return value

    def pool(self) -> tuple[PoolView | None, AdminFailure | None]:
        """DescribeUserPool's answer, asked once."""
        value: tuple[PoolView | None, AdminFailure | None] = self._pool.get()
        return value

    def ses_account(self) -> tuple[Any, AdminFailure | None]:
        """sesv2 GetAccount's answer, asked once (the account and the recipient checks share it)."""
        value: tuple[Any, AdminFailure | None] = self._ses_account.get()
        return value

    def medium(self) -> tuple[str | None, str | None]:
        """(``EMAIL`` or ``SMS``, the real destination) the code goes to, or (None, None).

        Cognito sends by SMS when the pool auto-verifies both and the user has
        a phone number (the developer guide, "Verifying contact information
        at sign-up"). Unknown pool settings: the phone if the user has one.
        """
        user, _ = self.user()
        if user is None:
            return None, None
        pool, _ = self.pool()
        verified = pool.auto_verified if pool is not None else ("phone_number", "email")
        if "phone_number" in verified and user.phone_number:
            return "SMS", user.phone_number
        if "email" in verified and user.email:
            return "EMAIL", user.email
        return None, None
