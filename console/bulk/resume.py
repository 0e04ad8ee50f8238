"""Batch ids, and what a resumed batch skips.

A batch id ties a bulk run's attempts together in the history. Resuming a
batch (the same id) skips every user already delivered in it; unless told
otherwise, it also skips those whose attempt there is ``unknown`` (no answer
came: the code may have gone) or still ``pending`` (another run may be
sending it right now), so that nobody is sent a code twice.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from console.bulk.input import BulkRow
from console.bulk.summary import BatchItem, ItemOutcome

if TYPE_CHECKING:
    from console.history import History

__all__ = ["UNCERTAIN_MESSAGE", "earlier_uncertain", "new_batch_id", "resume_plan"]

UNCERTAIN_MESSAGE = (
    "an earlier attempt in this batch is unknown or pending: "
    "the code may have been sent; check before resending"
)
_PAGE = 500


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
    history: History, batch_id: str, rows: Sequence[BulkRow], *, skip_uncertain: bool = True
) -> tuple[list[BulkRow], list[BatchItem]]:
    """(rows to send, items for the rows skipped) for batch *batch_id*.

    Raises whatever the history raises (HistoryError): resuming blind could
    send someone a second code, so the caller sends nobody then.
    """
    delivered = history.delivered_usernames(batch_id)
    uncertain = earlier_uncertain(history, batch_id) if skip_uncertain else set()
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
        else:
            to_send.append(row)
    return to_send, skipped
