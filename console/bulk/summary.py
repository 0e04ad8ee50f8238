"""The outcome of a bulk run: one item per row, progress while it runs, the summary after.

The summary counts each outcome, lists the failures and writes them as CSV
with a ``username`` column, so the file can be fed back in as a users file.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from console.bulk.rate import DEFAULT_RATE
from console.text import plural, visible

__all__ = [
    "FAILURE_FIELDS",
    "BatchItem",
    "BatchProgress",
    "BatchSummary",
    "ItemOutcome",
    "clock",
    "outcome_words",
    "stop_words",
]


class ItemOutcome:
    """How one user of a batch ended (plain strings: they go to JSON and CSV)."""

    DELIVERED = "delivered"
    FAILED = "failed"
    UNKNOWN = "unknown"
    """No answer came: the code may have been sent. Never retried."""
    ALREADY_DELIVERED = "already_delivered"
    """Skipped on resume: delivered earlier in this batch."""
    SKIPPED_UNCERTAIN = "skipped_uncertain"
    """Skipped on resume: an earlier attempt in this batch is unknown or pending."""
    MAY_BE_SIMULATED = "may_be_simulated"
    """Cognito answered with a delivery, but the client hides unknown users: counted
    apart from deliveries, since nothing proves a message was sent."""
    SKIPPED_FAILED = "skipped_failed"
    """Skipped on resume: it failed earlier in this batch for a reason a resend cannot
    change (already confirmed, nowhere to send); ``--retry-failed`` sends again."""
    SKIPPED_AT_LIMIT = "skipped_at_limit"
    """Not sent: the team (or this console) sent the user 5 codes in the last hour, Cognito's
    limit. Nothing is recorded, so resuming the batch later tries the user again."""
    DUPLICATE = "duplicate"
    """The row repeats an earlier row's username: skipped, that user is sent once."""
    INVALID = "invalid"
    """The row was not a usable username; never sent."""
    NOT_SENT = "not_sent"
    """The run stopped before this user's turn."""


@dataclass(frozen=True, slots=True)
class BatchItem:
    """How one row of the batch ended."""

    line: int
    username: str
    outcome: str
    """One of :class:`ItemOutcome`'s values."""
    error_code: str | None = None
    message: str | None = None
    attempts: int = 0
    """Calls made for this user in this run (throttle retries included)."""
    history_id: int | None = None
    """The last attempt's history row."""

    def to_dict(self) -> dict[str, object]:
        """A JSON/CSV-ready dict with stable keys (:data:`FAILURE_FIELDS`)."""
        return {name: getattr(self, name) for name in FAILURE_FIELDS}


FAILURE_FIELDS: tuple[str, ...] = (
    "line",
    "username",
    "outcome",
    "error_code",
    "message",
    "attempts",
    "history_id",
)
_NOT_FAILURES = frozenset(
    {
        ItemOutcome.DELIVERED,
        ItemOutcome.ALREADY_DELIVERED,
        ItemOutcome.MAY_BE_SIMULATED,
        ItemOutcome.DUPLICATE,
    }
)


def outcome_words(outcome: str) -> str:
    """An :class:`ItemOutcome` value in words: ``not_sent`` -> ``not sent``."""
    return outcome.replace("_", " ")


def stop_words(reason: str) -> str:
    """Why a run stopped, as one line that starts with "stopped".

    ``stopped by the operator`` stays as it is; any other reason becomes
    ``stopped: <reason>``, so no surface says "stopped: stopped ...".
    """
    return reason if reason.startswith("stopped") else f"stopped: {reason}"


