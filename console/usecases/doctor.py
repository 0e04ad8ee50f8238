"""The delivery doctor: every check for one user (or the pool), in parallel, as they finish.

:func:`run_doctor` starts every check at once in a thread pool; each is
bounded by the console's timeouts (a check still running at its deadline
ends ``unknown``), and ``on_result`` hears of each result as it finishes
(the TUI shows them as they come). History answers the two checks that need
it (today's COGNITO_DEFAULT emails, the user's recent attempts) through
:class:`HistoryCounts`, which reads and never writes.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from console.cognito.doctor_checks import (
    check_budget,
    check_pool_sending,
    check_recent_attempts,
    check_user,
)
from console.cognito.doctor_context import AttemptsSummary, DoctorContext, DoctorHistory
from console.cognito.doctor_email import (
    check_ses_account,
    check_ses_identity,
    check_ses_recipient,
    check_ses_suppression,
)
from console.cognito.doctor_logs import check_delivery_logs
from console.cognito.doctor_model import CheckResult, CheckStatus, DoctorReport
from console.cognito.doctor_sms import (
    check_sns_opt_out,
    check_sns_origination,
    check_sns_sandbox,
    check_sns_spend_limit,
)

if TYPE_CHECKING:
    from console.cognito.admin_client import AdminGateway, AdminSettings
    from console.history import History

__all__ = [
    "POOL_CHECKS",
    "USER_CHECKS",
    "CheckSpec",
    "HistoryCounts",
    "check_deadline_s",
    "run_doctor",
]


@dataclass(frozen=True, slots=True)
class CheckSpec:
    """One check: its id, what it looks at, and the function that runs it."""

    id: str
    title: str
    run: Callable[[DoctorContext], CheckResult]


USER_CHECKS: tuple[CheckSpec, ...] = (
    CheckSpec("user", "the user", check_user),
    CheckSpec("pool-sending", "the pool's sending setup", check_pool_sending),
    CheckSpec("cognito-default-budget", "the COGNITO_DEFAULT daily budget", check_budget),
    CheckSpec("ses-account", "the SES account", check_ses_account),
    CheckSpec("ses-identity", "the pool's SES identity", check_ses_identity),
    CheckSpec("ses-suppression", "the SES suppression list", check_ses_suppression),
    CheckSpec("ses-recipient", "the recipient in the SES sandbox", check_ses_recipient),
    CheckSpec("sns-sandbox", "the SMS sandbox", check_sns_sandbox),
    CheckSpec("sns-opt-out", "the SMS opt-out list", check_sns_opt_out),
    CheckSpec("sns-spend-limit", "the SMS spend limit", check_sns_spend_limit),
    CheckSpec("sns-origination", "the origination identity", check_sns_origination),
    CheckSpec("delivery-logs", "Cognito's delivery error log", check_delivery_logs),
    CheckSpec("recent-attempts", "recent attempts", check_recent_attempts),
)
"""Every check for one user, in the order a report lists them."""

POOL_CHECKS: tuple[CheckSpec, ...] = tuple(
    spec
    for spec in USER_CHECKS
    if spec.id
    in {
        "pool-sending",
        "cognito-default-budget",
        "ses-account",
        "ses-identity",
        "sns-sandbox",
        "sns-spend-limit",
        "sns-origination",
        "delivery-logs",
    }
)
"""The pool-wide checks (``doctor --pool``): nothing about one user."""

_CALLS_PER_CHECK = 4
"""The most calls one check waits for in a row (the user, the pool, its own two)."""


def check_deadline_s(settings: AdminSettings) -> float:
    """How long a check may take: its calls in a row, each within the console's timeouts."""
    per_call = (settings.connect_timeout + settings.read_timeout) * settings.max_attempts
    return per_call * _CALLS_PER_CHECK + 1.0


