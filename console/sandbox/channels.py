"""The delivery channels behind Cognito, as the sandbox plays them: SES, SNS, the default sender.

Cognito answers a resend as soon as it hands the message on; whether the
message then arrives depends on the account's email and SMS setup. The
sandbox keeps that setup here, per sandbox, and decides for each code it
sends whether the channel would have dropped it (:meth:`Channels.drop_reason`).
The answer to the caller does not change: a dropped code is still
"delivered", as Cognito says; the outbox marks it dropped with the reason,
and a delivery error goes to the pool's userNotification log group.

Where moto keeps the state (SES identities, SNS opt-outs, CloudWatch Logs),
this reads and writes moto's backends, so the AWS CLI against the sandbox
sees the same thing. What moto has no notion of (the SES account's sandbox,
sending and enforcement status, the suppression list, the SMS sandbox,
origination numbers, the COGNITO_DEFAULT budget, the pool's configuration
failures, log delivery) lives here. ``POST /_sandbox/scenario`` and the
``--scenario`` flag change it (:data:`SCENARIOS`, :meth:`Channels.apply`).
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

__all__ = [
    "COGNITO_DEFAULT_DAILY_EMAILS",
    "SCENARIOS",
    "SES_IDENTITY",
    "ChannelError",
    "Channels",
    "Suppression",
]

COGNITO_DEFAULT_DAILY_EMAILS = 50
"""Cognito's own sender: 50 emails a day per pool (the developer guide, "Email settings")."""
SES_IDENTITY = "no-reply@example.com"
"""The verified SES identity the demo pool sends from when it uses SES (DEVELOPER)."""
SES_SANDBOX_QUOTA = 200
"""An SES account in the sandbox may send 200 emails in 24 hours (sesv2 GetAccount's docs)."""
SES_PRODUCTION_QUOTA = 50_000
ORIGINATION_NUMBER = "+18445550100"
"""The toll-free origination number the sandbox's SNS account has unless told otherwise."""
DEFAULT_FAILURE = {
    "email": "Amazon Cognito could not send email: the SES identity's sending authorization "
    "policy does not allow Cognito to use it.",
    "sms": "Amazon Cognito could not assume the SMS role: its trust policy does not "
    "allow cognito-idp.amazonaws.com.",
}

SCENARIOS: dict[str, dict[str, object]] = {
    "ses": {"email_sending": "DEVELOPER"},
    "ses-sandbox": {"email_sending": "DEVELOPER", "ses_sandbox": True},
    "ses-sending-paused": {"email_sending": "DEVELOPER", "ses_sending_enabled": False},
    "ses-identity-unverified": {"email_sending": "DEVELOPER", "ses_identity_verified": False},
    "sms-sandbox": {"sms_sandbox": True},
    "no-origination-number": {"origination_numbers": False},
    "cognito-default-exhausted": {"cognito_default_exhausted": True},
    "email-configuration-failure": {"email_configuration_failure": True},
    "sms-configuration-failure": {"sms_configuration_failure": True},
    "no-delivery-logs": {"log_delivery": False},
}
"""Named scenarios for ``--scenario`` (each is a ``POST /_sandbox/scenario`` body)."""

_BOOL_KEYS = (
    "ses_sandbox",
    "ses_sending_enabled",
    "ses_identity_verified",
    "sms_sandbox",
    "origination_numbers",
    "cognito_default_exhausted",
    "log_delivery",
)
_FAILURE_KEYS = ("email_configuration_failure", "sms_configuration_failure")


class ChannelError(ValueError):
    """A scenario body the sandbox cannot apply; one line naming the key."""


@dataclass(frozen=True, slots=True)
class Suppression:
    """One address on the SES account's suppression list."""

    address: str
    reason: str
    """``BOUNCE`` or ``COMPLAINT``."""
    since: float
    """When it was added (epoch seconds)."""


def _today(clock: Callable[[], float]) -> str:
    return datetime.fromtimestamp(clock(), UTC).strftime("%Y-%m-%d")


