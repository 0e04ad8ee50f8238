"""What the delivery doctor answers: one result per check, and the verdict.

A check ends in one of four statuses: ``ok`` (nothing stops delivery here),
``warn`` (a risk the operator should know), ``blocking`` (this stops the
message) or ``unknown`` (it could not be checked; ``permission`` names the
IAM action that was missing when that was why). Every result carries one
line of evidence with the value that decided it, and a remedy with the exact
AWS CLI command where one exists.

The evidence may hold the user's real email address or phone number: the
operator, who has the admin right to read it, sees it. Anything written to
history, an export or a log goes through :meth:`DoctorReport.redacted`, which
masks every such value the way Cognito masks destinations.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from enum import StrEnum

__all__ = [
    "CheckResult",
    "CheckStatus",
    "DoctorReport",
    "mask_address",
]


class CheckStatus(StrEnum):
    """How one check ended."""

    OK = "ok"
    WARN = "warn"
    BLOCKING = "blocking"
    UNKNOWN = "unknown"


_SEVERITY = {
    CheckStatus.BLOCKING: 3,
    CheckStatus.WARN: 2,
    CheckStatus.UNKNOWN: 1,
    CheckStatus.OK: 0,
}


def mask_address(value: str) -> str:
    """Cognito's masking: ``erin@example.com`` -> ``e***@e***.com``; phones keep 4 digits."""
    if "@" in value:
        local, _at, domain = value.rpartition("@")
        head, dot, tld = domain.rpartition(".")
        first = local[:1] or "*"
        if not dot or not head:
            return f"{first}***@{domain[:1] or '*'}***"
        return f"{first}***@{head[0]}***.{tld}"
    digits = [ch for ch in value if ch.isdigit()]
    shown = "".join(digits[-4:])
    return "+" + "*" * max(len(digits) - len(shown), 0) + shown


@dataclass(frozen=True, slots=True)
class CheckResult:
    """One check's answer. Text fields may hold untrusted server text: show via visible()."""

    id: str
    """Stable id, e.g. ``ses-suppression`` (the ``--json`` key)."""
    title: str
    """What was checked, in a few words."""
    status: CheckStatus
    evidence: str
    """One line, with the value that decided the status."""
    remedy: str | None = None
    """What to do, with the exact AWS CLI command where one exists."""
    permission: str | None = None
    """For ``unknown``: the IAM action that was missing (``ses:GetAccount``), when known."""
    details: tuple[str, ...] = ()
    """Further lines (e.g. each delivery error Cognito logged)."""
    private: tuple[str, ...] = field(default=(), compare=False)
    """Real addresses or numbers in the text: masked by :meth:`redacted`."""

    @property
    def command(self) -> str | None:
        """The remedy's AWS CLI command (from ``aws `` on), if it has one."""
        if not self.remedy:
            return None
        start = self.remedy.find("aws ")
        return self.remedy[start:].strip() if start >= 0 else None

    def redacted(self) -> CheckResult:
        """The same result with every real address or number masked."""
        if not self.private:
            return self

        def mask(text: str) -> str:
            for value in sorted(self.private, key=len, reverse=True):
                if value:
                    text = text.replace(value, mask_address(value))
            return text

        return replace(
            self,
            evidence=mask(self.evidence),
            remedy=None if self.remedy is None else mask(self.remedy),
            details=tuple(mask(line) for line in self.details),
            private=(),
        )

    def to_json(self) -> dict[str, object]:
        """The ``--json`` shape: id, title, status, evidence, remedy, permission, details."""
        return {
            "id": self.id,
            "title": self.title,
            "status": self.status.value,
            "evidence": self.evidence,
            "remedy": self.remedy,
            "permission": self.permission,
            "details": list(self.details),
        }


def verdict_of(checks: Iterable[CheckResult]) -> CheckStatus:
    """The worst status: blocking, then warn, then unknown, then ok."""
    worst = CheckStatus.OK
    for check in checks:
        if _SEVERITY[check.status] > _SEVERITY[worst]:
            worst = check.status
    return worst


@dataclass(frozen=True, slots=True)
class DoctorReport:
    """A whole doctor run: for one user (or the pool alone), every check, and the verdict."""

    profile: str
    user_pool_id: str
    username: str | None
    """None for a pool-wide run (``doctor --pool``)."""
    checks: tuple[CheckResult, ...]
    elapsed_ms: float = 0.0

    @property
    def verdict(self) -> CheckStatus:
        """The worst status of any check."""
        return verdict_of(self.checks)

    @property
    def blocking(self) -> tuple[CheckResult, ...]:
        """The checks that stop delivery, in order."""
        return tuple(c for c in self.checks if c.status is CheckStatus.BLOCKING)

    def ordered(self) -> tuple[CheckResult, ...]:
        """Blocking causes first, then warnings, unknowns and the checks that passed."""
        return tuple(sorted(self.checks, key=lambda c: -_SEVERITY[c.status]))

    def redacted(self) -> DoctorReport:
        """The report with every real address masked (for history, exports and logs)."""
        return replace(self, checks=tuple(c.redacted() for c in self.checks))

    def to_json(self) -> dict[str, object]:
        """``{"verdict", "profile", "user_pool_id", "username", "checks": [...]}``."""
        return {
            "verdict": self.verdict.value,
            "profile": self.profile,
            "user_pool_id": self.user_pool_id,
            "username": self.username,
            "elapsed_ms": round(self.elapsed_ms, 1),
            "checks": [c.to_json() for c in self.checks],
        }