class HistoryCounts:
    """:class:`~console.cognito.doctor_context.DoctorHistory` over the SQLite history."""

    def __init__(self, history: History, profile: str) -> None:
        self._history = history
        self._profile = profile

    def emails_today(self, user_pool_id: str) -> int:
        """Email deliveries to this pool since 00:00 UTC (counted up to a little past 50)."""
        from console.history import HistoryFilter

        midnight = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
        flt = HistoryFilter(outcome="delivered", since=midnight)
        count, before = 0, None
        for _page in range(50):
            rows = self._history.query(flt, before_id=before, limit=200)
            count += sum(1 for r in rows if r.user_pool_id == user_pool_id and r.medium == "EMAIL")
            if len(rows) < 200 or count > 60:
                break
            before = rows[-1].id
        return count

    def attempts(self, user_pool_id: str, username: str) -> AttemptsSummary:
        """The user's attempts in the last hour, and the newest attempt's outcome."""
        from console.history import HistoryFilter

        since = datetime.now(UTC) - timedelta(hours=1)
        recent = [
            r
            for r in self._history.query(HistoryFilter(username=username, since=since), limit=200)
            if r.username == username and r.user_pool_id == user_pool_id
        ]
        newest = recent[0] if recent else None
        if newest is None:
            older = self._history.query(HistoryFilter(username=username), limit=50)
            newest = next(
                (r for r in older if r.username == username and r.user_pool_id == user_pool_id),
                None,
            )
        return AttemptsSummary(
            last_hour=len(recent),
            last_outcome=newest.outcome if newest else None,
            last_error=newest.error_code if newest else None,
            last_at=newest.started_at if newest else None,
        )


def _guarded(spec: CheckSpec, ctx: DoctorContext) -> CheckResult:
    try:
        return spec.run(ctx)
    except Exception as exc:  # the contract: a check ends in a result, never a traceback
        return CheckResult(
            spec.id,
            spec.title,
            CheckStatus.UNKNOWN,
            f"the check failed: {type(exc).__name__}",
            "report this as a bug of cognito-console",
        )


def run_doctor(
    gateway: AdminGateway,
    settings: AdminSettings,
    *,
    profile: str,
    user_pool_id: str,
    username: str | None,
    history: DoctorHistory | None = None,
    on_result: Callable[[CheckResult], None] | None = None,
    deadline_s: float | None = None,
) -> DoctorReport:
    """Run every check (the pool's alone when *username* is None); never raises.

    *on_result* is called from this thread as each check finishes. A check
    still running after *deadline_s* (default :func:`check_deadline_s`) ends
    ``unknown`` and is left to finish in the background.
    """
    started = time.monotonic()
    specs = USER_CHECKS if username is not None else POOL_CHECKS
    ctx = DoctorContext(
        gateway,
        settings,
        profile=profile,
        user_pool_id=user_pool_id,
        username=username,
        history=history,
    )
    limit = check_deadline_s(settings) if deadline_s is None else deadline_s
    results: dict[str, CheckResult] = {}
    pool = ThreadPoolExecutor(max_workers=len(specs), thread_name_prefix="doctor")
    try:
        futures: dict[Future[CheckResult], CheckSpec] = {
            pool.submit(_guarded, spec, ctx): spec for spec in specs
        }
        pending = set(futures)
        while pending:
            remaining = limit - (time.monotonic() - started)
            if remaining <= 0:
                break
            done, pending = wait(pending, timeout=remaining, return_when=FIRST_COMPLETED)
            for future in done:
                result = future.result()
                results[result.id] = result
                if on_result is not None:
                    on_result(result)
        for future in pending:
            spec = futures[future]
            late = CheckResult(
                spec.id,
                spec.title,
                CheckStatus.UNKNOWN,
                f"no answer within {limit:.0f} s (the console's timeouts)",
                "check the network to AWS and try again",
            )
            results[spec.id] = late
            if on_result is not None:
                on_result(late)
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
    ordered = tuple(results[spec.id] for spec in specs)
    return DoctorReport(
        profile=profile,
        user_pool_id=user_pool_id,
        username=username,
        checks=ordered,
        elapsed_ms=(time.monotonic() - started) * 1000,
    )