class Channels:
    """The account's email and SMS setup for one sandbox; thread-safe."""

    def __init__(
        self, account_id: str, region: str, *, clock: Callable[[], float] = time.time
    ) -> None:
        self.account_id = account_id
        self.region = region
        self._clock = clock
        self._lock = threading.Lock()
        self.email_sending = "COGNITO_DEFAULT"
        self.ses_sandbox = False
        self.ses_sending_enabled = True
        self.ses_identity_verified = True
        self.ses_enforcement = "HEALTHY"
        self._ses_sent: deque[float] = deque()
        self._suppressed: dict[str, Suppression] = {}
        self.sms_sandbox = False
        self._sandbox_numbers: dict[str, str] = {}
        self.origination_numbers = True
        self._default_sent: dict[tuple[str, str], int] = {}
        self.email_configuration_failure: str | None = None
        self.sms_configuration_failure: str | None = None
        self.log_delivery = True
        self._log_configs: dict[str, list[dict[str, object]]] = {}
        self.denied: frozenset[str] = frozenset()
        self.on_change: Callable[[], None] | None = None
        """Called after a scenario changed the pool's email setup (the seed re-applies it)."""

    # ----- scenario -----------------------------------------------------------------

    def apply(self, body: Mapping[str, object]) -> None:
        """Apply a scenario body (ChannelError naming the key when it is wrong)."""
        if not isinstance(body, Mapping):
            raise ChannelError("the scenario must be a JSON object")
        known = {*_BOOL_KEYS, *_FAILURE_KEYS, "email_sending", "deny", "suppress", "name"}
        for key in body:
            if key not in known:
                raise ChannelError(
                    f"unknown scenario key {key!r}; known: {', '.join(sorted(known))}"
                )
        if "name" in body:
            name = body["name"]
            if not isinstance(name, str) or name not in SCENARIOS:
                raise ChannelError(f"unknown scenario name; known: {', '.join(SCENARIOS)}")
            self.apply(SCENARIOS[name])
        with self._lock:
            self._apply_locked(body)
        if self.on_change is not None:
            self.on_change()

    def _apply_locked(self, body: Mapping[str, object]) -> None:
        for key in _BOOL_KEYS:
            if key in body and not isinstance(body[key], bool):
                raise ChannelError(f"{key} must be true or false")
        sending = body.get("email_sending")
        if sending is not None and sending not in ("COGNITO_DEFAULT", "DEVELOPER"):
            raise ChannelError("email_sending must be COGNITO_DEFAULT or DEVELOPER")
        for key in _FAILURE_KEYS:
            value = body.get(key)
            if key in body and not isinstance(value, bool | str) and value is not None:
                raise ChannelError(f"{key} must be true, false, null or a message")
        deny = body.get("deny")
        if deny is not None and (
            not isinstance(deny, list) or not all(isinstance(a, str) and ":" in a for a in deny)
        ):
            raise ChannelError('deny must be a list of IAM actions such as "ses:GetAccount"')
        suppress = body.get("suppress")
        if suppress is not None and (
            not isinstance(suppress, dict)
            or not all(
                isinstance(k, str) and v in ("BOUNCE", "COMPLAINT") for k, v in suppress.items()
            )
        ):
            raise ChannelError('suppress must map addresses to "BOUNCE" or "COMPLAINT"')
        if isinstance(sending, str):
            self.email_sending = sending
        for key in ("ses_sandbox", "ses_sending_enabled", "ses_identity_verified", "sms_sandbox"):
            if key in body:
                setattr(self, key, bool(body[key]))
        if "origination_numbers" in body:
            self.origination_numbers = bool(body["origination_numbers"])
        if "log_delivery" in body:
            self.log_delivery = bool(body["log_delivery"])
        if "cognito_default_exhausted" in body:
            self._exhaust_default(bool(body["cognito_default_exhausted"]))
        for key, medium in zip(_FAILURE_KEYS, ("email", "sms"), strict=True):
            if key in body:
                value = body[key]
                text = DEFAULT_FAILURE[medium] if value is True else (value or None)
                setattr(self, key, text if isinstance(text, str) else None)
        if isinstance(deny, list):
            self.denied = frozenset(str(a) for a in deny)
        if isinstance(suppress, dict):
            for address, reason in suppress.items():
                self._suppressed[address.lower()] = Suppression(address, str(reason), self._clock())

    def _exhaust_default(self, exhausted: bool) -> None:
        day = _today(self._clock)
        for key in [k for k in self._default_sent if k[1] == day]:
            del self._default_sent[key]
        if exhausted:
            self._default_sent[("*", day)] = COGNITO_DEFAULT_DAILY_EMAILS

    def to_json(self) -> dict[str, object]:
        """The whole setup, for ``GET /_sandbox/scenario``."""
        with self._lock:
            return {
                "email_sending": self.email_sending,
                "ses_sandbox": self.ses_sandbox,
                "ses_sending_enabled": self.ses_sending_enabled,
                "ses_identity_verified": self.ses_identity_verified,
                "ses_sent_24h": len(self._live_ses_sent()),
                "suppressed": {
                    s.address: {"reason": s.reason, "since": s.since}
                    for s in self._suppressed.values()
                },
                "sms_sandbox": self.sms_sandbox,
                "sms_sandbox_numbers": dict(self._sandbox_numbers),
                "origination_numbers": self.origination_numbers,
                "cognito_default_sent_today": self._default_count("*"),
                "email_configuration_failure": self.email_configuration_failure,
                "sms_configuration_failure": self.sms_configuration_failure,
                "log_delivery": self.log_delivery,
                "deny": sorted(self.denied),
            }

    # ----- SES ----------------------------------------------------------------------

    def suppress(self, address: str, reason: str) -> None:
        """Put *address* on the suppression list (PutSuppressedDestination)."""
        with self._lock:
            self._suppressed[address.lower()] = Suppression(address, reason, self._clock())

    def unsuppress(self, address: str) -> bool:
        """Take *address* off the list; False when it was not on it."""
        with self._lock:
            return self._suppressed.pop(address.lower(), None) is not None

    def suppression(self, address: str) -> Suppression | None:
        """The suppression of *address*, if it is on the list."""
        with self._lock:
            return self._suppressed.get(address.lower())

    def _live_ses_sent(self) -> deque[float]:
        now = self._clock()
        while self._ses_sent and now - self._ses_sent[0] >= 86_400:
            self._ses_sent.popleft()
        return self._ses_sent

    def ses_account(self) -> dict[str, object]:
        """sesv2 GetAccount's answer."""
        with self._lock:
            sent = len(self._live_ses_sent())
            production = not self.ses_sandbox
            quota = SES_PRODUCTION_QUOTA if production else SES_SANDBOX_QUOTA
            return {
                "DedicatedIpAutoWarmupEnabled": False,
                "EnforcementStatus": self.ses_enforcement,
                "ProductionAccessEnabled": production,
                "SendingEnabled": self.ses_sending_enabled,
                "SendQuota": {
                    "Max24HourSend": float(quota),
                    "MaxSendRate": 14.0 if production else 1.0,
                    "SentLast24Hours": float(sent),
                },
                "SuppressionAttributes": {"SuppressedReasons": ["BOUNCE", "COMPLAINT"]},
            }

    # ----- SNS ----------------------------------------------------------------------

    def sandbox_numbers(self) -> dict[str, str]:
        """The SMS sandbox's destination numbers and their status (``Verified``, ``Pending``)."""
        with self._lock:
            return dict(self._sandbox_numbers)

    def add_sandbox_number(self, number: str, status: str = "Verified") -> None:
        """Add (or verify) a destination number in the SMS sandbox."""
        with self._lock:
            self._sandbox_numbers[number] = status

    def origination(self) -> list[str]:
        """The account's active origination numbers."""
        with self._lock:
            return [ORIGINATION_NUMBER] if self.origination_numbers else []

    # ----- COGNITO_DEFAULT ----------------------------------------------------------

    def _default_count(self, pool_id: str) -> int:
        day = _today(self._clock)
        return self._default_sent.get(("*", day), 0) + (
            self._default_sent.get((pool_id, day), 0) if pool_id != "*" else 0
        )

    # ----- Cognito's log delivery ---------------------------------------------------

    def log_configurations(self, pool_id: str) -> list[dict[str, object]]:
        """The pool's LogConfigurations (none when log delivery is switched off)."""
        with self._lock:
            if not self.log_delivery:
                return []
            return [dict(c) for c in self._log_configs.get(pool_id, [])]

    def set_log_configurations(self, pool_id: str, configs: list[dict[str, object]]) -> None:
        """SetLogDeliveryConfiguration."""
        with self._lock:
            self._log_configs[pool_id] = [dict(c) for c in configs]
            self.log_delivery = True

    def notification_log_group(self, pool_id: str) -> str | None:
        """The CloudWatch Logs group name that receives the pool's userNotification errors."""
        for config in self.log_configurations(pool_id):
            if config.get("EventSource") != "userNotification":
                continue
            cloudwatch = config.get("CloudWatchLogsConfiguration")
            arn = cloudwatch.get("LogGroupArn") if isinstance(cloudwatch, dict) else None
            if isinstance(arn, str) and ":log-group:" in arn:
                return arn.split(":log-group:", 1)[1].removesuffix(":*")
        return None

    # ----- the decision -------------------------------------------------------------

    def drop_reason(
        self,
        pool_id: str,
        sending_account: str,
        medium: str,
        destination: str,
        *,
        identity_verified: Callable[[str], bool],
        opted_out: Callable[[str], bool],
    ) -> str | None:
        """Why this message would never arrive, or None (then it is counted as sent).

        *identity_verified* and *opted_out* read moto's SES identities and SNS
        opt-outs.
        """
        if medium == "EMAIL":
            return self._email_drop(pool_id, sending_account, destination, identity_verified)
        return self._sms_drop(destination, opted_out)

    def _email_drop(
        self,
        pool_id: str,
        sending_account: str,
        address: str,
        identity_verified: Callable[[str], bool],
    ) -> str | None:
        if self.email_configuration_failure:
            return f"EmailConfigurationFailure: {self.email_configuration_failure}"
        if sending_account != "DEVELOPER":
            with self._lock:
                day = _today(self._clock)
                if self._default_count(pool_id) >= COGNITO_DEFAULT_DAILY_EMAILS:
                    return (
                        "COGNITO_DEFAULT daily email limit reached "
                        f"({COGNITO_DEFAULT_DAILY_EMAILS} emails a day): the email was dropped"
                    )
                self._default_sent[(pool_id, day)] = self._default_sent.get((pool_id, day), 0) + 1
            return None
        if not identity_verified(SES_IDENTITY):
            return f"SES identity {SES_IDENTITY} is not verified for sending"
        if not self.ses_sending_enabled:
            return "SES sending is paused for the account (SendingEnabled false)"
        suppression = self.suppression(address)
        if suppression is not None:
            return (
                f"the address is on the SES account-level suppression list ({suppression.reason})"
            )
        if self.ses_sandbox and not identity_verified(address):
            return "the SES account is in the sandbox and the recipient is not a verified identity"
        with self._lock:
            sent = self._live_ses_sent()
            quota = SES_PRODUCTION_QUOTA if not self.ses_sandbox else SES_SANDBOX_QUOTA
            if len(sent) >= quota:
                return f"the SES 24-hour sending quota ({quota}) is used up"
            sent.append(self._clock())
        return None

    def _sms_drop(self, number: str, opted_out: Callable[[str], bool]) -> str | None:
        if self.sms_configuration_failure:
            return f"SmsConfigurationFailure: {self.sms_configuration_failure}"
        if opted_out(number):
            return "the phone number has opted out of SMS (SNS opt-out list)"
        if self.sms_sandbox and self.sandbox_numbers().get(number) != "Verified":
            return (
                "the SNS account is in the SMS sandbox and the number is not a verified destination"
            )
        if number.startswith("+1") and not self.origination():
            return "no origination identity for US numbers (+1): SNS cannot send"
        return None
