"""Batch ids, whether a batch may be resumed, and what a resumed batch skips.

A batch id ties a bulk run's attempts together in the history. Resuming a
batch (the same id) skips every user already delivered in it; unless told
otherwise, it also skips those whose attempt there is ``unknown`` (no answer
came: the code may have gone) or still ``pending`` (another run may be
sending it right now), so that nobody is sent a code twice, and those that
failed for a reason a resend cannot change (already confirmed, nowhere to
send the code). :func:`check_resume` says whether an id names a batch at all
and whether this run sends as that batch did (same profile, same client).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from console.bulk.input import BulkRow
from console.bulk.summary import BatchItem, ItemOutcome
from console.text import visible

if TYPE_CHECKING:
    from console.history import AttemptRecord, History

__all__ = [
    "PERMANENT_MESSAGES",
    "UNCERTAIN_MESSAGE",
    "ResumeCheck",
    "check_resume",
    "earlier_permanent",
    "earlier_uncertain",
    "new_batch_id",
    "resume_plan",
]

UNCERTAIN_MESSAGE = (
    "an earlier attempt in this batch is unknown or pending: "
    "the code may have been sent; check before resending"
)
PERMANENT_MESSAGES = ("already confirmed", "attribute to deliver the code to")
"""Cognito's words (lower case) for failures a resend cannot change: skipped on resume."""
_PAGE = 500


@dataclass(frozen=True, slots=True)
class ResumeCheck:
    """What the history says about a batch id before a run uses it."""

    exists: bool
    """Attempts with this batch id are in the history."""
    problem: str | None = None
    """Why this run may not resume it (another profile or client), naming both."""


def check_resume(history: History, batch_id: str, profile_name: str, client_id: str) -> ResumeCheck:
    """Whether *batch_id* exists, and whether a run with *profile_name* and *client_id*
    may resume it (the batch's attempts were made with the same ones)."""
    from console.history import HistoryFilter

    newest = history.query(HistoryFilter(batch_id=batch_id), limit=1)
    if not newest:
        return ResumeCheck(exists=False)
    record = newest[0]
    if record.profile == profile_name and record.client_id == client_id:
        return ResumeCheck(exists=True)
    return ResumeCheck(
        exists=True,
        problem=(
            f"batch {visible(batch_id)} was sent with profile {visible(record.profile)} "
            f"(client {visible(record.client_id)}); this run would send with profile "
            f"{visible(profile_name)} (client {visible(client_id)}): resume it with its "
            "own profile and client, or start a new batch"
        ),
    )


def _failed_records(history: History, batch_id: str) -> list[AttemptRecord]:
    from console.history import HistoryFilter

    found: list[AttemptRecord] = []
    before: int | None = None
    while True:
        page = history.query(
            HistoryFilter(batch_id=batch_id, outcome="failed"), before_id=before, limit=_PAGE
        )
        found.extend(page)
        if len(page) < _PAGE:
            return found
        before = page[-1].id


def earlier_permanent(history: History, batch_id: str) -> dict[str, str]:
    """Usernames whose attempt in *batch_id* failed for good, with Cognito's message."""
    found: dict[str, str] = {}
    for record in _failed_records(history, batch_id):
        message = record.error_message or ""
        if any(words in message.lower() for words in PERMANENT_MESSAGES):
            found.setdefault(record.username, f"{record.error_code}: {message}")
    return found


def new_batch_id(clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> str:
    """A fresh batch id: ``b-20250131-091502-3f2a9c``."""
    return f"b-{clock().strftime('%Y%m%d-%H%M%S')}-{secrets.token_hex(3)}"


def earlier_uncertain(history: History, batch_id: str) -> set[str]:
    """Usernames whose attempt in *batch_id* is unknown or still pending."""
    from console.history import HistoryFilter

    names: set[str] = set()
    for outcome in ("unknown", "pending"):
        before: int | None = None
        while True:
            page = history.query(
                HistoryFilter(batch_id=batch_id, outcome=outcome), before_id=before, limit=_PAGE
            )
            names.update(record.username for record in page)
            if len(page) < _PAGE:
                break
            before = page[-1].id
    return names


def resume_plan(
    history: History,
    batch_id: str,
    rows: Sequence[BulkRow],
    *,
    skip_uncertain: bool = True,
    retry_failed: bool = False,
) -> tuple[list[BulkRow], list[BatchItem]]:
    """(rows to send, items for the rows skipped) for batch *batch_id*.

    *retry_failed* sends again to users that failed for good earlier in the
    batch (skipped otherwise). Raises whatever the history raises
    (HistoryError): resuming blind could send someone a second code, so the
    caller sends nobody then.
    """
    delivered = history.delivered_usernames(batch_id)
    uncertain = earlier_uncertain(history, batch_id) if skip_uncertain else set()
    permanent = {} if retry_failed else earlier_permanent(history, batch_id)
    to_send: list[BulkRow] = []
    skipped: list[BatchItem] = []
    for row in rows:
        if row.username in delivered:
            skipped.append(BatchItem(row.line, row.username, ItemOutcome.ALREADY_DELIVERED))
        elif row.username in uncertain:
            skipped.append(
                BatchItem(
                    row.line,
                    row.username,
                    ItemOutcome.SKIPPED_UNCERTAIN,
                    None,
                    UNCERTAIN_MESSAGE,
                )
            )
        elif row.username in permanent:
            reason = f"failed earlier in this batch, for good: {permanent[row.username]}"
            skipped.append(
                BatchItem(row.line, row.username, ItemOutcome.SKIPPED_FAILED, None, reason)
            )
        else:
            to_send.append(row)
    return to_send, skipped