def clock(seconds: float | None) -> str:
    """``m:ss`` (``h:mm:ss`` past an hour); ``--:--`` when not known."""
    if seconds is None:
        return "--:--"
    whole = max(0, round(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


@dataclass(frozen=True, slots=True)
class BatchProgress:
    """Where a run stands; ``rate`` is starts per second so far, ``eta_s`` None until known."""

    batch_id: str
    total: int
    """Users this run will try (skipped and invalid rows excluded)."""
    done: int
    delivered: int
    failed: int
    """Failed or unknown."""
    attempts: int
    """Calls made, throttle retries included."""
    throttled: int
    elapsed_s: float
    rate: float
    eta_s: float | None
    last_username: str | None = None
    skipped: int = 0
    """Users skipped at the team's hourly limit (counted in ``done``, apart from ``failed``)."""

    @property
    def fraction(self) -> float:
        """Done / total, 1.0 for an empty run."""
        return self.done / self.total if self.total else 1.0

    def line(self) -> str:
        """``12/20 · delivered 11 · failed 1 · 5.0/s · ETA 0:02``: the CLI and the TUI both."""
        parts = [
            f"{self.done}/{self.total}",
            f"delivered {self.delivered}",
            f"failed {self.failed}",
        ]
        if self.skipped:
            parts.append(f"at limit {self.skipped}")
        if self.throttled:
            parts.append(f"throttled {self.throttled}")
        parts.append(f"{self.rate:.1f}/s")
        parts.append(f"ETA {clock(self.eta_s)}")
        return " · ".join(parts)


@dataclass(frozen=True)
class BatchSummary:
    """The end of a run: every row's outcome, counts, failures, and why it stopped."""

    batch_id: str
    items: tuple[BatchItem, ...]
    stopped: bool = False
    """Stopped before every user had a turn (:meth:`BatchRun.stop` or a history failure)."""
    stop_reason: str | None = None
    elapsed_s: float = 0.0
    attempts: int = 0
    throttled: int = 0
    achieved_rate: float = 0.0
    """Starts per second between the first and the last start."""
    rate: float = DEFAULT_RATE

    def counts(self) -> dict[str, int]:
        """How many rows ended each way, in a stable order (zeros left out)."""
        counter = Counter(item.outcome for item in self.items)
        order = [
            ItemOutcome.DELIVERED,
            ItemOutcome.MAY_BE_SIMULATED,
            ItemOutcome.ALREADY_DELIVERED,
            ItemOutcome.FAILED,
            ItemOutcome.UNKNOWN,
            ItemOutcome.SKIPPED_UNCERTAIN,
            ItemOutcome.SKIPPED_FAILED,
            ItemOutcome.SKIPPED_AT_LIMIT,
            ItemOutcome.DUPLICATE,
            ItemOutcome.INVALID,
            ItemOutcome.NOT_SENT,
        ]
        return {name: counter[name] for name in order if counter[name]}

    def headline(self) -> str:
        """The counts per outcome and the run's figures, in one visible line."""
        counts = ", ".join(f"{n} {outcome_words(label)}" for label, n in self.counts().items())
        return (
            f"batch {visible(self.batch_id)}: {counts or 'nothing to do'} "
            f"({plural(len(self.items), 'row')}, {plural(self.attempts, 'call')}, "
            f"{self.throttled} throttled, {self.achieved_rate:.1f}/s, {clock(self.elapsed_s)})"
        )

    def error_counts(self) -> dict[str, int]:
        """Failures by error code, most common first."""
        counter = Counter(item.error_code for item in self.items if item.error_code)
        return dict(counter.most_common())

    @property
    def failures(self) -> list[BatchItem]:
        """Every row not delivered (now or earlier in the batch), in file order."""
        return [item for item in self.items if item.outcome not in _NOT_FAILURES]

    @property
    def all_delivered(self) -> bool:
        """Every row was delivered, in this run or earlier in the batch."""
        return bool(self.items) and not self.failures

    def write_failures_csv(self, out: TextIO | Path) -> int:
        """Write the failures as CSV (0600, atomic for a path); return the row count."""
        from console.history import write_export

        return write_export((item.to_dict() for item in self.failures), FAILURE_FIELDS, out, "csv")

    def to_json(self) -> dict[str, object]:
        """The summary object of ``--json`` (stable keys)."""
        return {
            "summary": True,
            "batch_id": self.batch_id,
            "total": len(self.items),
            "counts": self.counts(),
            "error_counts": self.error_counts(),
            "attempts": self.attempts,
            "throttled": self.throttled,
            "elapsed_s": round(self.elapsed_s, 3),
            "rate": self.rate,
            "achieved_rate": round(self.achieved_rate, 2),
            "stopped": self.stopped,
            "stop_reason": self.stop_reason,
            "all_delivered": self.all_delivered,
            "failures": [item.to_dict() for item in self.failures],
        }
